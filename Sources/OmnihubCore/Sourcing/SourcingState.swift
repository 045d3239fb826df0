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
    /// The nodes each order of ``orders`` was already given a parcel at today (UTC), read with
    /// ``parcelsToday``: what a reservation at another node adds to a node's parcels.
    public var parcelNodesToday: [Int64: Set<String>] = [:]

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

    /// The on-hand, reserved and parcel totals once `reservations` are recorded on this state and
    /// the store is at `revision`: the next batch of the same run reads them from here instead of
    /// adding up every reservation the store holds, as long as the store is still at `revision`.
    public func totals(after reservations: [Reservation], at revision: StockRevision) -> SourcingTotals {
        var reserved = self.reserved
        var parcels = parcelsToday
        var parcelNodes = parcelNodesToday
        for reservation in reservations where reservation.quantity > 0 {
            reserved[reservation.node, default: [:]][reservation.sku, default: 0] += reservation.quantity
            if parcelNodes[reservation.orderID, default: []].insert(reservation.node).inserted {
                parcels[reservation.node, default: 0] += 1
            }
        }
        return SourcingTotals(revision: revision, onHand: onHand, reserved: reserved, parcelsToday: parcels)
    }

    /// This batch, read ahead while the batch before it was decided and recorded, on the totals
    /// that batch left: the state the store would give for this batch now, or `nil` when it may
    /// not be.
    ///
    /// Recording the batch before changed its own orders and reservations alone, which this batch
    /// does not read, and the stock totals, which `totals` carry. So this batch holds if the store
    /// was at `decidedOn` (the revision the batch before was decided and recorded on) or at
    /// `totals.revision` (the one its recording left) when it was read; any other revision means
    /// another writer changed the store in between, and the batch is read anew.
    public func carrying(_ totals: SourcingTotals, recordedOn decidedOn: StockRevision) -> SourcingState? {
        guard revision == decidedOn || revision == totals.revision else { return nil }
        var state = SourcingState(
            orders: orders, onHand: totals.onHand, reserved: totals.reserved, exclusions: exclusions)
        state.through = through
        state.parcelsToday = totals.parcelsToday
        state.revision = totals.revision
        state.parcelNodesToday = parcelNodesToday
        return state
    }
}

/// What every batch of one sourcing run reads alike, at one revision of the store: on-hand and
/// reserved units by node and SKU, and the parcels each node was given today.
public struct SourcingTotals: Sendable, Hashable {
    /// The store's revision these totals hold at.
    public let revision: StockRevision
    /// On-hand by node and SKU.
    public let onHand: [String: [String: Int]]
    /// Reserved and not released, by node and SKU.
    public let reserved: [String: [String: Int]]
    /// Parcels each node was given today (UTC).
    public let parcelsToday: [String: Int]

    /// Totals.
    public init(
        revision: StockRevision, onHand: [String: [String: Int]], reserved: [String: [String: Int]],
        parcelsToday: [String: Int]
    ) {
        self.revision = revision
        self.onHand = onHand
        self.reserved = reserved
        self.parcelsToday = parcelsToday
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
