/// What sourcing sees of the store: the open lines, the stock and what is already promised.
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

    /// An order with lines still waiting for stock: what sourcing decides on, and no more, so a
    /// peak day's open orders fit in memory at once.
    public struct OpenOrder: Sendable {
        public let id: Int64
        /// The channel it was sold in.
        public let channel: String
        /// How it reaches the customer.
        public let delivery: Delivery
        /// Where it ships to, when it ships.
        public let shipTo: Address?
        public let lines: [OpenLine]

        /// The open lines of `order`.
        public init(id: Int64, order: Order, lines: [OpenLine]) {
            self.id = id
            self.channel = order.channel
            self.delivery = order.delivery
            self.shipTo = order.shipTo
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
    /// The newest open order this state looked at, when it looked at any: a batch of a larger
    /// day (the store reads open orders a batch at a time) ends here, and the next starts after it.
    public var through: Int64?
    /// Parcels each node was given today (UTC) by earlier runs, against its capacity per day.
    public var parcelsToday: [String: Int] = [:]
    /// Which version of the store's stock, orders and reservations this is: reservations decided
    /// on it are recorded only while the store is still at this version.
    public var revision: StockRevision = StockRevision(lastOrder: 0, changes: 0)

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

    /// The orders whose open lines `reservations` cover completely: they are sourced; the
    /// others stay open as backorders.
    public func fullyReserved(by reservations: [Reservation]) -> [Int64] {
        var remaining: [Int64: Int] = [:]
        for order in orders { remaining[order.id] = order.lines.reduce(0) { $0 + $1.quantity } }
        for reservation in reservations where reservation.quantity > 0 {
            remaining[reservation.orderID, default: 0] -= reservation.quantity
        }
        return remaining.filter { $0.value <= 0 }.keys.sorted()
    }
}

/// A version of the facts sourcing decides on: the newest order, and a count of changes to
/// stock, reservations, exclusions and open lines, which the store keeps.
public struct StockRevision: Sendable, Hashable, CustomStringConvertible {
    /// The newest order's id.
    public let lastOrder: Int64
    /// Changes to stock, reservations, exclusions, and orders' lines and status so far.
    public let changes: Int64

    /// A revision.
    public init(lastOrder: Int64, changes: Int64) {
        self.lastOrder = lastOrder
        self.changes = changes
    }

    public var description: String { "order \(lastOrder), change \(changes)" }
}
