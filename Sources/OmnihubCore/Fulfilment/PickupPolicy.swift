/// Click & collect and reserve in store after the pickup store put the order on its shelf: what
/// a pickup confirmation takes, when the customer is reminded, and when an uncollected order
/// expires.
public enum PickupPolicy {
    /// How long an order waits on the shelf, and when the customer is reminded.
    public struct Window: Sendable, Hashable {
        /// Days from the shelf to expiry.
        public let pickupDays: Int
        /// Days before expiry the customer is reminded.
        public let remindDaysBefore: Int

        /// A window.
        public init(pickupDays: Int, remindDaysBefore: Int) {
            self.pickupDays = pickupDays
            self.remindDaysBefore = remindDaysBefore
        }
    }

    /// What is due for an order on the shelf.
    public enum Due: Sendable, Hashable {
        /// Nothing yet.
        case nothing
        /// The reminder, saying the order waits until `deadline`.
        case remind(deadline: Timestamp)
        /// The order was not collected in time.
        case expire
    }

    /// Whether units `node` booked for `order` wait on its pickup shelf: a click & collect or
    /// reserve order's own pickup store.
    public static func isShelf(_ order: Order, node: String) -> Bool {
        order.delivery.method != .ship && order.delivery.pickupNode == node
    }

    /// Whether units `node` booked for `order` are invoiced only when collected: a reserve
    /// order is paid at the counter.
    public static func invoicedAtPickup(_ order: Order, node: String) -> Bool {
        order.delivery.method == .reserve && isShelf(order, node: node)
    }

    /// What is due at `now` for an order on the shelf since `readyAt`.
    public static func due(readyAt: Timestamp, now: Timestamp, window: Window) -> Due {
        let day: Int64 = 86_400_000
        let deadline = Timestamp(millisecondsSince1970: readyAt.millisecondsSince1970 + Int64(window.pickupDays) * day)
        if now.millisecondsSince1970 >= deadline.millisecondsSince1970 { return .expire }
        if now.millisecondsSince1970 >= deadline.millisecondsSince1970 - Int64(window.remindDaysBefore) * day {
            return .remind(deadline: deadline)
        }
        return .nothing
    }

    /// The units (position → units) a pickup confirmation of `lines` takes from the shelf (every
    /// unit on it when it names none), or why it is refused: a line the order lacks, or more units
    /// than wait on the shelf (`shelf`: position → units).
    public static func pickUp(_ lines: [DocumentLine], of order: Order, shelf: [Int: Int]) -> Result<
        [Int: Int], Refusal
    > {
        guard !lines.isEmpty else {
            let all = shelf.filter { $0.value > 0 }
            guard !all.isEmpty else {
                return .failure(
                    Refusal(
                        message:
                            "order \(order.externalID) has nothing on the pickup shelf to collect; the store books "
                            + "the units (a shipment confirmation without tracking) before the customer collects them"))
            }
            return .success(all)
        }
        var taken: [Int: Int] = [:]
        for line in lines {
            guard let index = order.lines.indices.first(where: { line.names(order.lines[$0]) }) else {
                return .failure(
                    Refusal(message: "order \(order.externalID) has no line \(line.lineID ?? line.sku ?? "?")"))
            }
            let position = index + 1
            let waiting = (shelf[position] ?? 0) - (taken[position] ?? 0)
            let units = line.quantity ?? waiting
            guard units > 0, units <= waiting else {
                return .failure(
                    Refusal(
                        message: "order \(order.externalID) line \(order.lines[index].lineID) "
                            + "(\(order.lines[index].sku)) has \(waiting) unit(s) on the pickup shelf, so \(units) "
                            + "cannot be collected"))
            }
            taken[position, default: 0] += units
        }
        return .success(taken)
    }

    /// Why a pickup confirmation does not fit the order.
    public struct Refusal: Error, Sendable, Hashable {
        public let message: String
    }
}
