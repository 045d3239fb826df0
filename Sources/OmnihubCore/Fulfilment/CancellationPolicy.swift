/// What a cancellation request or a node's rejection takes back of an order: which units, from
/// which node's reservation, and which of them the node must be told of because it was handed them.
public enum CancellationPolicy {
    /// What an order line holds at a node now.
    public struct Held: Sendable, Hashable {
        public let node: String
        /// Units reserved there and not released.
        public let reserved: Int
        /// Units handed to the node in fulfilment orders and not taken back since.
        public let handedOver: Int

        /// A node's hold on a line.
        public init(node: String, reserved: Int, handedOver: Int) {
            self.node = node
            self.reserved = reserved
            self.handedOver = handedOver
        }
    }

    /// Units of one line released at one node; `takenBack` of them were handed over already.
    public struct Release: Sendable, Hashable {
        public let node: String
        public let units: Int
        public let takenBack: Int

        /// A release.
        public init(node: String, units: Int, takenBack: Int) {
            self.node = node
            self.units = units
            self.takenBack = takenBack
        }
    }

    /// What a cancellation does to one line.
    public struct LineCancellation: Sendable, Hashable {
        /// The line's position, from 1.
        public let position: Int
        /// Units cancelled now.
        public let units: Int
        /// Units the request asked for that were not open (shipped or cancelled before): they stay.
        public let notOpen: Int
        /// Why, as the request gave it for the line (else for the whole request).
        public let reason: String?
        /// Reservations released, node by node.
        public let releases: [Release]
    }

    /// What a cancellation request does to an order.
    public struct Decision: Sendable, Hashable {
        /// The lines it cancels units of (lines it names, or all of them), in order.
        public let lines: [LineCancellation]
        /// Units of the order still to ship afterwards.
        public let remaining: Int

        /// Units released in all.
        public var released: Int { lines.reduce(0) { $0 + $1.releases.reduce(0) { $0 + $1.units } } }
    }

    /// The cancellation `request` asks of `order`: the lines it names (all of them when it names
    /// none) lose the units it asks for (all open ones when it gives no quantity), never more than
    /// are open: shipped units cannot be cancelled. Each line's reservations are released node by
    /// node in `held`'s order; at a node, units not handed over yet are taken first (they need no
    /// message), the rest are taken back from the node, which is told.
    ///
    /// - Parameters:
    ///   - closed: per position, units cancelled or shipped before.
    ///   - held: per position, what each node holds of it, in the order to release.
    public static func cancel(
        _ request: InboundNotice, of order: Order, closed: [Int: Int], held: [Int: [Held]]
    ) -> Decision {
        var lines: [LineCancellation] = []
        var remaining = 0
        for (index, line) in order.lines.enumerated() {
            let position = index + 1
            let open = line.quantity - (closed[position] ?? 0)
            let asked = request.lines.first { $0.names(line) }
            guard request.lines.isEmpty || asked != nil else {
                remaining += open
                continue
            }
            let units = max(0, min(open, asked?.quantity ?? line.quantity))
            remaining += open - units
            var releases: [Release] = []
            var released = 0
            for hold in held[position] ?? [] where hold.reserved > 0 {
                let take = min(hold.reserved, units - released)
                guard take > 0 else { continue }
                let notHandedOver = max(0, hold.reserved - hold.handedOver)
                let takenBack = min(take - min(take, notHandedOver), hold.handedOver)
                releases.append(Release(node: hold.node, units: take, takenBack: takenBack))
                released += take
            }
            lines.append(
                LineCancellation(
                    position: position, units: units, notOpen: max(0, (asked?.quantity ?? open) - units),
                    reason: asked?.reason ?? request.reason, releases: releases))
        }
        return Decision(lines: lines, remaining: remaining)
    }

    /// Why customer care may not cancel `lines` of `order` (none: every open unit), or `nil`:
    /// each line named must exist and have the units open. `cancelled` and `shipped` give, per
    /// position, the units cancelled and shipped before.
    public static func refusal(
        cancelling lines: [DocumentLine], of order: Order, cancelled: [Int: Int], shipped: [Int: Int]
    ) -> String? {
        func open(_ index: Int) -> Int {
            order.lines[index].quantity - (cancelled[index + 1] ?? 0) - (shipped[index + 1] ?? 0)
        }
        if lines.isEmpty {
            return order.lines.indices.contains { open($0) > 0 }
                ? nil
                : "order \(order.externalID) has no unit left to cancel: every unit shipped or was cancelled; a "
                    + "shipped unit comes back as a return (omnihub order return)"
        }
        for line in lines {
            guard let index = order.lines.indices.first(where: { line.names(order.lines[$0]) }) else {
                return
                    "order \(order.externalID) has no line \(line.lineID ?? line.sku ?? "?"); see omnihub orders show"
            }
            let asked = line.quantity ?? open(index)
            guard asked > 0, asked <= open(index) else {
                let orderLine = order.lines[index]
                return "order \(order.externalID) line \(orderLine.lineID) (\(orderLine.sku)) has \(open(index)) of "
                    + "\(orderLine.quantity) units open (\(shipped[index + 1] ?? 0) shipped, \(cancelled[index + 1] ?? 0) "
                    + "cancelled), so \(asked) cannot be cancelled; a shipped unit comes back as a return "
                    + "(omnihub order return)"
            }
        }
        return nil
    }

    /// The positions of `order` a rejection names: by line id, else by SKU; no lines means all.
    public static func rejectedPositions(_ rejection: InboundNotice, of order: Order) -> [Int] {
        order.lines.indices.filter { index in
            rejection.lines.isEmpty || rejection.lines.contains { $0.names(order.lines[index]) }
        }.map { $0 + 1 }
    }

    /// The status of an order with nothing left to ship: shipped when any unit shipped, else cancelled.
    public static func closedStatus(shippedUnits: Int) -> OrderStatus {
        shippedUnits > 0 ? .shipped : .cancelled
    }
}
