import Foundation
import GRDB
package import OmnihubCore

extension StockLedger {
    /// Records sourcing's reservations, and marks `sourced` the orders they cover completely, in
    /// one transaction, while the store is still at the revision of the state they were decided
    /// on; the others stay open as backorders for the next run. `prices` are the surcharges on
    /// scarce stock and capacity each order of the batch was decided at (by order id); they
    /// replace those of its earlier runs.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/changedMeanwhile`` when orders, stock or
    ///   reservations changed since `state` was read (another process recorded something): nothing
    ///   is recorded, and sourcing decides again on the new state.
    @discardableResult
    package func recordReservations(
        _ reservations: [Reservation], sourced: [Int64], basedOn revision: StockRevision, at time: Timestamp,
        prices: [Int64: [ScarcityPrice]] = [:]
    ) throws -> StockRevision {
        try write { db in
            let now = try Self.stockRevision(db)
            guard now == revision else {
                throw StoreError(
                    .changedMeanwhile, path: path,
                    message: "orders, stock or reservations changed while sourcing decided (read at \(revision), "
                        + "now \(now)); nothing was reserved, sourcing decides again on what the store holds now")
            }
            for reservation in reservations where reservation.quantity > 0 {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO reservations (node, sku, order_id, position, quantity, kind, run_at)
                        VALUES (?, ?, ?, ?, ?, 'reserve', ?)
                        """
                ).execute(arguments: [
                    reservation.node, reservation.sku, reservation.orderID, reservation.position,
                    reservation.quantity, time.description,
                ])
            }
            for order in sourced {
                try db.cachedStatement(
                    sql: "UPDATE orders SET status = ? WHERE id = ?"
                ).execute(arguments: [OrderStatus.sourced, order])
            }
            for (order, orderPrices) in prices.sorted(by: { $0.key < $1.key }) {
                try db.cachedStatement(sql: "DELETE FROM scarcity_prices WHERE order_id = ?").execute(arguments: [order]
                )
                for price in orderPrices where price.surcharge > 0 {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO scarcity_prices (order_id, node, sku, surcharge, decided_at)
                            VALUES (?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: [order, price.node, price.sku, price.surcharge, time.description])
                }
            }
            return try Self.stockRevision(db)
        }
    }

    /// The surcharges on scarce stock and capacity the order was last sourced at, by node, then
    /// SKU (parcels last).
    package func scarcityPrices(orderID: Int64) throws -> [ScarcityPrice] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT node, sku, surcharge FROM scarcity_prices WHERE order_id = ?
                        ORDER BY node, sku IS NULL, sku
                        """), arguments: [orderID]
            ).map {
                ScarcityPrice(
                    node: try $0.decode(forColumn: "node"), sku: try $0.decode(forColumn: "sku"),
                    surcharge: try $0.decode(forColumn: "surcharge"))
            }
        }
    }

    /// The channel order numbers of up to `limit` orders, other than `orderID`, holding units of
    /// `sku` reserved at `node`, oldest first.
    package func ordersHolding(node: String, sku: String, besides orderID: Int64, limit: Int) throws -> [String] {
        try read { db in
            try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT o.external_id FROM reservations r JOIN orders o ON o.id = r.order_id
                        WHERE r.sku = ? AND r.node = ? AND r.order_id != ?
                        GROUP BY r.order_id
                        HAVING SUM(CASE r.kind WHEN 'reserve' THEN r.quantity ELSE -r.quantity END) > 0
                        ORDER BY r.order_id LIMIT ?
                        """), arguments: [sku, node, orderID, limit])
        }
    }

    /// The revision of what sourcing reads, in the caller's transaction.
    static func stockRevision(_ db: Database) throws -> StockRevision {
        StockRevision(
            lastOrder: try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM orders")) ?? 0,
            changes: try Int64.fetchOne(db.cachedStatement(sql: "SELECT changes FROM stock_revision WHERE id = 1")) ?? 0
        )
    }

    /// Reserved units of `sku` by node.
    package func reserved(sku: String) throws -> [String: Int] {
        try read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT node, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units
                        FROM reservations WHERE sku = ? GROUP BY node
                        """), arguments: [sku])
            {
                result[try row.decode(forColumn: "node")] = try row.decode(forColumn: "units")
            }
            return result
        }
    }

    /// Reservations of an order, by line position and node.
    package func reservations(orderID: Int64) throws -> [Reservation] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT order_id, position, node, sku,
                            SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units
                        FROM reservations WHERE order_id = ? GROUP BY position, node, sku HAVING units > 0
                        ORDER BY position, node
                        """), arguments: [orderID]
            ).map {
                Reservation(
                    orderID: try $0.decode(forColumn: "order_id"), position: try $0.decode(forColumn: "position"),
                    node: try $0.decode(forColumn: "node"), sku: try $0.decode(forColumn: "sku"),
                    quantity: try $0.decode(forColumn: "units"))
            }
        }
    }

    /// Parcels (distinct orders) each node was given reservations for on the UTC day of `time`.
    private func parcels(on time: Timestamp, _ db: Database) throws -> [String: Int] {
        let day = String(time.description.prefix(10))
        var parcels: [String: Int] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT node, COUNT(DISTINCT order_id) AS parcels FROM reservations
                    WHERE kind = 'reserve' AND substr(run_at, 1, 10) = ? GROUP BY node
                    """), arguments: [day])
        {
            parcels[try row.decode(forColumn: "node")] = try row.decode(forColumn: "parcels")
        }
        return parcels
    }

    /// On-hand and reservations as they are now, with the open orders and their revision; with
    /// the parcels each node was given on the UTC day of `time` when given.
    ///
    /// - Parameters:
    ///   - after: only open orders with ids above this one.
    ///   - limit: at most this many open orders, oldest first: a batch of a larger day, whose
    ///     ``SourcingState/through`` says where the next one starts; 0 for the stock alone.
    ///   - carrying: the totals the batch before left (``SourcingState/totals(after:at:)``), from
    ///     the same run and read at the same `time`: used instead of adding up every reservation
    ///     again while the store is still at their revision, else read anew.
    package func sourcingState(
        at time: Timestamp? = nil, after: Int64 = 0, limit: Int = .max, carrying: SourcingTotals? = nil
    ) throws -> SourcingState {
        try read { db in
            let revision = try Self.stockRevision(db)
            let carried = carrying.flatMap { time != nil && $0.revision == revision ? $0 : nil }
            let stock = try carried.map { (onHand: $0.onHand, reserved: $0.reserved) } ?? stockTotals(db)
            var state = try batch(
                db, at: time, after: after, limit: limit, revision: revision, onHand: stock.onHand,
                reserved: stock.reserved)
            // A batch without open orders decides nothing, so the day's parcels (counted from every
            // reservation of the day) are not read for it: an idle cycle skips that scan.
            if let time, !state.orders.isEmpty {
                state.parcelsToday = try carried?.parcelsToday ?? parcels(on: time, db)
            }
            return state
        }
    }

    /// The batch after `after` as ``sourcingState(at:after:limit:carrying:)`` reads it, without
    /// the stock totals (left empty): read ahead, on a thread of its own, while the batch before is
    /// decided and recorded, then put on the totals that batch left
    /// (``SourcingState/carrying(_:recordedOn:)``), which says whether it still holds.
    package func sourcingBatch(at time: Timestamp, after: Int64, limit: Int) throws -> SourcingState {
        try read { db in
            try batch(
                db, at: time, after: after, limit: limit, revision: try Self.stockRevision(db), onHand: [:],
                reserved: [:])
        }
    }

    /// The batch after `after` on the given units, at `revision`, with the nodes its orders were
    /// given a parcel at on the UTC day of `time` (none without a time).
    private func batch(
        _ db: Database, at time: Timestamp?, after: Int64, limit: Int, revision: StockRevision,
        onHand: [String: [String: Int]], reserved: [String: [String: Int]]
    ) throws -> SourcingState {
        var state = try sourcingState(db, after: after, limit: limit, onHand: onHand, reserved: reserved)
        state.revision = revision
        if let time, let through = state.through {
            state.parcelNodesToday = try parcelNodes(on: time, after: after, through: through, db)
        }
        return state
    }

    /// The nodes each order with an id in `after...through` was given a parcel at on the UTC day
    /// of `time`: through the reservations' index by order, so a batch reads its own orders' alone.
    private func parcelNodes(on time: Timestamp, after: Int64, through: Int64, _ db: Database) throws
        -> [Int64: Set<String>]
    {
        var nodes: [Int64: Set<String>] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT DISTINCT order_id, node FROM reservations
                    WHERE order_id > ? AND order_id <= ? AND kind = 'reserve' AND substr(run_at, 1, 10) = ?
                    """), arguments: [after, through, String(time.description.prefix(10))])
        {
            nodes[try row.decode(atIndex: 0), default: []].insert(try row.decode(atIndex: 1))
        }
        return nodes
    }

    /// On-hand and reserved units by node and SKU: every stock level, and the reserved units the store keeps.
    private func stockTotals(_ db: Database) throws -> (
        onHand: [String: [String: Int]], reserved: [String: [String: Int]]
    ) {
        var onHand: [String: [String: Int]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT node, sku, on_hand FROM stock_levels")) {
            onHand[try row.decode(forColumn: "node"), default: [:]][try row.decode(forColumn: "sku")] = try row.decode(
                forColumn: "on_hand")
        }
        var reserved: [String: [String: Int]] = [:]
        // Kept by the reservations' triggers (migration v31), not added up from every reservation.
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT node, sku, units FROM reserved_stock")) {
            reserved[try row.decode(forColumn: "node"), default: [:]][try row.decode(forColumn: "sku")] =
                try row.decode(forColumn: "units")
        }
        return (onHand, reserved)
    }

    /// The batch after `after`, on the given on-hand and reserved units.
    private func sourcingState(
        _ db: Database, after: Int64, limit: Int, onHand: [String: [String: Int]], reserved: [String: [String: Int]]
    ) throws -> SourcingState {
        // The batch: the oldest `limit` open orders after `after` (the partial index keeps this to
        // the open orders however long the history).
        guard
            let through = try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT MAX(id) FROM (SELECT id FROM orders WHERE status = 'open' AND id > ? ORDER BY id LIMIT ?)
                        """), arguments: [after, limit])
        else {
            return SourcingState(orders: [], onHand: onHand, reserved: reserved, exclusions: try exclusions(db))
        }
        let batch: StatementArguments = [after, through]
        var reservedByLine: [LineKey: Int] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT order_id, position, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units
                    FROM reservations WHERE order_id > ? AND order_id <= ? GROUP BY order_id, position
                    """), arguments: batch)
        {
            reservedByLine[
                LineKey(
                    orderID: try row.decode(forColumn: "order_id"), position: try row.decode(forColumn: "position"))
            ] = try row.decode(forColumn: "units")
        }
        var cancelledByLine: [LineKey: Int] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT l.order_id, l.position, l.cancelled + l.shipped AS closed FROM order_lines l
                    JOIN orders o ON o.id = l.order_id
                    WHERE o.status = 'open' AND l.order_id > ? AND l.order_id <= ? AND l.cancelled + l.shipped > 0
                    """), arguments: batch)
        {
            // Cancelled and shipped units are no longer open; shipped ones no longer hold a reservation.
            cancelledByLine[
                LineKey(orderID: try row.decode(forColumn: "order_id"), position: try row.decode(forColumn: "position"))
            ] = try row.decode(forColumn: "closed")
        }
        var orders: [SourcingState.OpenOrder] = []
        // A cursor, decoded a chunk at a time on every core: a chunk's stored documents in hand
        // at most, not the batch's.
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT id, document FROM orders WHERE status = 'open' AND id > ? AND id <= ? ORDER BY id"),
            arguments: batch)
        let path = self.path
        var chunk: [(id: Int64, document: DatabaseValue)] = []
        func decodeChunk() throws {
            let read = chunk
            chunk.removeAll(keepingCapacity: true)
            let decoded = parallelMap(read.count, workers: outboxWorkers, minimumPerWorker: 32) { index in
                Result { try OrderBook.order(read[index].document, id: read[index].id, store: path) }
            }
            for (row, result) in zip(read, decoded) {
                let id = row.id
                let order = try result.get()
                let lines = order.lines.enumerated().compactMap { index, line -> SourcingState.OpenLine? in
                    let key = LineKey(orderID: id, position: index + 1)
                    let open = line.quantity - (reservedByLine[key] ?? 0) - (cancelledByLine[key] ?? 0)
                    return open > 0
                        ? SourcingState.OpenLine(orderID: id, position: index + 1, sku: line.sku, quantity: open) : nil
                }
                if !lines.isEmpty { orders.append(SourcingState.OpenOrder(id: id, order: order, lines: lines)) }
            }
        }
        while let row = try rows.next() {
            chunk.append((try row.decode(forColumn: "id"), row["document"]))
            if chunk.count == Self.decodedTogether { try decodeChunk() }
        }
        try decodeChunk()
        var state = SourcingState(orders: orders, onHand: onHand, reserved: reserved, exclusions: try exclusions(db))
        state.through = through
        return state
    }

    /// How many stored orders a sourcing batch decodes at once, on every core.
    static let decodedTogether = 512

    /// The nodes that rejected each order (few: a rejection is rare), by order id.
    private func exclusions(_ db: Database) throws -> [Int64: [String]] {
        var exclusions: [Int64: [String]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT order_id, node FROM sourcing_exclusions ORDER BY order_id, node"))
        {
            exclusions[try row.decode(forColumn: "order_id"), default: []].append(try row.decode(forColumn: "node"))
        }
        return exclusions
    }
}

/// One order line, as sourcing adds up what is reserved, cancelled and shipped of it.
private struct LineKey: Hashable {
    let orderID: Int64
    let position: Int
}
