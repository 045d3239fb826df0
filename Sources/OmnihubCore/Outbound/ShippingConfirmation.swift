/// What a sales channel is told about shipped units: per order line, how many left which node,
/// when, with which carrier and tracking number, so the marketplace can close the line and tell
/// the customer.
public struct ShippingConfirmation: FormattedDocument {
    /// One shipped order line.
    public struct Line: Sendable, Hashable {
        public var orderNumber: String
        public var lineID: String
        public var sku: String
        public var quantity: Int
        public var node: String
        public var shippedAt: Timestamp
        public var carrier: String?
        public var service: String?
        public var trackingNumber: String?

        /// A line.
        public init(
            orderNumber: String, lineID: String, sku: String, quantity: Int, node: String, shippedAt: Timestamp,
            carrier: String?, service: String?, trackingNumber: String?
        ) {
            self.orderNumber = orderNumber
            self.lineID = lineID
            self.sku = sku
            self.quantity = quantity
            self.node = node
            self.shippedAt = shippedAt
            self.carrier = carrier
            self.service = service
            self.trackingNumber = trackingNumber
        }
    }

    public var type: String { "shipping_confirmation" }
    public var number: String
    /// The sales channel (the partner the file goes to).
    public var destination: String
    public var wave: Timestamp
    /// Which part of the channel's wave this is (1, 2, …), when the wave took more than one.
    public var part: Int?
    public var lines: [Line]
    public var lineCount: Int { lines.count }

    /// A shipping confirmation.
    public init(number: String, channel: String, wave: Timestamp, lines: [Line]) {
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
        case "line_id": return line.lineID
        case "sku": return line.sku
        case "quantity": return String(line.quantity)
        case "node": return line.node
        case "shipped_at": return line.shippedAt.description
        case "ship_date": return String(line.shippedAt.description.prefix(10))
        case "carrier": return line.carrier
        case "service": return line.service
        case "tracking_number": return line.trackingNumber
        default: return nil
        }
    }

    /// Every name ``value(_:line:)`` knows.
    public static let fieldNames = [
        "document_type", "number", "channel", "wave", "position", "order", "line_id", "sku", "quantity", "node",
        "shipped_at", "ship_date", "carrier", "service", "tracking_number",
    ]
}
