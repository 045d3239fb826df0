import Foundation
import GRDB

/// Units a node confirmed as shipped for one order line, with the carrier's tracking.
package struct ShipmentRecord: Sendable, Hashable, Codable, FetchableRecord {
    package var position: Int
    package var node: String
    package var sku: String
    package var quantity: Int
    package var carrier: String?
    package var trackingNumber: String?
    package var shippedAt: String

    enum CodingKeys: String, CodingKey {
        case position, node, sku, quantity, carrier
        case trackingNumber = "tracking_number"
        case shippedAt = "shipped_at"
    }
}

extension StockLedger {
    /// The units of an order shipped so far.
    package func shippedUnits(orderID: Int64) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT SUM(shipped) FROM order_lines WHERE order_id = ?"), arguments: [orderID]
            )
                ?? 0
        }
    }

    /// Every shipment booked for an order, in the order they were received.
    package func shipments(orderID: Int64) throws -> [ShipmentRecord] {
        try read { db in
            try ShipmentRecord.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM shipments WHERE order_id = ? ORDER BY id"), arguments: [orderID])
        }
    }
}
