import Foundation
import GRDB
import OmnihubCore

extension OrderBook {
    /// The stored orders with `ids` (those that exist), by id.
    package func byID(_ ids: some Collection<Int64>) throws -> [Int64: StoredOrder] {
        try read { db in try OrderBook.storedOrders(db, ids: Set(ids)) }
    }

    /// Orders, newest first, optionally of one channel.
    package func list(channel: String? = nil, limit: Int = 100, offset: Int = 0) throws -> [OrderSummary] {
        try read { db in
            try OrderSummary.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT o.id, o.channel, o.external_id, o.placed_at, o.currency, o.customer_name,
                            o.ship_to_country, o.delivery_method, o.status, o.imported_at,
                            COUNT(l.position) AS lines, COALESCE(SUM(l.quantity), 0) AS units
                        FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
                        WHERE ?1 IS NULL OR o.channel = ?1
                        GROUP BY o.id ORDER BY o.id DESC LIMIT ?2 OFFSET ?3
                        """),
                arguments: [channel, limit, offset])
        }
    }

    /// How many orders the store holds.
    package func count() throws -> Int {
        try read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM orders")) ?? 0 }
    }

    /// The orders a reference names: omnihub's numeric id, or a channel's external id (which two
    /// channels may share; `channel` narrows it).
    package func matching(_ reference: String, channel: String? = nil) throws -> [StoredOrder] {
        try read { db in
            var rows: [Row] = []
            if channel == nil, let id = Int64(reference) {
                rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM orders WHERE id = ?"), arguments: [id])
            }
            if rows.isEmpty {
                // Through the (channel, number) index, one channel at a time.
                let channels =
                    try channel.map { [$0] }
                    ?? String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT channel FROM orders"))
                for channel in channels {
                    rows += try Row.fetchAll(
                        db.cachedStatement(sql: "SELECT * FROM orders WHERE channel = ? AND external_id = ?"),
                        arguments: [channel, reference])
                }
                rows.sort { ($0["id"] as Int64) < ($1["id"] as Int64) }
            }
            return try rows.map { row in try storedOrder(row, db: db) }
        }
    }

    /// Every file and record that carried the order, oldest first.
    package func lineage(orderID: Int64) throws -> [LineageEntry] {
        try read { db in
            try LineageEntry.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT o.file_id, o.record, o.line, 'imported' AS outcome, 0 AS sequence,
                            f.partner, f.name AS file, f.stored_path, f.received_at
                        FROM orders o JOIN files f ON f.id = o.file_id WHERE o.id = ?1
                        UNION ALL
                        SELECT g.file_id, g.record, g.line, g.outcome, g.id AS sequence,
                            f.partner, f.name AS file, f.stored_path, f.received_at
                        FROM order_lineage g JOIN files f ON f.id = g.file_id WHERE g.order_id = ?1
                        ORDER BY sequence
                        """),
                arguments: [orderID]
            )
        }
    }

    /// The order with omnihub id `id`, with its canonical document, or `nil`.
    static func storedOrder(_ db: Database, id: Int64) throws -> StoredOrder? {
        try storedOrders(db, ids: CollectionOfOne(id))[id]
    }

    /// The orders with `ids` that exist, by id: read on this thread, their documents decoded on
    /// both cores (decoding is most of what reading an order costs, and a part of 500 orders is
    /// read at once by the stages that confirm, invoice and tell of shipments).
    static func storedOrders(_ db: Database, ids: some Sequence<Int64>) throws -> [Int64: StoredOrder] {
        var rows: [(id: Int64, status: OrderStatus, importedAt: String, document: DatabaseValue)] = []
        for id in ids {
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT status, imported_at, document FROM orders WHERE id = ?"),
                    arguments: [id])
            else { continue }
            rows.append((id, try row.decode(atIndex: 0), try row.decode(atIndex: 1), row[2]))
        }
        let path = db.filePath
        let read = rows
        let decoded = parallelMap(read.count, workers: outboxWorkers, minimumPerWorker: 32) { index in
            Result { try order(read[index].document, id: read[index].id, store: path) }
        }
        var orders: [Int64: StoredOrder] = [:]
        orders.reserveCapacity(rows.count)
        for (row, order) in zip(read, decoded) {
            orders[row.id] = StoredOrder(
                id: row.id, status: row.status, importedAt: row.importedAt, order: try order.get())
        }
        return orders
    }

    private func storedOrder(_ row: Row, db: Database) throws -> StoredOrder {
        var order = try Self.order(
            try row.decode(forColumn: "document"), id: try row.decode(forColumn: "id"), store: path)
        let fileName = try String.fetchOne(
            db.cachedStatement(sql: "SELECT partner || '/' || name FROM files WHERE id = ?"),
            arguments: [try row.decode(forColumn: "file_id") as Int64])
        order.source = SourceLocation(
            file: fileName ?? "?", record: try row.decode(forColumn: "record"), line: try row.decode(forColumn: "line"))
        return StoredOrder(
            id: try row.decode(forColumn: "id"), status: try row.decode(forColumn: "status"),
            importedAt: try row.decode(forColumn: "imported_at"), order: order)
    }

    /// The canonical order stored as `document` for order `id` (``StoredOrderDocument``).
    ///
    /// - Throws: ``StoreError/Code/corruptDocument`` when it does not decode.
    static func order(_ stored: DatabaseValue, id: Int64, store path: String) throws -> Order {
        let document: [UInt8]
        do {
            document = try StoredOrderDocument.json(stored)
        } catch {
            throw StoreError(
                .corruptDocument, path: path,
                message: "order \(id): \(error); the database was changed outside omnihub or is damaged", cause: error)
        }
        if let order = document.withUnsafeBytes({ Order(canonicalJSON: $0) }) { return order }
        do {
            return try JSONDecoder().decode(Order.self, from: Data(document))
        } catch {
            throw StoreError(
                .corruptDocument, path: path,
                message: "order \(id) has a stored document that does not decode (\(error)); "
                    + "the database was changed outside omnihub or is damaged", cause: error)
        }
    }
}
