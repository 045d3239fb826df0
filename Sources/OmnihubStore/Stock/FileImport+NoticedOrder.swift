import Foundation
import GRDB
import GRDBSQLite
import OmnihubCore

extension FileImport {
    /// The one stored order a notice names by its order number (and channel, when it gives one);
    /// `nil` when no order or more than one matches.
    func noticedOrder(_ notice: InboundNotice) throws -> (id: Int64, order: Order)? {
        guard let named = try noticedOrderRow(notice) else { return nil }
        return (named.id, try document(ofOrder: named.id))
    }

    /// The id, channel and delivery method of the one stored order a notice names, as
    /// ``noticedOrder(_:)`` finds it, without reading its document.
    func noticedOrderRow(_ notice: InboundNotice) throws -> (id: Int64, channel: String, deliveryMethod: String)? {
        guard let externalID = notice.externalID else { return nil }
        // Through the (channel, order number) index: `?2 IS NULL OR channel = ?2` would make
        // SQLite read every order. A notice without a channel tries each channel the store has.
        let channels = try notice.channel.map { [$0] } ?? cachedChannels()
        let find = try noticeStatements().findOrder
        var found: [(id: Int64, channel: String, deliveryMethod: String)] = []
        for channel in channels {
            try find.bind(1, channel)
            try find.bind(2, externalID)
            try find.query { row in
                found.append(
                    (
                        sqlite3_column_int64(row, 0), SQLiteStatement.text(row, 1) ?? "",
                        SQLiteStatement.text(row, 2) ?? ""
                    ))
                return true
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    func document(ofOrder id: Int64) throws -> Order {
        guard
            let document = try DatabaseValue.fetchOne(
                db.cachedStatement(sql: "SELECT document FROM orders WHERE id = ?"), arguments: [id])
        else {
            throw StoreError(
                .corruptDocument, path: db.filePath,
                message: "order \(id) has no stored document; the database was changed outside omnihub")
        }
        return try OrderBook.order(document, id: id, store: db.filePath)
    }

    /// The sales channels of the stored orders, read once per file.
    private func cachedChannels() throws -> [String] {
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
