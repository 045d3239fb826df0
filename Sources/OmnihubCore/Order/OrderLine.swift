/// One article on an order.
public struct OrderLine: Sendable, Hashable, Codable {
    /// The channel's id for the line, e.g. Amazon's order-item-id.
    public var lineID: String
    /// The retailer's article number; never empty.
    public var sku: String
    /// The GTIN (EAN/UPC), when the channel gives one.
    public var gtin: String?
    /// The article's name as sold.
    public var title: String?
    /// Units ordered, at least 1.
    public var quantity: Int
    /// Price of one unit, gross, before discounts; never negative.
    public var unitPrice: Amount
    /// VAT rate in percent, e.g. `19`.
    public var taxRate: Amount?
    /// Discounts on this line's total.
    public var discounts: [Discount]

    /// An order line.
    public init(
        lineID: String, sku: String, gtin: String? = nil, title: String? = nil, quantity: Int, unitPrice: Amount,
        taxRate: Amount? = nil, discounts: [Discount] = []
    ) {
        self.lineID = lineID
        self.sku = sku
        self.gtin = gtin
        self.title = title
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.taxRate = taxRate
        self.discounts = discounts
    }

    /// Unit price times quantity, before discounts, at the price's scale without trailing zeros.
    ///
    /// - Precondition: the order passed validation, whose bounds (``Order/largestAmount``,
    ///   ``Order/largestQuantity``) keep the product within 18 digits.
    public var grossTotal: Amount { unitPrice.normalized * quantity }

    enum CodingKeys: String, CodingKey {
        case sku, gtin, title, quantity, discounts
        case lineID = "line_id"
        case unitPrice = "unit_price"
        case taxRate = "tax_rate"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lineID = try container.decode(String.self, forKey: .lineID)
        sku = try container.decode(String.self, forKey: .sku)
        gtin = try container.decodeIfPresent(String.self, forKey: .gtin)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        quantity = try container.decode(Int.self, forKey: .quantity)
        unitPrice = try container.decode(Amount.self, forKey: .unitPrice)
        taxRate = try container.decodeIfPresent(Amount.self, forKey: .taxRate)
        discounts = try container.decodeIfPresent([Discount].self, forKey: .discounts) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lineID, forKey: .lineID)
        try container.encode(sku, forKey: .sku)
        try container.encode(gtin, forKey: .gtin)
        try container.encode(title, forKey: .title)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(unitPrice, forKey: .unitPrice)
        try container.encode(taxRate, forKey: .taxRate)
        try container.encode(discounts, forKey: .discounts)
    }
}
