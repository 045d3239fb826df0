import Foundation
import GRDB
import OmnihubCore

extension FileImport {
    /// The one stored order a notice names by its order number (and channel, when it gives one);
    /// `nil` when no order or more than one matches.
    func noticedOrder(_ notice: InboundNotice) throws -> (id: Int64, order: Order)? {
        guard let externalID = notice.externalID else { return nil }
        // Through the (channel, order number) index: `?2 IS NULL OR channel = ?2` would make
        // SQLite read every order. A notice without a channel tries each channel the store has.
        let channels: [String]
        if let channel = notice.channel {
            channels = [channel]
        } else {
            channels = try cachedChannels()
        }
        var rows: [Row] = []
        for channel in channels {
            rows += try Row.fetchAll(
                db.cachedStatement(sql: "SELECT id, document FROM orders WHERE channel = ? AND external_id = ?"),
                arguments: [channel, externalID])
        }
        guard rows.count == 1, let row = rows.first else { return nil }
        return (
            try row.decode(forColumn: "id"),
            try OrderBook.order(
                try row.decode(forColumn: "document"), id: try row.decode(forColumn: "id"), store: db.filePath)
        )
    }

    /// The sales channels of the stored orders, read once per file.
    func cachedChannels() throws -> [String] {
        if let channels = cache.channels { return channels }
        let channels = try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT channel FROM orders"))
        cache.channels = channels
        return channels
    }

    /// Units of an order line reserved at `node` now.
    func held(orderID: Int64, position: Int, node: String) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) FROM reservations
                    WHERE order_id = ? AND position = ? AND node = ?
                    """), arguments: [orderID, position, node]) ?? 0
    }
}
