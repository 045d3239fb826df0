import Foundation
import GRDB
public import OmnihubCore

/// Reserved units not yet handed to their node in a fulfilment order.
public struct FulfilmentCandidate: Sendable, Hashable {
    public let orderID: Int64
    public let position: Int
    public let node: String
    public let sku: String
    public let quantity: Int
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
    /// Records one fulfilment order per node for the reserved units not yet released, in one
    /// transaction: `render` turns a node's units (with their orders) into a file, or `nil` for a
    /// node that gets none. The files are written afterwards by the caller (``markWritten(_:)``).
    public func recordFulfilmentOrders(
        at time: Timestamp,
        render: (_ node: String, _ units: [FulfilmentCandidate], _ orders: [Int64: StoredOrder]) throws ->
            RenderedDocument?
    ) throws -> [OutboundDocument] {
        try write { db in
            var remaining: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT order_id, position, node, sku, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units
                    FROM reservations GROUP BY order_id, position, node, sku
                    """)
            {
                remaining[
                    "\(row["order_id"] as Int64)|\(row["position"] as Int)|\(row["node"] as String)|\(row["sku"] as String)"
                ] = row["units"]
            }
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT order_id, position, node, sku, SUM(quantity) AS units FROM fulfilment_lines GROUP BY 1, 2, 3, 4"
            ) {
                let key =
                    "\(row["order_id"] as Int64)|\(row["position"] as Int)|\(row["node"] as String)|\(row["sku"] as String)"
                remaining[key, default: 0] -= row["units"] as Int
            }
            var byNode: [String: [FulfilmentCandidate]] = [:]
            for (key, units) in remaining where units > 0 {
                let parts = key.split(separator: "|", maxSplits: 3).map(String.init)
                let candidate = FulfilmentCandidate(
                    orderID: Int64(parts[0])!, position: Int(parts[1])!, node: parts[2], sku: parts[3], quantity: units)
                byNode[candidate.node, default: []].append(candidate)
            }
            var documents: [OutboundDocument] = []
            let decoder = JSONDecoder()
            for node in byNode.keys.sorted() {
                let units = byNode[node]!.sorted { ($0.orderID, $0.position) < ($1.orderID, $1.position) }
                var orders: [Int64: StoredOrder] = [:]
                for id in Set(units.map(\.orderID)) {
                    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE id = ?", arguments: [id])
                    else { continue }
                    let order = try decoder.decode(Order.self, from: Data((row["document"] as String).utf8))
                    orders[id] = StoredOrder(
                        id: id, status: row["status"], importedAt: row["imported_at"], order: order)
                }
                guard let rendered = try render(node, units, orders) else { continue }
                try db.execute(
                    sql: """
                        INSERT INTO outbound_documents (kind, destination, number, path, content, status, created_at)
                        VALUES ('fulfilment_order', ?, ?, ?, ?, 'pending', ?)
                        """,
                    arguments: [node, rendered.number, rendered.path, Data(rendered.content), time.description])
                let documentID = db.lastInsertedRowID
                for unit in units {
                    try db.execute(
                        sql: """
                            INSERT INTO fulfilment_lines (document_id, order_id, position, node, sku, quantity)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [documentID, unit.orderID, unit.position, unit.node, unit.sku, unit.quantity])
                }
                documents.append(
                    OutboundDocument(
                        id: documentID, kind: "fulfilment_order", destination: node, number: rendered.number,
                        path: rendered.path, status: "pending", createdAt: time.description, writtenAt: nil))
            }
            return documents
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

    /// Marks a document as written to its path.
    public func markWritten(_ id: Int64, at time: Timestamp) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE outbound_documents SET status = 'written', written_at = ? WHERE id = ?",
                arguments: [time.description, id])
        }
    }

    /// Outbound documents, newest first.
    public func outboundDocuments(limit: Int = 100) throws -> [OutboundDocument] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbound_documents ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map(OutboundDocument.init(row:))
        }
    }

    /// Outbound documents that carried an order.
    public func outboundDocuments(orderID: Int64) throws -> [OutboundDocument] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT d.* FROM outbound_documents d JOIN fulfilment_lines l ON l.document_id = d.id
                    WHERE l.order_id = ? ORDER BY d.id
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
