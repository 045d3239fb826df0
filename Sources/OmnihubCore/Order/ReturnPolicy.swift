/// What a return of goods does to an order: which shipped units of which lines come back, and
/// whether they go back into stock.
///
/// Only units that shipped (or were picked up) and have not come back yet can be returned; a
/// return that asks for more is refused whole, with a message naming the order, the line, what
/// it shipped and what came back, so a partner's mistake never books half a parcel.
public enum ReturnPolicy {
    /// What one order line has shipped and got back so far.
    public struct LineState: Sendable, Hashable {
        /// Units shipped or picked up.
        public let shipped: Int
        /// Units returned already.
        public let returned: Int

        /// A line's state.
        public init(shipped: Int, returned: Int) {
            self.shipped = shipped
            self.returned = returned
        }

        /// Units that may still come back.
        public var returnable: Int { max(0, shipped - returned) }
    }

    /// Units of one order line coming back.
    public struct LineReturn: Sendable, Hashable {
        /// The order line's position, from 1.
        public let position: Int
        /// Units coming back.
        public let units: Int
        /// The state the goods came back in, as the partner wrote it.
        public let condition: String?
        /// Whether they go back into the receiving node's stock; else they are booked out.
        public let restock: Bool
        /// Why the customer sent them back, as the partner wrote it.
        public let reason: String?

        /// A part of a return.
        public init(position: Int, units: Int, condition: String?, restock: Bool, reason: String?) {
            self.position = position
            self.units = units
            self.condition = condition
            self.restock = restock
            self.reason = reason
        }
    }

    /// What a return does, or why it is refused.
    public enum Decision: Sendable, Hashable {
        case accepted([LineReturn])
        case refused(String)
    }

    /// The conditions, lower-cased, in which returned goods go back into stock when no list is
    /// configured; a return without a condition counts as resellable.
    public static let resellableConditions: Set<String> = ["resellable", "new", "as_new", "unopened", "good"]

    /// The return of `lines` of `order` (whose line states are `states`, one per order line).
    ///
    /// A return line names an order line by line id, else by SKU; units for a SKU that several
    /// lines carry go to the first lines with units left to return. Units come back into stock
    /// when their condition is missing or in `resellable` (compared lower-cased).
    public static func receive(
        _ lines: [DocumentLine], of order: Order, states: [LineState],
        resellable: Set<String> = resellableConditions
    ) -> Decision {
        guard !lines.isEmpty else {
            return .refused("the return of order \(order.externalID) names no lines; say which articles came back")
        }
        var left = states.map(\.returnable)
        var accepted: [LineReturn] = []
        for line in lines {
            let what = line.lineID.map { "line \($0)" } ?? line.sku.map { "SKU \($0)" } ?? "a line without SKU"
            guard let quantity = line.quantity, quantity > 0 else {
                return .refused(
                    "the return of order \(order.externalID) gives \(what) no quantity above 0; say how many units "
                        + "came back")
            }
            let named = order.lines.indices.filter { line.names(order.lines[$0]) }
            guard !named.isEmpty else {
                return .refused(
                    "order \(order.externalID) has no \(what), so its return cannot be booked; check the order number "
                        + "and the article")
            }
            var wanted = quantity
            for index in named where wanted > 0 && left[index] > 0 {
                let units = min(wanted, left[index])
                left[index] -= units
                wanted -= units
                let condition = line.condition.flatMap { $0.isEmpty ? nil : $0 }
                accepted.append(
                    LineReturn(
                        position: index + 1, units: units, condition: condition,
                        restock: condition.map { resellable.contains($0.lowercased()) } ?? true, reason: line.reason))
            }
            if wanted > 0 {
                let index = named[0]
                let state = states[index]
                return .refused(
                    "order \(order.externalID) line \(order.lines[index].lineID) (\(order.lines[index].sku)) shipped "
                        + "\(state.shipped) and got \(state.returned) back, so a return of \(quantity) is more than "
                        + "was sent; nothing of this return was booked. Check the quantity, or whether the units "
                        + "shipped yet")
            }
        }
        return .accepted(accepted)
    }
}
