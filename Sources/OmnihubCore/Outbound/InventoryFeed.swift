/// What a sales channel may sell, per SKU: the units available to promise over the nodes that
/// ship its orders, after reservations, safety stock and stock fenced for other channels.
public struct InventoryFeed: FormattedDocument {
    /// One SKU's sellable quantity.
    public struct Line: Sendable, Hashable {
        public var sku: String
        public var quantity: Int

        /// A line.
        public init(sku: String, quantity: Int) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    public var type: String { "inventory_feed" }
    public var number: String
    /// The sales channel (the partner the file goes to).
    public var destination: String
    public var wave: Timestamp
    /// `full` (every SKU) or `changes` (only SKUs whose quantity changed since the last feed).
    public var mode: String
    public var lines: [Line]
    public var lineCount: Int { lines.count }

    /// An inventory feed.
    public init(number: String, channel: String, wave: Timestamp, mode: String, lines: [Line]) {
        self.number = number
        self.destination = channel
        self.wave = wave
        self.mode = mode
        self.lines = lines
    }

    public func value(_ name: String, line index: Int) -> String? {
        switch name {
        case "document_type": return type
        case "number": return number
        case "channel": return destination
        case "wave": return wave.description
        case "mode": return mode
        case "position": return String(index + 1)
        case "sku": return lines[index].sku
        case "quantity": return String(lines[index].quantity)
        default: return nil
        }
    }

    /// Every name ``value(_:line:)`` knows.
    public static let fieldNames = [
        "document_type", "number", "channel", "wave", "mode", "position", "sku", "quantity",
    ]
}
