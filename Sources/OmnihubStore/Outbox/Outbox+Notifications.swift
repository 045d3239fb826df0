import Foundation
import GRDB
package import OmnihubCore

/// What customer notifications are decided on: the orders to confirm, the shipments no message
/// told of, and those orders.
package struct NotificationFacts: Sendable {
    /// The two kinds of message decided on stored facts alone.
    package enum Kind: Sendable, CaseIterable {
        /// Order confirmations (and exchange confirmations).
        case confirmations
        /// One message per parcel: shipped, or ready for pickup.
        case shipments
    }

    /// Orders imported in the confirmation window, with units left and no confirmation yet.
    package var confirming: [Int64] = []
    /// Shipments no message told of, by order and booking.
    package var shipments: [NotifiedShipment] = []
    /// The orders named, by id.
    package var orders: [Int64: Order] = [:]
    /// Those of them that are the replacement orders of exchanges.
    package var exchanges: Set<Int64> = []
    /// The last order id looked at, or `nil` when there was none: the run is done.
    package var last: Int64?
    /// Confirmations: every order up to this one was looked at (after `after`, those not in
    /// ``confirming`` need none), as of the part's read.
    package var examinedThrough: Int64?
}

/// A notification to record, with its file (or `nil` when there is nothing to send, e.g. no
/// e-mail address: recorded too, so the event is not looked at again).
package struct NotificationToRecord: Sendable {
    package let request: NotificationRequest
    package let rendered: RenderedDocument?

    /// A notification to record.
    package init(request: NotificationRequest, rendered: RenderedDocument?) {
        self.request = request
        self.rendered = rendered
    }
}

