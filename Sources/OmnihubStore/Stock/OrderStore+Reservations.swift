import Foundation
import GRDB
public import OmnihubCore

/// What sourcing sees of the store, read inside the transaction that writes its decision.
public struct SourcingState: Sendable {
    /// A line still waiting for stock.
    public struct OpenLine: Sendable {
        public let orderID: Int64
        public let position: Int
        public let sku: String
        /// Units not reserved yet.
        public let quantity: Int

        /// A line.
        public init(orderID: Int64, position: Int, sku: String, quantity: Int) {
            self.orderID = orderID
            self.position = position
            self.sku = sku
            self.quantity = quantity
        }
    }

    /// An order with lines still waiting for stock.
    public struct OpenOrder: Sendable {
        public let id: Int64
        public let order: Order
        public let lines: [OpenLine]

        /// An open order.
        public init(id: Int64, order: Order, lines: [OpenLine]) {
            self.id = id
            self.order = order
            self.lines = lines
        }
    }

    /// The open orders, oldest first.
    public let orders: [OpenOrder]
    /// On-hand by node and SKU.
    public let onHand: [String: [String: Int]]
    /// Reserved and not released, by node and SKU.
    public let reserved: [String: [String: Int]]
    /// Nodes that rejected an order, by order id: they may not ship it again.
    public let exclusions: [Int64: [String]]
    /// Parcels each node was given today (UTC) by earlier runs, against its capacity per day.
    public var parcelsToday: [String: Int] = [:]

    /// A state.
    public init(
        orders: [OpenOrder], onHand: [String: [String: Int]], reserved: [String: [String: Int]],
        exclusions: [Int64: [String]] = [:]
    ) {
        self.orders = orders
        self.onHand = onHand
        self.reserved = reserved
        self.exclusions = exclusions
    }
}

/// Units of one order line reserved at one node.
public struct Reservation: Sendable, Hashable {
    public let orderID: Int64
    public let position: Int
    public let node: String
    public let sku: String
    public let quantity: Int

    /// A reservation.
    public init(orderID: Int64, position: Int, node: String, sku: String, quantity: Int) {
        self.orderID = orderID
        self.position = position
        self.node = node
        self.sku = sku
        self.quantity = quantity
    }
}

extension OrderStore {
    /// Sources the open orders in one write transaction: reads the open lines, on-hand and
    /// reservations, lets `decide` choose, and writes its reservations. Another process sourcing at
    /// the same time waits for this transaction and then sees its reservations, so stock is never
    /// promised twice. Orders whose lines are all reserved become `sourced`; the others stay open
    /// as backorders for the next run.
    ///
    /// - Returns: the reservations written.
    public func sourceOpenOrders(at time: Timestamp, decide: (SourcingState) throws -> [Reservation]) throws
        -> [Reservation]
    {
        try write { db in
            var state = try sourcingState(db)
            state.parcelsToday = try parcels(on: time, db)
            let reservations = try decide(state)
            var remaining: [Int64: Int] = [:]
            for order in state.orders { remaining[order.id] = order.lines.reduce(0) { $0 + $1.quantity } }
            for reservation in reservations where reservation.quantity > 0 {
                try db.execute(
                    sql: """
                        INSERT INTO reservations (node, sku, order_id, position, quantity, kind, run_at)
                        VALUES (?, ?, ?, ?, ?, 'reserve', ?)
                        """,
                    arguments: [
                        reservation.node, reservation.sku, reservation.orderID, reservation.position,
                        reservation.quantity, time.description,
                    ])
                remaining[reservation.orderID, default: 0] -= reservation.quantity
            }
            for (order, units) in remaining where units <= 0 {
                try db.execute(sql: "UPDATE orders SET status = 'sourced' WHERE id = ?", arguments: [order])
            }
            return reservations
        }
    }

    /// Reserved units of `sku` by node.
    public func reserved(sku: String) throws -> [String: Int] {
        try read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT node, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units
                    FROM reservations WHERE sku = ? GROUP BY node
                    """, arguments: [sku])
            {
                result[row["node"]] = row["units"]
            }
            return result
        }
    }

    /// Reservations of an order, by line position and node.
    public func reservations(orderID: Int64) throws -> [Reservation] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT order_id, position, node, sku,
                        SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units
                    FROM reservations WHERE order_id = ? GROUP BY position, node, sku HAVING units > 0
                    ORDER BY position, node
                    """, arguments: [orderID]
            ).map {
                Reservation(
                    orderID: $0["order_id"], position: $0["position"], node: $0["node"], sku: $0["sku"],
                    quantity: $0["units"])
            }
        }
    }

    /// Parcels (distinct orders) each node was given reservations for on the UTC day of `time`.
    private func parcels(on time: Timestamp, _ db: Database) throws -> [String: Int] {
        let day = String(time.description.prefix(10))
        var parcels: [String: Int] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT node, COUNT(DISTINCT order_id) AS parcels FROM reservations
                WHERE kind = 'reserve' AND substr(run_at, 1, 10) = ? GROUP BY node
                """, arguments: [day])
        {
            parcels[row["node"]] = row["parcels"]
        }
        return parcels
    }

    /// On-hand and reservations as they are now, with the open orders (read-only).
    public func sourcingState() throws -> SourcingState {
        try read { db in try sourcingState(db) }
    }

    private func sourcingState(_ db: Database) throws -> SourcingState {
        var reservedByLine: [String: Int] = [:]
        var reserved: [String: [String: Int]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT order_id, position, node, sku, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units
                FROM reservations GROUP BY order_id, position, node, sku
                """)
        {
            let units: Int = row["units"]
            reservedByLine["\(row["order_id"] as Int64)/\(row["position"] as Int)", default: 0] += units
            reserved[row["node"], default: [:]][row["sku"], default: 0] += units
        }
        var onHand: [String: [String: Int]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT node, sku, on_hand FROM stock_levels") {
            onHand[row["node"], default: [:]][row["sku"]] = row["on_hand"]
        }
        var orders: [SourcingState.OpenOrder] = []
        let decoder = JSONDecoder()
        var cancelledByLine: [String: Int] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT l.order_id, l.position, l.cancelled + l.shipped AS closed FROM order_lines l
                JOIN orders o ON o.id = l.order_id WHERE o.status = 'open' AND l.cancelled + l.shipped > 0
                """)
        {
            // Cancelled and shipped units are no longer open; shipped ones no longer hold a reservation.
            cancelledByLine["\(row["order_id"] as Int64)/\(row["position"] as Int)"] = row["closed"]
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, document FROM orders WHERE status = 'open' ORDER BY id") {
            let id: Int64 = row["id"]
            let order = try decoder.decode(Order.self, from: Data((row["document"] as String).utf8))
            let lines = order.lines.enumerated().compactMap { index, line -> SourcingState.OpenLine? in
                let key = "\(id)/\(index + 1)"
                let open = line.quantity - (reservedByLine[key] ?? 0) - (cancelledByLine[key] ?? 0)
                return open > 0
                    ? SourcingState.OpenLine(orderID: id, position: index + 1, sku: line.sku, quantity: open) : nil
            }
            if !lines.isEmpty { orders.append(SourcingState.OpenOrder(id: id, order: order, lines: lines)) }
        }
        var exclusions: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT order_id, node FROM sourcing_exclusions ORDER BY order_id, node") {
            exclusions[row["order_id"], default: []].append(row["node"])
        }
        return SourcingState(orders: orders, onHand: onHand, reserved: reserved, exclusions: exclusions)
    }
}
