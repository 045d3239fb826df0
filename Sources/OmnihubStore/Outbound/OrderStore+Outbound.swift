import Foundation
import GRDB
public import OmnihubCore

/// Reserved units not yet handed to their node in a fulfilment order, or handed-over units a
/// cancellation took back, which the node is to be told about.
public struct FulfilmentCandidate: Sendable, Hashable {
    public let orderID: Int64
    public let position: Int
    public let node: String
    public let sku: String
    public let quantity: Int
    /// Why the units are cancelled, as the cancellation request gave it (cancellations only).
    public var reason: String? = nil
}

/// What a fulfilment document asks of its node.
public enum FulfilmentDocumentKind: String, Sendable, Hashable, CaseIterable {
    /// Pick and ship these units.
    case order = "fulfilment_order"
    /// Do not ship these units, handed over before: their order line was cancelled.
    case cancellation = "fulfilment_cancellation"
}

/// A file omnihub emits, as the outbox ledger keeps it.
public struct OutboundDocument: Sendable, Hashable, Codable {
    public var id: Int64
    public var kind: String
    public var destination: String
    public var number: String
    public var path: String
    public var status: String
    public var createdAt: String
    public var writtenAt: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, destination, number, path, status
        case createdAt = "created_at"
        case writtenAt = "written_at"
    }
}

/// A document to record: where it goes and its bytes.
public struct RenderedDocument: Sendable {
    public let number: String
    public let path: String
    public let content: [UInt8]

    /// A rendered document.
    public init(number: String, path: String, content: [UInt8]) {
        self.number = number
        self.path = path
        self.content = content
    }
}