extension Outbox {
    /// What notifications of one kind are due for at most `limit` orders with ids above `after`:
    /// orders imported since `confirmSince` with units left and no confirmation, or shipments not
    /// told of, so a large batch is decided, recorded and written in parts.
    ///
    /// Each kind is walked on its own, in order id order, so a run looks at every order once
    /// however large the batch: the orders by their ids (the import time is checked, not searched
    /// by), the shipments by the index of those not told of.
    package func notificationFacts(
        _ kind: NotificationFacts.Kind, confirmSince: Timestamp, after: Int64 = 0, limit: Int = 500
    ) throws -> NotificationFacts {
        try read { db in
            var facts = NotificationFacts()
            switch kind {
            case .confirmations:
                facts.confirming = try Int64.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT o.id FROM orders o
                            WHERE o.id > ?1 AND +o.imported_at >= ?2
                              AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.quantity > l.cancelled)
                              AND NOT EXISTS (SELECT 1 FROM customer_notifications n
                                              WHERE n.order_id = o.id AND n.event IN ('order_confirmed', 'order_exchanged'))
                            ORDER BY o.id LIMIT ?3
                            """), arguments: [after, confirmSince.description, limit])
                facts.last = facts.confirming.last
                // A part shorter than asked for looked at every order the store held.
                facts.examinedThrough =
                    facts.confirming.count < limit
                    ? try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM orders")) ?? after
                    : facts.last
            case .shipments:
                let orderIDs = try Int64.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT DISTINCT order_id FROM shipments WHERE notification_id IS NULL AND order_id > ?
                            ORDER BY order_id LIMIT ?
                            """), arguments: [after, limit])
                guard let last = orderIDs.last else { return facts }
                facts.last = last
                facts.shipments = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT * FROM shipments WHERE notification_id IS NULL AND order_id > ? AND order_id <= ?
                            ORDER BY order_id, id
                            """), arguments: [after, last]
                ).map { row in
                    NotifiedShipment(
                        id: try row.decode(forColumn: "id"), orderID: try row.decode(forColumn: "order_id"),
                        position: try row.decode(forColumn: "position"), node: try row.decode(forColumn: "node"),
                        sku: try row.decode(forColumn: "sku"), quantity: try row.decode(forColumn: "quantity"),
                        carrier: try row.decode(forColumn: "carrier"),
                        trackingNumber: try row.decode(forColumn: "tracking_number"),
                        fileID: try row.decode(forColumn: "file_id"))
                }
            }
            guard let last = facts.last else { return facts }
            facts.orders = try OrderBook.storedOrders(db, ids: Set(facts.confirming + facts.shipments.map(\.orderID)))
                .mapValues(\.order)
            facts.exchanges = Set(
                try Int64.fetchAll(
                    db.cachedStatement(
                        sql: "SELECT id FROM orders WHERE id > ? AND id <= ? AND exchange_of IS NOT NULL"),
                    arguments: [after, last]))
            return facts
        }
    }

    /// Where a run looks for orders to confirm: after those an earlier run left settled (every
    /// order up to this one was confirmed, or needs no confirmation).
    package func confirmationsSettled() throws -> Int64 {
        try read { db in
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT through FROM confirmations_settled WHERE id = 1")) ?? 0
        }
    }

    /// Records that every order up to `through` was confirmed or needs no confirmation: a run
    /// looked at each and recorded what was due. Orders only get newer ids and an order's need of a
    /// confirmation is decided once, so nothing can unsettle them; the mark never moves back.
    package func markConfirmationsSettled(through: Int64) throws {
        try write { db in
            try db.cachedStatement(sql: "UPDATE confirmations_settled SET through = MAX(through, ?) WHERE id = 1")
                .execute(arguments: [through])
        }
    }

    /// Records customer notifications, each once per order, event and reference, with their
    /// files and the shipments they tell of, in one transaction.
    ///
    /// - Throws: ``StoreError/Code/changedMeanwhile`` when another run told of a shipment meanwhile.
    package func recordCustomerNotifications(
        _ notifications: [NotificationToRecord], destination: String, at time: Timestamp
    ) throws -> [OutboundDocument] {
        guard !notifications.isEmpty else { return [] }
        return try write { db in
            try record(db, notifications, destination: destination, at: time, in: nil)
        }
    }

    /// Records customer notifications as ``recordCustomerNotifications(_:destination:at:)`` does,
    /// with the files of the new ones as one file (JSON Lines: each rendered file is one line),
    /// named and numbered after the first of them, which is in no other file; each notification
    /// refers to it. Returns that file with its bytes, or `nil` when none was new.
    package func recordCustomerNotifications(
        _ notifications: [NotificationToRecord], inOneFileFor destination: String, at time: Timestamp
    ) throws -> (document: OutboundDocument, content: [UInt8])? {
        guard !notifications.isEmpty else { return nil }
        return try write { db in
            let statements = try NotificationStatements(db)
            var new: [RenderedDocument] = []
            for notification in notifications {
                guard let rendered = notification.rendered, try statements.recorded(notification.request) == nil
                else { continue }
                new.append(rendered)
            }
            var file: (document: OutboundDocument, content: [UInt8])?
            if let first = new.first {
                let content = Array(new.map(\.content).joined())
                let shared = try Self.recordPending(
                    kind: .customerNotification, destination: destination,
                    RenderedDocument(number: first.number, path: first.path, content: content), at: time,
                    with: statements.insertPending)
                file = (shared, content)
            }
            _ = try record(db, notifications, destination: destination, at: time, in: file?.document)
            return file
        }
    }

    /// Records each notification with its own file, or with `shared`, and the shipments it tells of.
    private func record(
        _ db: Database, _ notifications: [NotificationToRecord], destination: String, at time: Timestamp,
        in shared: OutboundDocument?
    ) throws -> [OutboundDocument] {
        let statements = try NotificationStatements(db)
        var documents: [OutboundDocument] = []
        for notification in notifications {
            let (id, document) = try statements.record(
                notification.request, notification.rendered, to: destination, at: time, in: shared)
            if let document, shared == nil { documents.append(document) }
            for shipment in notification.request.shipments {
                guard try statements.cover(shipment: shipment.id, with: id) else {
                    throw toldMeanwhile("shipments", id: shipment.id)
                }
            }
        }
        return documents
    }

    /// Records one notification (and its file, when there is one: `shared`, a file recorded for
    /// several, or else a file of its own); a second request for the same order, event and
    /// reference records nothing and returns the first one's id.
    static func recordNotification(
        _ db: Database, _ request: NotificationRequest, _ rendered: RenderedDocument?, to destination: String,
        at time: Timestamp, in shared: OutboundDocument? = nil
    ) throws -> (id: Int64, document: OutboundDocument?) {
        try NotificationStatements(db).record(request, rendered, to: destination, at: time, in: shared)
    }
}
