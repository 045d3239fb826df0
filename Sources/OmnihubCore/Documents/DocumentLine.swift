/// A line of a stock report, shipment, rejection, pickup, return or cancellation: which article,
/// how many, and for returns and rejections why.
public struct DocumentLine: Sendable, Hashable, Codable {
    /// The order line it refers to, when the partner gives it.
    public var lineID: String?
    /// The article.
    public var sku: String?
    /// The article's GTIN, when given.
    public var gtin: String?
    /// Units; for a stock delta may be negative.
    public var quantity: Int?
    /// Why (a return or rejection reason), as the partner wrote it.
    public var reason: String?
    /// The state of returned goods, e.g. `resellable` or `damaged`.
    public var condition: String?

    /// A line.
    public init(
        lineID: String? = nil, sku: String? = nil, gtin: String? = nil, quantity: Int? = nil, reason: String? = nil,
        condition: String? = nil
    ) {
        self.lineID = lineID
        self.sku = sku
        self.gtin = gtin
        self.quantity = quantity
        self.reason = reason
        self.condition = condition
    }

    enum CodingKeys: String, CodingKey {
        case sku, gtin, quantity, reason, condition
        case lineID = "line_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lineID, forKey: .lineID)
        try container.encode(sku, forKey: .sku)
        try container.encode(gtin, forKey: .gtin)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(reason, forKey: .reason)
        try container.encode(condition, forKey: .condition)
    }

    /// Whether this line names `line` of an order: by line id when it gives one, else by SKU.
    public func names(_ line: OrderLine) -> Bool {
        names(lineID: line.lineID, sku: line.sku)
    }

    /// Whether this line names the order line with `lineID` and `sku`: by line id when it gives
    /// one, else by SKU.
    public func names(lineID: String, sku: String) -> Bool {
        self.lineID.map { $0 == lineID } ?? (self.sku == sku)
    }
}