extension OrderStore {
    /// Records one fulfilment order per node for the reserved units not yet handed over, and one
    /// fulfilment cancellation per node for handed-over units a cancellation took back, in one
    /// transaction: `render` turns a node's units (with their orders) into a file, or `nil` for a
    /// node that gets none. The files are written afterwards by the caller (``markWritten(_:at:)``).
    public func recordFulfilmentDocuments(
        at time: Timestamp,
        render: (
            _ kind: FulfilmentDocumentKind, _ node: String, _ units: [FulfilmentCandidate],
            _ orders: [Int64: StoredOrder]
        ) throws -> RenderedDocument?
    ) throws -> [OutboundDocument] {
        try write { db in
            var remaining: [String: Int] = [:]
            func key(_ row: Row) -> String {
                "\(row["order_id"] as Int64)|\(row["position"] as Int)|\(row["node"] as String)|\(row["sku"] as String)"
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT order_id, position, node, sku, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units
                    FROM reservations GROUP BY order_id, position, node, sku
                    """)
            {
                remaining[key(row), default: 0] += row["units"] as Int
            }
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT order_id, position, node, sku, SUM(quantity) AS units FROM fulfilment_lines GROUP BY 1, 2, 3, 4"
            ) {
                remaining[key(row), default: 0] -= row["units"] as Int
            }
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT order_id, position, node, sku, SUM(quantity) AS units FROM fulfilment_cancellations GROUP BY 1, 2, 3, 4"
            ) {
                remaining[key(row), default: 0] += row["units"] as Int
            }
            var toShip: [String: [FulfilmentCandidate]] = [:]
            for (key, units) in remaining where units > 0 {
                let parts = key.split(separator: "|", maxSplits: 3).map(String.init)
                let candidate = FulfilmentCandidate(
                    orderID: Int64(parts[0])!, position: Int(parts[1])!, node: parts[2], sku: parts[3], quantity: units)
                toShip[candidate.node, default: []].append(candidate)
            }
            var toCancel: [String: [(id: Int64, unit: FulfilmentCandidate)]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT * FROM fulfilment_cancellations WHERE document_id IS NULL ORDER BY id")
            {
                let unit = FulfilmentCandidate(
                    orderID: row["order_id"], position: row["position"], node: row["node"], sku: row["sku"],
                    quantity: row["quantity"], reason: row["reason"])
                toCancel[unit.node, default: []].append((row["id"], unit))
            }
            var documents: [OutboundDocument] = []
            func orders(_ units: [FulfilmentCandidate]) throws -> [Int64: StoredOrder] {
                var orders: [Int64: StoredOrder] = [:]
                for id in Set(units.map(\.orderID)) { orders[id] = try Self.storedOrder(db, id: id) }
                return orders
            }
            func record(_ kind: FulfilmentDocumentKind, _ node: String, _ units: [FulfilmentCandidate]) throws -> Int64?
            {
                guard let rendered = try render(kind, node, units, try orders(units)) else { return nil }
                let document = try Self.recordPending(db, kind: kind.rawValue, destination: node, rendered, at: time)
                documents.append(document)
                return document.id
            }
            for node in Set(toShip.keys).union(toCancel.keys).sorted() {
                if let cancelled = toCancel[node],
                    let documentID = try record(.cancellation, node, cancelled.map(\.unit))
                {
                    for entry in cancelled {
                        try db.execute(
                            sql: "UPDATE fulfilment_cancellations SET document_id = ? WHERE id = ?",
                            arguments: [documentID, entry.id])
                    }
                }
                guard let shipping = toShip[node] else { continue }
                let units = shipping.sorted { ($0.orderID, $0.position) < ($1.orderID, $1.position) }
                guard let documentID = try record(.order, node, units) else { continue }
                for unit in units {
                    try db.execute(
                        sql: """
                            INSERT INTO fulfilment_lines (document_id, order_id, position, node, sku, quantity)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [documentID, unit.orderID, unit.position, unit.node, unit.sku, unit.quantity])
                }
            }
            return documents
        }
    }

    /// Records a rendered document as `pending`, with its bytes, in the caller's transaction.
    static func recordPending(
        _ db: Database, kind: String, destination: String, _ rendered: RenderedDocument, at time: Timestamp
    ) throws -> OutboundDocument {
        try db.execute(
            sql: """
                INSERT INTO outbound_documents (kind, destination, number, path, content, status, created_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?)
                """,
            arguments: [kind, destination, rendered.number, rendered.path, Data(rendered.content), time.description])
        return OutboundDocument(
            id: db.lastInsertedRowID, kind: kind, destination: destination, number: rendered.number,
            path: rendered.path, status: "pending", createdAt: time.description, writtenAt: nil)
    }

    /// Units of an order line handed to `node` in fulfilment orders and not cancelled there since.
    static func unitsHandedOver(_ db: Database, orderID: Int64, position: Int, node: String) throws -> Int {
        let handed =
            try Int.fetchOne(
                db, sql: "SELECT SUM(quantity) FROM fulfilment_lines WHERE order_id = ? AND position = ? AND node = ?",
                arguments: [orderID, position, node]) ?? 0
        let cancelled =
            try Int.fetchOne(
                db,
                sql:
                    "SELECT SUM(quantity) FROM fulfilment_cancellations WHERE order_id = ? AND position = ? AND node = ?",
                arguments: [orderID, position, node]) ?? 0
        return handed - cancelled
    }

    /// When the latest outbound document was recorded (ISO 8601), or `nil` before the first.
    public func latestDocumentTime() throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT created_at FROM outbound_documents ORDER BY id DESC LIMIT 1")
        }
    }

    /// Documents recorded but not written yet (after an interruption), with their bytes.
    public func pendingDocuments() throws -> [(OutboundDocument, [UInt8])] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbound_documents WHERE status = 'pending' ORDER BY id").map {
                row in
                (OutboundDocument(row: row), Array(row["content"] as Data))
            }
        }
    }

    /// Marks documents as written to their paths, in one transaction.
    public func markWritten(_ ids: [Int64], at time: Timestamp) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            for id in ids {
                try db.execute(
                    sql: "UPDATE outbound_documents SET status = 'written', written_at = ? WHERE id = ?",
                    arguments: [time.description, id])
            }
        }
    }

    /// Outbound documents, newest first; only those of `kind`, for `destination` or with `status`
    /// when given.
    public func outboundDocuments(
        limit: Int = 100, kind: String? = nil, destination: String? = nil, status: String? = nil
    ) throws -> [OutboundDocument] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbound_documents
                    WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR destination = ?2) AND (?3 IS NULL OR status = ?3)
                    ORDER BY id DESC LIMIT ?4
                    """, arguments: [kind, destination, status, limit]
            ).map(OutboundDocument.init(row:))
        }
    }

    /// Outbound documents that carried an order.
    public func outboundDocuments(orderID: Int64) throws -> [OutboundDocument] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbound_documents WHERE id IN (
                        SELECT document_id FROM fulfilment_lines WHERE order_id = ?1
                        UNION SELECT document_id FROM fulfilment_cancellations WHERE order_id = ?1
                        UNION SELECT confirmation_document_id FROM shipments WHERE order_id = ?1
                        UNION SELECT acknowledgement_document_id FROM orders WHERE id = ?1
                        UNION SELECT document_id FROM finance_documents WHERE order_id = ?1
                        UNION SELECT bookings_document_id FROM finance_documents WHERE order_id = ?1
                        UNION SELECT document_id FROM seller_cancellations WHERE order_id = ?1
                        UNION SELECT document_id FROM customer_notifications WHERE order_id = ?1
                    ) ORDER BY id
                    """, arguments: [orderID]
            ).map(OutboundDocument.init(row:))
        }
    }
}

extension OutboundDocument {
    init(row: Row) {
        id = row["id"]
        kind = row["kind"]
        destination = row["destination"]
        number = row["number"]
        path = row["path"]
        status = row["status"]
        createdAt = row["created_at"]
        writtenAt = row["written_at"]
    }
}
