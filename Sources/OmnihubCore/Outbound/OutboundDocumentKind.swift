/// The kinds of file omnihub writes into the outbox, as the outbox ledger names them.
public enum OutboundDocumentKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Units a node is to pick and ship.
    case fulfilmentOrder = "fulfilment_order"
    /// Handed-over units a node is not to ship: their order line was cancelled.
    case fulfilmentCancellation = "fulfilment_cancellation"
    /// A channel is told omnihub has its new orders.
    case orderAcknowledgement = "order_acknowledgement"
    /// A channel is told of units the seller cancelled.
    case orderCancellation = "order_cancellation"
    /// A channel is told of units that came back, with what they were worth.
    case channelReturn = "channel_return"
    /// A channel is told of shipped units, with tracking.
    case shippingConfirmation = "shipping_confirmation"
    /// A channel is told how many units of each SKU it may sell.
    case inventoryFeed = "inventory_feed"
    /// An invoice for shipped units, for the ERP.
    case invoice
    /// A credit note for invoiced units given back, for the ERP.
    case creditNote = "credit_note"
    /// The ledger batch of invoices and credit notes.
    case bookings
    /// A message to the customer.
    case customerNotification = "customer_notification"
    /// Money going back to a customer, for the payment side.
    case refund

    /// The kind of a finance document's file.
    public init(_ kind: Invoice.Kind) {
        switch kind {
        case .invoice: self = .invoice
        case .creditNote: self = .creditNote
        }
    }
}
