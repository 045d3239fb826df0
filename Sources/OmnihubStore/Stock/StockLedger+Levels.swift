import GRDB

/// On-hand stock of one SKU at one node.
package struct StockLevel: Sendable, Hashable, Codable, FetchableRecord {
    /// The node.
    package var node: String
    /// Units on hand.
    package var onHand: Int
    /// When the last snapshot or delta that changed it was taken.
    package var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case node
        case onHand = "on_hand"
        case updatedAt = "updated_at"
    }
}

extension StockLedger {
    /// On-hand of `sku` at every node that has a level for it, by node.
    package func levels(sku: String) throws -> [StockLevel] {
        try read { db in
            try StockLevel.fetchAll(
                db.cachedStatement(
                    sql: "SELECT node, on_hand, updated_at FROM stock_levels WHERE sku = ? ORDER BY node"),
                arguments: [sku])
        }
    }
}

/// On-hand and reserved units of one SKU at one node.
package struct StockPosition: Sendable, Hashable, FetchableRecord, Decodable {
    package var sku: String
    package var node: String
    package var onHand: Int
    package var reserved: Int

    enum CodingKeys: String, CodingKey {
        case sku, node, reserved
        case onHand = "on_hand"
    }
}

extension StockLedger {
    /// Every SKU's on-hand and reserved units at every node that has a level for it, by SKU.
    package func positions() throws -> [StockPosition] {
        try read { db in
            try StockPosition.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT s.sku, s.node, s.on_hand, COALESCE(r.units, 0) AS reserved FROM stock_levels s
                        LEFT JOIN reserved_stock r ON r.sku = s.sku AND r.node = s.node
                        ORDER BY s.sku, s.node
                        """))
        }
    }
}
