/// Which units each node is handed and which it is told to hold back, decided from what the store
/// knows of reservations and earlier fulfilment documents.
public struct FulfilmentPlan: Sendable, Hashable {
    /// What the store knows, per order line at a node.
    public struct Facts: Sendable, Hashable {
        /// Units reserved and not released.
        public var reserved: [OrderLineAtNode: Int] = [:]
        /// Units handed over in fulfilment orders.
        public var handedOver: [OrderLineAtNode: Int] = [:]
        /// Handed-over units a cancellation took back.
        public var takenBack: [OrderLineAtNode: Int] = [:]
        /// Taken-back units no fulfilment cancellation has told the node of yet, oldest first.
        public var untoldCancellations: [UntoldCancellation] = []

        /// Facts.
        public init(
            reserved: [OrderLineAtNode: Int] = [:], handedOver: [OrderLineAtNode: Int] = [:],
            takenBack: [OrderLineAtNode: Int] = [:], untoldCancellations: [UntoldCancellation] = []
        ) {
            self.reserved = reserved
            self.handedOver = handedOver
            self.takenBack = takenBack
            self.untoldCancellations = untoldCancellations
        }
    }

    /// Handed-over units taken back, recorded under `id`, that the node has not been told of.
    public struct UntoldCancellation: Sendable, Hashable {
        public let id: Int64
        public let units: FulfilmentCandidate

        /// An untold cancellation.
        public init(id: Int64, units: FulfilmentCandidate) {
            self.id = id
            self.units = units
        }
    }

    /// One node's work: the units to hold back (told first) and the units to pick and ship.
    public struct NodeWork: Sendable, Hashable {
        public let node: String
        /// Cancellations to tell, oldest first.
        public var toCancel: [UntoldCancellation] = []
        /// Units to hand over, by order and line.
        public var toShip: [FulfilmentCandidate] = []

        /// The units to hand over in fulfilment orders of at most `ordersPerPart` orders each (one
        /// at least), an order never split between two: a peak day's wave reaches the node as
        /// files it can take one by one, and is recorded and written a part at a time.
        public func shipParts(ordersPerPart: Int) -> [[FulfilmentCandidate]] {
            let limit = max(1, ordersPerPart)
            var parts: [[FulfilmentCandidate]] = []
            var part: [FulfilmentCandidate] = []
            var orders = 0
            for unit in toShip {
                if part.last?.orderID != unit.orderID {
                    if orders == limit {
                        parts.append(part)
                        part = []
                        orders = 0
                    }
                    orders += 1
                }
                part.append(unit)
            }
            if !part.isEmpty { parts.append(part) }
            return parts
        }
    }

    /// Units of a line at a node to hand over now: what is reserved there beyond what was
    /// handed over, counting taken-back units as no longer handed over (none when 0 or less).
    public static func unitsToHandOver(reserved: Int, handedOver: Int, takenBack: Int) -> Int {
        reserved - handedOver + takenBack
    }

    /// Nodes with work, in name order.
    public let nodes: [NodeWork]

    /// The plan for `facts`: each line at a node is handed what is reserved there beyond what
    /// was handed over, counting taken-back units as no longer handed over.
    public init(_ facts: Facts) {
        var work: [String: NodeWork] = [:]
        for line in Set(facts.reserved.keys).union(facts.takenBack.keys) {
            let units = Self.unitsToHandOver(
                reserved: facts.reserved[line] ?? 0, handedOver: facts.handedOver[line] ?? 0,
                takenBack: facts.takenBack[line] ?? 0)
            guard units > 0 else { continue }
            work[line.node, default: NodeWork(node: line.node)].toShip.append(
                FulfilmentCandidate(line, quantity: units))
        }
        for cancellation in facts.untoldCancellations {
            work[cancellation.units.node, default: NodeWork(node: cancellation.units.node)].toCancel.append(
                cancellation)
        }
        nodes = work.keys.sorted().map { node in
            var entry = work[node]!
            entry.toShip.sort { $0.line < $1.line }
            return entry
        }
    }
}
