/// One order line's units of one SKU at one node: the key under which reservations, hand-overs
/// and cancellations add up.
public struct OrderLineAtNode: Sendable, Hashable, Comparable {
    /// omnihub's id of the order.
    public let orderID: Int64
    /// The line's position in the order, from 1.
    public let position: Int
    public let node: String
    public let sku: String

    /// A key.
    public init(orderID: Int64, position: Int, node: String, sku: String) {
        self.orderID = orderID
        self.position = position
        self.node = node
        self.sku = sku
    }

    /// Order, then line, then node and SKU: the order in which a node's documents list their units.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.orderID, lhs.position, lhs.node, lhs.sku) < (rhs.orderID, rhs.position, rhs.node, rhs.sku)
    }
}
