/// Reserved units not yet handed to their node in a fulfilment order, or handed-over units a
/// cancellation took back, which the node is to be told about.
public struct FulfilmentCandidate: Sendable, Hashable {
    public let orderID: Int64
    public let position: Int
    public let node: String
    public let sku: String
    public let quantity: Int
    /// Why the units are cancelled, as the cancellation request gave it (cancellations only).
    public var reason: String? = nil

    /// Units of one line at one node.
    public init(_ line: OrderLineAtNode, quantity: Int, reason: String? = nil) {
        self.orderID = line.orderID
        self.position = line.position
        self.node = line.node
        self.sku = line.sku
        self.quantity = quantity
        self.reason = reason
    }

    /// The line and node the units belong to.
    public var line: OrderLineAtNode { OrderLineAtNode(orderID: orderID, position: position, node: node, sku: sku) }
}

/// What a fulfilment document asks of its node.
public enum FulfilmentDocumentKind: String, Sendable, Hashable, CaseIterable {
    /// Pick and ship these units.
    case order = "fulfilment_order"
    /// Do not ship these units, handed over before: their order line was cancelled.
    case cancellation = "fulfilment_cancellation"
}
