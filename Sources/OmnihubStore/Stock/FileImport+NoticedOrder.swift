import Foundation
import GRDB
import OmnihubCore

extension FileImport {
    /// The one stored order a notice names by its order number (and channel, when it gives one);
    /// `nil` when no order or more than one matches.
    func noticedOrder(_ notice: InboundNotice) throws -> (id: Int64, order: Order)? {
        guard let externalID = notice.externalID else { return nil }
        // Two statements rather than one with `?2 IS NULL OR channel = ?2`, which SQLite answers
        // by reading every order: each finds its row through an index.
        let rows =
            if let channel = notice.channel {
                try Row.fetchAll(
                    db, sql: "SELECT id, document FROM orders WHERE channel = ? AND external_id = ?",
                    arguments: [channel, externalID])
            } else {
                try Row.fetchAll(
                    db, sql: "SELECT id, document FROM orders WHERE external_id = ?", arguments: [externalID])
            }
        guard rows.count == 1, let row = rows.first else { return nil }
        return (row["id"], try JSONDecoder().decode(Order.self, from: Data((row["document"] as String).utf8)))
    }

    /// Units of an order line reserved at `node` now.
    func held(orderID: Int64, position: Int, node: String) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) FROM reservations
                WHERE order_id = ? AND position = ? AND node = ?
                """, arguments: [orderID, position, node]) ?? 0
    }
}
