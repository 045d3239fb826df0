/// What kind of value a canonical field holds, which decides how a source value is converted.
public enum FieldKind: String, Sendable, Hashable {
    /// Text, after transforms.
    case text
    /// A whole number.
    case int
    /// An exact decimal, such as a VAT rate.
    case decimal
    /// An amount of money in the order's currency.
    case money
    /// A point in time with a zone.
    case datetime
    /// An ISO 4217 currency code.
    case currency
    /// One of the delivery methods `ship`, `collect`, `reserve`.
    case deliveryMethod = "delivery_method"
}

/// A canonical order field a mapping can fill, named as in the canonical JSON (`ship_to.city`).
public enum OrderField: String, Sendable, Hashable, CaseIterable {
    case channel
    case externalID = "external_id"
    case placedAt = "placed_at"
    case currency
    case customerName = "customer.name"
    case customerEmail = "customer.email"
    case customerPhone = "customer.phone"
    case shipToName = "ship_to.name"
    case shipToCompany = "ship_to.company"
    case shipToLine1 = "ship_to.line1"
    case shipToLine2 = "ship_to.line2"
    case shipToPostalCode = "ship_to.postal_code"
    case shipToCity = "ship_to.city"
    case shipToRegion = "ship_to.region"
    case shipToCountry = "ship_to.country"
    case billToName = "bill_to.name"
    case billToCompany = "bill_to.company"
    case billToLine1 = "bill_to.line1"
    case billToLine2 = "bill_to.line2"
    case billToPostalCode = "bill_to.postal_code"
    case billToCity = "bill_to.city"
    case billToRegion = "bill_to.region"
    case billToCountry = "bill_to.country"
    case deliveryMethod = "delivery.method"
    case deliveryService = "delivery.service"
    case deliveryPickupNode = "delivery.pickup_node"
    case shippingAmount = "shipping.amount"
    case shippingTaxRate = "shipping.tax_rate"
    case paymentMethod = "payment.method"
    case paymentReference = "payment.reference"
    case paymentAmount = "payment.amount"

    /// The kind of value the field holds.
    public var kind: FieldKind {
        switch self {
        case .placedAt: .datetime
        case .currency: .currency
        case .deliveryMethod: .deliveryMethod
        case .shippingAmount, .paymentAmount: .money
        case .shippingTaxRate: .decimal
        default: .text
        }
    }
}

/// A canonical order line field a mapping can fill.
///
/// `line_total` is not stored: a feed that gives the price of the whole line maps it here and
/// omnihub divides it by the quantity to get ``unitPrice``.
public enum LineField: String, Sendable, Hashable, CaseIterable {
    case lineID = "line_id"
    case sku
    case gtin
    case title
    case quantity
    case unitPrice = "unit_price"
    case lineTotal = "line_total"
    case taxRate = "tax_rate"

    /// The kind of value the field holds.
    public var kind: FieldKind {
        switch self {
        case .quantity: .int
        case .unitPrice, .lineTotal: .money
        case .taxRate: .decimal
        default: .text
        }
    }
}
