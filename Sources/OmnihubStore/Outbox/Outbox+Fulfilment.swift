import Foundation
import GRDB
package import OmnihubCore

/// A fulfilment document to record: what it hands over or takes back.
package enum FulfilmentCoverage: Sendable {
    /// Units handed to the node to pick and ship.
    case handsOver([FulfilmentCandidate])
    /// Recorded cancellations (by id) the node is told of.
    case tellsOf(cancellations: [Int64])
}

extension Outbox {
    /// What fulfilment is decided on: reservations, hand-overs and cancellations per order line
    /// at a node, of the lines with units to hand over (``FulfilmentPlan/unitsToHandOver(reserved:handedOver:takenBack:)``),
    /// and the cancellations no node was told of, as of one read, with the revision they were read at:
    /// of the next `orders` orders with reservations after the order id
    /// `after` (``FulfilmentWindow/through`` says where the next window starts; `nil`: no order is
    /// left), so a peak day's hand-over is planned a window at a time. The cancellations no node was
    /// told of come with the window read `withUntoldCancellations` (a run's first).
    package func fulfilmentFacts(after: Int64, orders: Int, withUntoldCancellations: Bool) throws
        -> FulfilmentWindow
    {
        try read { db in
            var window = FulfilmentWindow(revision: try Self.fulfilmentRevision(db))
            guard
                let bounds = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT MAX(order_id) AS through, COUNT(*) AS orders
                            FROM (SELECT DISTINCT order_id FROM reservations WHERE order_id > ? ORDER BY order_id LIMIT ?)
                            """), arguments: [after, orders]),
                let through: Int64 = try bounds.decode(forColumn: "through")
            else { return window }
            window.through = through
            window.full = try bounds.decode(forColumn: "orders") as Int >= orders
            // Each line's reserved, handed-over and taken-back units, added up by SQLite and read
            // through a cursor; only the lines with units to hand over are kept, so a day's settled
            // lines cost no memory.
            let lines = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT order_id, position, node, sku, SUM(reserved) AS reserved, SUM(handed) AS handed,
                               SUM(back) AS back
                        FROM (SELECT order_id, position, node, sku,
                                     CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END AS reserved,
                                     0 AS handed, 0 AS back FROM reservations WHERE order_id > ?1 AND order_id <= ?2
                              UNION ALL SELECT order_id, position, node, sku, 0, quantity, 0 FROM fulfilment_lines
                                        WHERE order_id > ?1 AND order_id <= ?2
                              UNION ALL SELECT order_id, position, node, sku, 0, 0, quantity FROM fulfilment_cancellations
                                        WHERE order_id > ?1 AND order_id <= ?2)
                        GROUP BY order_id, position, node, sku
                        """), arguments: [after, through])
            while let row = try lines.next() {
                let reserved: Int = try row.decode(forColumn: "reserved")
                let handed: Int = try row.decode(forColumn: "handed")
                let back: Int = try row.decode(forColumn: "back")
                guard FulfilmentPlan.unitsToHandOver(reserved: reserved, handedOver: handed, takenBack: back) > 0
                else { continue }
                let line = OrderLineAtNode(
                    orderID: try row.decode(forColumn: "order_id"), position: try row.decode(forColumn: "position"),
                    node: try row.decode(forColumn: "node"), sku: try row.decode(forColumn: "sku"))
                window.facts.reserved[line] = reserved
                if handed != 0 { window.facts.handedOver[line] = handed }
                if back != 0 { window.facts.takenBack[line] = back }
            }
            guard withUntoldCancellations else { return window }
            for row in try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM fulfilment_cancellations WHERE document_id IS NULL ORDER BY id"))
            {
                let line = OrderLineAtNode(
                    orderID: try row.decode(forColumn: "order_id"), position: try row.decode(forColumn: "position"),
                    node: try row.decode(forColumn: "node"), sku: try row.decode(forColumn: "sku"))
                window.facts.untoldCancellations.append(
                    FulfilmentPlan.UntoldCancellation(
                        id: try row.decode(forColumn: "id"),
                        units: FulfilmentCandidate(
                            line, quantity: try row.decode(forColumn: "quantity"),
                            reason: try row.decode(forColumn: "reason"))))
            }
            return window
        }
    }

    /// Records fulfilment documents with what each hands over or tells of, in one transaction,
    /// while reservations and hand-overs are still as `revision` read them.
    ///
    /// Returns the documents recorded and the revision they leave, on which the next part of the
    /// same plan is recorded.
    ///
    /// - Throws: ``StoreError/Code/changedMeanwhile`` when they changed meanwhile: nothing is
    ///   recorded, and the next cycle plans again.
    package func recordFulfilmentDocuments(
        _ documents: [DocumentToRecord<FulfilmentCoverage>], basedOn revision: FulfilmentRevision, at time: Timestamp
    ) throws -> (recorded: [OutboundDocument], revision: FulfilmentRevision) {
        guard !documents.isEmpty else { return ([], revision) }
        return try write { db in
            let now = try Self.fulfilmentRevision(db)
            guard now == revision else {
                throw StoreError(
                    .changedMeanwhile, path: path,
                    message: "reservations or fulfilment documents changed while fulfilment was planned; nothing was "
                        + "recorded, and the next cycle plans again on what the store holds then")
            }
            var recorded: [OutboundDocument] = []
            for document in documents {
                switch document.covers {
                case .handsOver(let units):
                    let outbound = try Self.recordPending(
                        db, kind: .fulfilmentOrder, destination: document.destination, document.rendered, at: time)
                    for unit in units {
                        try db.cachedStatement(
                            sql: """
                                INSERT INTO fulfilment_lines (document_id, order_id, position, node, sku, quantity)
                                VALUES (?, ?, ?, ?, ?, ?)
                                """
                        ).execute(arguments: [
                            outbound.id, unit.orderID, unit.position, unit.node, unit.sku, unit.quantity,
                        ])
                    }
                    recorded.append(outbound)
                case .tellsOf(let cancellations):
                    let outbound = try Self.recordPending(
                        db, kind: .fulfilmentCancellation, destination: document.destination, document.rendered,
                        at: time)
                    for id in cancellations {
                        try cover(db, "fulfilment_cancellations", "document_id", id: id, with: outbound.id)
                    }
                    recorded.append(outbound)
                }
            }
            return (recorded, try Self.fulfilmentRevision(db))
        }
    }

    /// Where a run's fulfilment plan starts: after the orders found settled when last planned
    /// (nothing to hand over, and nothing since that could change it), so an idle cycle reads
    /// only what is new.
    package func fulfilmentSettlement() throws -> FulfilmentSettlement {
        try read { db in try Self.fulfilmentSettlement(db) }
    }

    /// Records that every order up to `through` has nothing left to hand over, as a run that read
    /// `settlement` before its plan and handed over all it planned found. When a reservation, a
    /// hand-over or a cancellation was written since `settlement` was read, nothing is recorded
    /// (the next run plans those orders again); returns whether it was recorded.
    @discardableResult
    package func markFulfilmentSettled(through: Int64, since settlement: FulfilmentSettlement) throws -> Bool {
        guard through > settlement.through else { return false }
        return try write { db in
            guard try Self.fulfilmentSettlement(db) == settlement else { return false }
            try db.cachedStatement(sql: "UPDATE fulfilment_settled SET through = ? WHERE id = 1").execute(
                arguments: [through])
            return true
        }
    }

    private static func fulfilmentSettlement(_ db: Database) throws -> FulfilmentSettlement {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT through, changes FROM fulfilment_settled WHERE id = 1"))
        else { return FulfilmentSettlement(through: 0, changes: 0) }
        return FulfilmentSettlement(
            through: try row.decode(forColumn: "through"), changes: try row.decode(forColumn: "changes"))
    }

    /// Units of an order line handed to `node` in fulfilment orders and not cancelled there since.
    static func unitsHandedOver(_ db: Database, orderID: Int64, position: Int, node: String) throws -> Int {
        let handed =
            try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT SUM(quantity) FROM fulfilment_lines WHERE order_id = ? AND position = ? AND node = ?"),
                arguments: [orderID, position, node]) ?? 0
        let cancelled =
            try Int.fetchOne(
                db.cachedStatement(
                    sql:
                        "SELECT SUM(quantity) FROM fulfilment_cancellations WHERE order_id = ? AND position = ? AND node = ?"
                ),
                arguments: [orderID, position, node]) ?? 0
        return handed - cancelled
    }

    static func fulfilmentRevision(_ db: Database) throws -> FulfilmentRevision {
        FulfilmentRevision(
            stockChanges: try StockLedger.stockRevision(db).changes,
            lastHandOver: try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(rowid) FROM fulfilment_lines")) ?? 0)
    }
}

/// The fulfilment facts of a window of orders, read at one revision.
package struct FulfilmentWindow: Sendable {
    package var facts = FulfilmentPlan.Facts()
    package let revision: FulfilmentRevision
    /// The newest order the window holds; the next starts after it. `nil`: no order was left.
    package var through: Int64?
    /// Whether the window holds as many orders as asked for: more may follow.
    package var full = false

    init(revision: FulfilmentRevision) {
        self.revision = revision
    }
}

/// A version of what fulfilment is planned on: reservations (counted in the stock revision's
/// changes, which every reservation and release bumps) and the newest hand-over.
package struct FulfilmentRevision: Sendable, Hashable {
    let stockChanges: Int64
    let lastHandOver: Int64
}

/// How far the fulfilment plan is settled: every order up to ``through`` had nothing to hand over
/// when last planned; ``changes`` counts what could have changed that since.
package struct FulfilmentSettlement: Sendable, Hashable {
    /// The newest order of the settled ones; a run plans the orders after it.
    package let through: Int64
    let changes: Int64
}
