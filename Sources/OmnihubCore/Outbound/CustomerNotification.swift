/// A message for the customer, as a file a mailer picks up: the event, the language to write in,
/// the address, the order, and what the event is about (the units, the parcel's tracking, the
/// pickup store, the refunded amount). The wording lives with the mailer's templates, or in the
/// format file as a lookup keyed by ``subjectKey``.
public struct CustomerNotification: FormattedDocument {
    /// What happened.
    public enum Event: String, Sendable, Hashable, CaseIterable {
        /// omnihub has the order.
        case orderConfirmed = "order_confirmed"
        /// A parcel left a node, with its tracking.
        case shipped
        /// A click & collect order waits at the store.
        case readyForPickup = "ready_for_pickup"
        /// Money went back to the customer.
        case refundIssued = "refund_issued"
        /// Units were cancelled before they shipped, with what they gave back.
        case orderCancelled = "order_cancelled"
        /// A click & collect or reserve order still waits at the store; the deadline is near.
        case pickupReminder = "pickup_reminder"
        /// It was not collected in time: cancelled, and refunded when it was paid.
        case pickupExpired = "pickup_expired"
        /// Units the customer sent back arrived (at a DC, or at a store's counter).
        case returnReceived = "return_received"
        /// Customer care exchanged units for another article: the replacement order is confirmed.
        case orderExchanged = "order_exchanged"
        /// The parcel with the exchanged article left a node.
        case exchangeShipped = "exchange_shipped"
    }

    /// One article the message is about.
    public struct Line: Sendable, Hashable {
        public var sku: String
        public var title: String?
        public var quantity: Int

        /// A line.
        public init(sku: String, title: String?, quantity: Int) {
            self.sku = sku
            self.title = title
            self.quantity = quantity
        }
    }

    public var type: String { "customer_notification" }
    public var event: Event
    public var number: String
    /// The mailer's outbox folder.
    public var destination: String
    public var wave: Timestamp
    /// An ISO 639-1 code such as `de`.
    public var language: String
    public var customer: Customer
    public var channel: String
    public var orderNumber: String
    public var lines: [Line]
    public var carrier: String?
    public var trackingNumber: String?
    public var pickupNode: String?
    public var amount: Amount?
    public var currency: Currency
    public var lineCount: Int { lines.count }

    /// A notification about `order`; the language is the customer's when it is one of
    /// `languages`, else `defaultLanguage`.
    public init(
        event: Event, number: String, destination: String, at time: Timestamp, order: Order, lines: [Line],
        languages: [String], defaultLanguage: String
    ) {
        self.event = event
        self.number = number
        self.destination = destination
        self.wave = time
        let primary = order.customer.language?.split(whereSeparator: { $0 == "-" || $0 == "_" }).first
            .map { $0.lowercased() }
        self.language = primary.flatMap { languages.contains($0) ? $0 : nil } ?? defaultLanguage
        self.customer = order.customer
        self.channel = order.channel
        self.orderNumber = order.externalID
        self.lines = lines
        self.pickupNode = order.delivery.pickupNode
        self.currency = order.currency
    }

    /// `event.language`, e.g. `shipped.de`: the key a format's lookup turns into a subject line.
    public var subjectKey: String { "\(event.rawValue).\(language)" }

    public func value(_ name: String, line index: Int) -> String? {
        switch name {
        case "document_type": return type
        case "event": return event.rawValue
        case "number": return number
        case "created_at": return wave.description
        case "language": return language
        case "subject_key": return subjectKey
        case "email": return customer.email
        case "name": return customer.name
        case "channel": return channel
        case "order": return orderNumber
        case "carrier": return carrier
        case "tracking_number": return trackingNumber
        case "pickup_node": return pickupNode
        case "amount": return amount?.description
        case "currency": return currency.code
        default: break
        }
        guard index < lines.count else { return nil }
        switch name {
        case "position": return String(index + 1)
        case "sku": return lines[index].sku
        case "title": return lines[index].title ?? lines[index].sku
        case "quantity": return String(lines[index].quantity)
        default: return nil
        }
    }

    public func value(_ name: String, in collection: String, at index: Int) -> String? {
        switch collection {
        case "": return value(name, line: lines.count)
        case "lines": return index < lines.count ? value(name, line: index) : nil
        default: return nil
        }
    }

    /// Every name ``value(_:line:)`` knows.
    public static let fieldNames = [
        "document_type", "event", "number", "created_at", "language", "subject_key", "email", "name", "channel",
        "order", "carrier", "tracking_number", "pickup_node", "amount", "currency", "position", "sku", "title",
        "quantity",
    ]

    public static let amountFields: Set<String> = ["amount"]
}
