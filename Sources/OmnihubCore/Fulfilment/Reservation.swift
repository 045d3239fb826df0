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
