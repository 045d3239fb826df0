/// A customer order in omnihub's canonical form, whatever channel and format it arrived in.
///
/// Every partner feed is mapped into this shape; the store, the sourcing optimizer and every
/// outbound document read only this. Money is ``Amount`` in the order's ``currency``; fields a
/// feed lacks are `nil` (printed as JSON `null`), never invented.
public struct Order: Sendable, Hashable, Codable {
    /// The sales channel, e.g. `amazon-de`; with ``externalID`` the order's business key.
    public var channel: String
    /// The channel's own order number.
    public var externalID: String
    /// When the customer placed the order.
    public var placedAt: Timestamp
    /// The currency of every amount in the order.
    public var currency: Currency
    /// Who bought.
    public var customer: Customer
    /// Where the goods go; `nil` for click & collect and reserve in store.
    public var shipTo: Address?
    /// Where the invoice goes, when the channel gives a separate one.
    public var billTo: Address?
    /// How the customer receives the goods.
    public var delivery: Delivery
    /// What was bought, at least one line.
    public var lines: [OrderLine]
    /// The shipping charge, when the channel reports one.
    public var shipping: ShippingCharge?
    /// Discounts on the whole order, spread over the lines when a refund is computed.
    public var discounts: [Discount]
    /// How the order was paid.
    public var payment: Payment?
    /// The file and record the order came from.
    public var source: SourceLocation?
    /// Whether prices, discounts and shipping exclude VAT (a business order) or include it.
    public var prices: PriceBasis = .gross

    /// An order; see each property for its meaning.
    public init(
        channel: String, externalID: String, placedAt: Timestamp, currency: Currency, customer: Customer,
        shipTo: Address?, billTo: Address?, delivery: Delivery, lines: [OrderLine], shipping: ShippingCharge?,
        discounts: [Discount], payment: Payment?, source: SourceLocation?
    ) {
        self.channel = channel
        self.externalID = externalID
        self.placedAt = placedAt
        self.currency = currency
        self.customer = customer
        self.shipTo = shipTo
        self.billTo = billTo
        self.delivery = delivery
        self.lines = lines
        self.shipping = shipping
        self.discounts = discounts
        self.payment = payment
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case channel, currency, customer, delivery, lines, shipping, discounts, payment, source, prices
        case externalID = "external_id"
        case placedAt = "placed_at"
        case shipTo = "ship_to"
        case billTo = "bill_to"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        channel = try container.decode(String.self, forKey: .channel)
        externalID = try container.decode(String.self, forKey: .externalID)
        placedAt = try container.decode(Timestamp.self, forKey: .placedAt)
        currency = try container.decode(Currency.self, forKey: .currency)
        customer = try container.decodeIfPresent(Customer.self, forKey: .customer) ?? Customer()
        shipTo = try container.decodeIfPresent(Address.self, forKey: .shipTo)
        billTo = try container.decodeIfPresent(Address.self, forKey: .billTo)
        delivery = try container.decode(Delivery.self, forKey: .delivery)
        lines = try container.decode([OrderLine].self, forKey: .lines)
        shipping = try container.decodeIfPresent(ShippingCharge.self, forKey: .shipping)
        discounts = try container.decodeIfPresent([Discount].self, forKey: .discounts) ?? []
        payment = try container.decodeIfPresent(Payment.self, forKey: .payment)
        source = try container.decodeIfPresent(SourceLocation.self, forKey: .source)
        prices = try container.decodeIfPresent(PriceBasis.self, forKey: .prices) ?? .gross
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(channel, forKey: .channel)
        try container.encode(externalID, forKey: .externalID)
        try container.encode(placedAt, forKey: .placedAt)
        try container.encode(currency, forKey: .currency)
        try container.encode(customer, forKey: .customer)
        try container.encode(shipTo, forKey: .shipTo)
        try container.encode(billTo, forKey: .billTo)
        try container.encode(delivery, forKey: .delivery)
        try container.encode(lines, forKey: .lines)
        try container.encode(shipping, forKey: .shipping)
        try container.encode(discounts, forKey: .discounts)
        try container.encode(payment, forKey: .payment)
        try container.encode(source, forKey: .source)
        // Only for net prices, so gross orders read as they always did.
        if prices == .net { try container.encode(prices, forKey: .prices) }
    }
}

/// The person who placed an order.
public struct Customer: Sendable, Hashable, Codable {
    /// Full name as the channel gives it.
    public var name: String?
    /// E-mail address, often a channel's relay address.
    public var email: String?
    /// Phone number as written.
    public var phone: String?
    /// The language to write to the customer in, as an ISO 639-1 code such as `de`, when the
    /// channel says.
    public var language: String?

    /// A customer; every field may be unknown.
    public init(name: String? = nil, email: String? = nil, phone: String? = nil, language: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
        self.language = language
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encode(phone, forKey: .phone)
        try container.encode(language, forKey: .language)
    }
}

