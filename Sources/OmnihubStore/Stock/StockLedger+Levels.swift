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
