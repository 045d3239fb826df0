/// The kinds of inbound document a feed can carry, as a mapping's `document:` names them.
public enum DocumentKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A customer order.
    case order
    /// On-hand stock that replaces what the hub knew, as of a time.
    case stockSnapshot = "stock_snapshot"
    /// A change to on-hand stock, added to what the hub knows.
    case stockDelta = "stock_delta"
    /// A node shipped units, with carrier and tracking.
    case shipmentConfirmation = "shipment_confirmation"
    /// A store or dropshipper cannot ship lines it was given.
    case fulfilmentRejection = "fulfilment_rejection"
    /// The customer collected a click & collect order.
    case pickupConfirmation = "pickup_confirmation"
    /// Units came back.
    case returnNotice = "return_notice"
    /// The customer or channel asks to cancel an order or some of its lines.
    case cancellationRequest = "cancellation_request"
}