/// A postal address.
public struct Address: Sendable, Hashable, Codable {
    /// Recipient.
    public var name: String?
    /// Company, for business customers.
    public var company: String?
    /// Street and number.
    public var line1: String?
    /// Further address detail.
    public var line2: String?
    /// Postal code as written (kept as text: leading zeros matter).
    public var postalCode: String?
    /// City.
    public var city: String?
    /// State, county or region.
    public var region: String?
    /// ISO 3166-1 alpha-2 country code.
    public var country: String?

    /// An address; validation checks the country and what a shipment needs.
    public init(
        name: String? = nil, company: String? = nil, line1: String? = nil, line2: String? = nil,
        postalCode: String? = nil, city: String? = nil, region: String? = nil, country: String? = nil
    ) {
        self.name = name
        self.company = company
        self.line1 = line1
        self.line2 = line2
        self.postalCode = postalCode
        self.city = city
        self.region = region
        self.country = country
    }

    enum CodingKeys: String, CodingKey {
        case name, company, line1, line2, city, region, country
        case postalCode = "postal_code"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(company, forKey: .company)
        try container.encode(line1, forKey: .line1)
        try container.encode(line2, forKey: .line2)
        try container.encode(postalCode, forKey: .postalCode)
        try container.encode(city, forKey: .city)
        try container.encode(region, forKey: .region)
        try container.encode(country, forKey: .country)
    }
}

/// How the customer receives the goods.
public struct Delivery: Sendable, Hashable, Codable {
    /// Ship, click & collect, or reserve in store.
    public var method: DeliveryMethod
    /// The service level the customer chose, e.g. `standard` or `express`.
    public var service: String?
    /// The store where the customer collects, for ``DeliveryMethod/collect`` and ``DeliveryMethod/reserve``.
    public var pickupNode: String?
    /// The latest delivery the channel promised the customer, when it promised one.
    public var promisedBy: Timestamp?

    /// A delivery; validation checks that collection names a store.
    public init(method: DeliveryMethod, service: String? = nil, pickupNode: String? = nil, promisedBy: Timestamp? = nil)
    {
        self.method = method
        self.service = service
        self.pickupNode = pickupNode
        self.promisedBy = promisedBy
    }

    enum CodingKeys: String, CodingKey {
        case method, service
        case pickupNode = "pickup_node"
        case promisedBy = "promised_by"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method, forKey: .method)
        try container.encode(service, forKey: .service)
        try container.encode(pickupNode, forKey: .pickupNode)
        try container.encode(promisedBy, forKey: .promisedBy)
    }
}

/// The ways an order reaches the customer.
public enum DeliveryMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Shipped to the customer's address.
    case ship
    /// Click & collect: the customer picks the goods up at a store.
    case collect
    /// Reserve in store: the goods are held at a store and paid there.
    case reserve
}

/// A shipping charge on an order.
public struct ShippingCharge: Sendable, Hashable, Codable {
    /// What the customer pays for shipping, gross.
    public var amount: Amount
    /// VAT rate in percent.
    public var taxRate: Amount?
    /// Taken off the shipping charge (a free-shipping promotion), gross; the customer pays
    /// `amount − discount`.
    public var discount: Amount?

    /// A shipping charge.
    public init(amount: Amount, taxRate: Amount? = nil, discount: Amount? = nil) {
        self.amount = amount
        self.taxRate = taxRate
        self.discount = discount
    }

    enum CodingKeys: String, CodingKey {
        case amount, discount
        case taxRate = "tax_rate"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(amount, forKey: .amount)
        try container.encode(taxRate, forKey: .taxRate)
        // Only when the feed gives one, so orders without one read as they always did.
        try container.encodeIfPresent(discount, forKey: .discount)
    }
}

/// A discount, on a line's total or on the whole order.
public struct Discount: Sendable, Hashable, Codable {
    /// The promotion or voucher code, when the channel names one.
    public var code: String?
    /// The amount taken off, gross, never negative.
    public var amount: Amount

    /// A discount.
    public init(code: String? = nil, amount: Amount) {
        self.code = code
        self.amount = amount
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(amount, forKey: .amount)
    }
}

/// How an order was paid.
public struct Payment: Sendable, Hashable, Codable {
    /// E.g. `marketplace`, `card`, `paypal`, `invoice`.
    public var method: String?
    /// The payment provider's reference.
    public var reference: String?
    /// The amount paid, when the channel reports it.
    public var amount: Amount?

    /// A payment.
    public init(method: String? = nil, reference: String? = nil, amount: Amount? = nil) {
        self.method = method
        self.reference = reference
        self.amount = amount
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method, forKey: .method)
        try container.encode(reference, forKey: .reference)
        try container.encode(amount, forKey: .amount)
    }
}

/// Where a canonical document came from: the file, and the record and line inside it.
public struct SourceLocation: Sendable, Hashable, Codable {
    /// The file, relative to its partner's folder, e.g. `amazon-de/2026-11-20.tsv`.
    public var file: String
    /// The record number in the file, from 1 (for a CSV feed: the data row of the order's first row).
    public var record: Int
    /// The line in the file where the record starts, from 1.
    public var line: Int?

    /// A source location.
    public init(file: String, record: Int, line: Int?) {
        self.file = file
        self.record = record
        self.line = line
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(record, forKey: .record)
        try container.encode(line, forKey: .line)
    }
}
