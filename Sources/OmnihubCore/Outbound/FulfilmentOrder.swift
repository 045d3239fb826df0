/// What a node is asked to ship in one wave: the lines sourcing reserved there since its last
/// fulfilment order, with what the picker and the carrier need.
public struct FulfilmentOrder: FormattedDocument {
    /// One line to pick.
    public struct Line: Sendable, Hashable {
        public var channel: String
        public var orderNumber: String
        public var lineID: String
        public var sku: String
        public var title: String?
        public var quantity: Int
        /// `ship`, `collect` or `reserve`.
        public var delivery: String
        /// The store the goods go to for click & collect and reserve in store.
        public var pickupNode: String?
        public var shipTo: Address?
        /// Why the units are cancelled (cancellations only).
        public var reason: String?

        /// A line.
        public init(
            channel: String, orderNumber: String, lineID: String, sku: String, title: String?, quantity: Int,
            delivery: String, pickupNode: String?, shipTo: Address?, reason: String? = nil
        ) {
            self.channel = channel
            self.orderNumber = orderNumber
            self.lineID = lineID
            self.sku = sku
            self.title = title
            self.quantity = quantity
            self.delivery = delivery
            self.pickupNode = pickupNode
            self.shipTo = shipTo
            self.reason = reason
        }
    }

    /// `fulfilment_order`, or `fulfilment_cancellation` for units handed over before whose order
    /// line was cancelled: the node must not ship them.
    public var type: String
    /// The document's number, unique per node and wave.
    public var number: String
    /// The node that ships.
    public var node: String
    /// When the wave was released.
    public var wave: Timestamp
    /// Which part of the node's wave this is (1, 2, …), when the wave took more than one
    /// document; `nil` when one held it all.
    public var part: Int?
    public var lines: [Line]

    /// A fulfilment order.
    public init(type: String = "fulfilment_order", number: String, node: String, wave: Timestamp, lines: [Line]) {
        self.type = type
        self.number = number
        self.node = node
        self.wave = wave
        self.lines = lines
    }

    /// The value a format column names, for the line at `index` (document fields for any line).
    public func value(_ name: String, line index: Int) -> String? {
        let line = lines[index]
        switch name {
        case "document_type": return type
        case "number": return number
        case "node": return node
        case "wave": return wave.description
        case "position": return String(index + 1)
        case "channel": return line.channel
        case "order": return line.orderNumber
        case "line_id": return line.lineID
        case "sku": return line.sku
        case "title": return line.title
        case "quantity": return String(line.quantity)
        case "delivery": return line.delivery
        case "pickup_node": return line.pickupNode
        case "ship_to.name": return line.shipTo?.name
        case "ship_to.company": return line.shipTo?.company
        case "ship_to.line1": return line.shipTo?.line1
        case "ship_to.line2": return line.shipTo?.line2
        case "ship_to.postal_code": return line.shipTo?.postalCode
        case "ship_to.city": return line.shipTo?.city
        case "ship_to.country": return line.shipTo?.country
        case "reason": return line.reason
        default: return nil
        }
    }

    public var destination: String { node }
    public var lineCount: Int { lines.count }

    /// Every name ``value(_:line:)`` knows.
    public static let fieldNames = [
        "document_type", "number", "node", "wave", "position", "channel", "order", "line_id", "sku", "title",
        "quantity", "delivery",
        "pickup_node", "ship_to.name", "ship_to.company", "ship_to.line1", "ship_to.line2", "ship_to.postal_code",
        "ship_to.city", "ship_to.country", "reason",
    ]
}
