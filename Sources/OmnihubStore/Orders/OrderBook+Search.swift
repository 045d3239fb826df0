import Foundation
import GRDB
package import OmnihubCore

/// What the console's order search asks for; every criterion given must hold.
package struct OrderQuery: Sendable, Hashable {
    /// An order number (exact), a SKU on one of its lines (exact), or part of the customer's name.
    package var text: String?
    package var status: OrderStatus?
    package var channel: String?
    /// The day the order was placed, `yyyy-mm-dd`.
    package var placedOn: String?

    package init(text: String? = nil, status: OrderStatus? = nil, channel: String? = nil, placedOn: String? = nil) {
        self.text = text
        self.status = status
        self.channel = channel
        self.placedOn = placedOn
    }
}

/// How many orders of a channel are in a status.
package struct OrderCount: Sendable, Hashable, FetchableRecord, Decodable {
    package var channel: String
    package var status: OrderStatus
    package var orders: Int
}

extension OrderBook {
    /// The orders `query` matches, newest first. A text that is an order number finds that order
    /// through the order number's index; otherwise the orders are read from the newest back, so a
    /// page costs what it shows when matches are frequent (a SKU on one order in a million costs a
    /// scan of every order).
    package func search(_ query: OrderQuery, limit: Int, offset: Int = 0) throws -> [OrderSummary] {
        let text = query.text?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let text, offset == 0 {
            var numbered: [OrderSummary] = []
            for channel in try query.channel.map({ [$0] }) ?? channels() {
                var exact = query
                exact.channel = channel
                numbered += try search(exact, text: text, exactNumber: true, limit: limit, offset: 0)
            }
            if !numbered.isEmpty { return numbered.sorted { $0.id > $1.id } }
        }
        return try search(query, text: text, exactNumber: false, limit: limit, offset: offset)
    }

    private func search(_ query: OrderQuery, text: String?, exactNumber: Bool, limit: Int, offset: Int) throws
        -> [OrderSummary]
    {
        let pattern = text.map {
            "%"
                + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        let matching =
            exactNumber
            ? "o.channel = ?4 AND o.external_id = ?1"
            : """
            (?1 IS NULL OR o.customer_name LIKE ?2 ESCAPE '\\'
                OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.sku = ?1))
            """
        return try read { db in
            try OrderSummary.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT o.id, o.channel, o.external_id, o.placed_at, o.currency, o.customer_name,
                            o.ship_to_country, o.delivery_method, o.status, o.imported_at,
                            (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) AS lines,
                            (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS units
                        FROM orders o
                        WHERE \(matching)
                            AND (?3 IS NULL OR o.status = ?3) AND (?4 IS NULL OR o.channel = ?4)
                            AND (?5 IS NULL OR substr(o.placed_at, 1, 10) = ?5)
                        ORDER BY o.id DESC LIMIT ?6 OFFSET ?7
                        """),
                arguments: [text, pattern, query.status?.rawValue, query.channel, query.placedOn, limit, offset])
        }
    }

    /// The orders imported at or after `since`, by channel and status as they stand now: read from
    /// the (import time, channel, status) index alone.
    package func counts(importedSince since: Timestamp) throws -> [OrderCount] {
        try read { db in
            try OrderCount.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT channel, status, COUNT(*) AS orders FROM orders INDEXED BY orders_by_import
                        WHERE imported_at >= ? GROUP BY channel, status ORDER BY channel, status
                        """),
                arguments: [since.description])
        }
    }

    /// The channels of the stored orders, found by stepping through the (channel, number) index:
    /// a few index seeks, however many orders there are.
    package func channels() throws -> [String] {
        try read { db in
            try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        WITH RECURSIVE next(channel) AS (
                            SELECT MIN(channel) FROM orders
                            UNION ALL
                            SELECT (SELECT MIN(channel) FROM orders WHERE channel > next.channel) FROM next
                            WHERE next.channel IS NOT NULL)
                        SELECT channel FROM next WHERE channel IS NOT NULL
                        """))
        }
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// Units of an order line handed to a node, and how many of them it shipped.
package struct HandedLine: Sendable, Hashable, FetchableRecord, Decodable {
    package var orderID: Int64
    package var number: String
    package var channel: String
    package var status: OrderStatus
    package var node: String
    package var sku: String
    package var handed: Int
    package var shipped: Int

    enum CodingKeys: String, CodingKey {
        case number, channel, status, node, sku, handed, shipped
        case orderID = "order_id"
    }
}

extension OrderBook {
    /// The order lines handed to `nodes` (a partner's own), newest order first, with the units
    /// each node shipped of them.
    package func handed(to nodes: [String], limit: Int) throws -> [HandedLine] {
        guard !nodes.isEmpty else { return [] }
        return try read { db in
            var lines: [HandedLine] = []
            for node in nodes {
                lines += try HandedLine.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT f.order_id, o.external_id AS number, o.channel, o.status, f.node, f.sku,
                                SUM(f.quantity) AS handed,
                                COALESCE((SELECT SUM(s.quantity) FROM shipments s WHERE s.order_id = f.order_id
                                    AND s.position = f.position AND s.node = f.node), 0) AS shipped
                            FROM fulfilment_lines f JOIN orders o ON o.id = f.order_id
                            WHERE f.node = ? AND f.order_id IN (
                                SELECT DISTINCT order_id FROM fulfilment_lines WHERE node = ? ORDER BY order_id DESC LIMIT ?)
                            GROUP BY f.order_id, f.position ORDER BY f.order_id DESC, f.position
                            """),
                    arguments: [node, node, limit])
            }
            return lines.sorted { ($1.orderID, $0.node) < ($0.orderID, $1.node) }
        }
    }
}
