/// What a sales channel is told once its orders are stored: each order line accepted, under
/// omnihub's own order id, so the marketplace knows the seller has the order. The same shape
/// tells the channel of units the seller cancels (`order_cancellation`), each with its reason.
public struct OrderAcknowledgement: FormattedDocument {
    /// One acknowledged order line.
    public struct Line: Sendable, Hashable {
        public var orderNumber: String
        /// omnihub's id of the order.
        public var merchantOrderID: String
        public var lineID: String
        /// The line's position in the order, from 1.
        public var linePosition: Int
        public var sku: String
        public var quantity: Int
        /// Why the seller cancels the units (cancellations only), e.g. `out_of_stock`; why the
        /// customer sent them back (returns).
        public var reason: String?
        /// Returns only: the state they came back in, what they were worth (VAT included) and
        /// when they arrived.
        public var condition: String? = nil
        public var amount: Amount? = nil
        public var currency: String? = nil
        public var receivedAt: String? = nil

        /// A line.
        public init(
            orderNumber: String, merchantOrderID: String, lineID: String, linePosition: Int, sku: String, quantity: Int,
            reason: String? = nil
        ) {
            self.orderNumber = orderNumber
            self.merchantOrderID = merchantOrderID
            self.lineID = lineID
            self.linePosition = linePosition
            self.sku = sku
            self.quantity = quantity
            self.reason = reason
        }
    }

    /// `order_acknowledgement`, `order_cancellation` for units the seller cancels, or
    /// `channel_return` for units that came back.
    public var type: String
    public var number: String
    /// The sales channel (the partner the file goes to).
    public var destination: String
    public var wave: Timestamp
    /// Which part of the channel's wave this is (1, 2, …), when the wave took more than one.
    public var part: Int?
    public var lines: [Line]
    public var lineCount: Int { lines.count }

    /// An acknowledgement, or with `type: "order_cancellation"` a seller cancellation.
    public init(
        number: String, channel: String, wave: Timestamp, lines: [Line], type: String = "order_acknowledgement"
    ) {
        self.type = type
        self.number = number
        self.destination = channel
        self.wave = wave
        self.lines = lines
    }

    public func value(_ name: String, line index: Int) -> String? {
        let line = lines[index]
        switch name {
        case "document_type": return type
        case "number": return number
        case "channel": return destination
        case "wave": return wave.description
        case "position": return String(index + 1)
        case "order": return line.orderNumber
        case "merchant_order": return line.merchantOrderID
        case "line_id": return line.lineID
        case "merchant_line": return "\(line.merchantOrderID)-\(line.linePosition)"
        case "sku": return line.sku
        case "quantity": return String(line.quantity)
        case "status":
            switch type {
            case "order_cancellation": return "cancelled"
            case "channel_return": return "returned"
            default: return "accepted"
            }
        case "reason": return line.reason
        case "condition": return line.condition
        case "amount": return line.amount?.description
        case "currency": return line.currency
        case "received_at": return line.receivedAt
        default: return nil
        }
    }

    /// Every name ``value(_:line:)`` knows.
    public static let fieldNames = [
        "document_type", "number", "channel", "wave", "position", "order", "merchant_order", "line_id",
        "merchant_line", "sku", "quantity", "status", "reason", "condition", "amount", "currency", "received_at",
    ]

    public static let amountFields: Set<String> = ["amount"]
}
