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

/// The fields a mapping may fill for one document kind, with their kinds and which are required.
public struct DocumentSchema: Sendable {
    /// A canonical field.
    public struct Field: Sendable, Hashable {
        /// The name a mapping uses, e.g. `ship_to.city`.
        public let name: String
        /// The kind of value.
        public let kind: FieldKind
        /// Whether every document needs it.
        public let required: Bool
    }

    /// Fields of the document itself.
    public let header: [Field]
    /// Fields of each line.
    public let lines: [Field]
    /// Whether the document needs at least one line.
    public let needsLines: Bool
    /// Whether `discounts` may be mapped.
    public let hasDiscounts: Bool

    /// The header field named `name`.
    public func headerField(_ name: String) -> Field? { header.first { $0.name == name } }

    /// The line field named `name`.
    public func lineField(_ name: String) -> Field? { lines.first { $0.name == name } }

    /// The schema of a document kind.
    public static func of(_ kind: DocumentKind) -> DocumentSchema {
        switch kind {
        case .order: order
        case .stockSnapshot: notice(time: "as_of", required: ["node", "as_of"], lines: ["sku", "quantity"])
        case .stockDelta: notice(time: "as_of", required: ["node"], lines: ["sku", "quantity"])
        case .shipmentConfirmation:
            notice(time: "shipped_at", required: ["external_id", "node", "shipped_at"], lines: ["quantity"])
        case .fulfilmentRejection:
            notice(time: "rejected_at", required: ["external_id", "node", "rejected_at"], lines: ["quantity"])
        case .pickupConfirmation:
            notice(time: "picked_up_at", required: ["external_id", "node", "picked_up_at"], lines: nil)
        case .returnNotice: notice(time: "received_at", required: ["external_id", "received_at"], lines: ["quantity"])
        case .cancellationRequest: notice(time: "requested_at", required: ["external_id", "requested_at"], lines: nil)
        }
    }

    private static let order = DocumentSchema(
        header: [
            Field(name: "channel", kind: .text, required: true),
            Field(name: "external_id", kind: .text, required: true),
            Field(name: "placed_at", kind: .datetime, required: true),
            Field(name: "currency", kind: .currency, required: true),
            Field(name: "customer.name", kind: .text, required: false),
            Field(name: "customer.email", kind: .text, required: false),
            Field(name: "customer.phone", kind: .text, required: false),
        ]
            + ["ship_to", "bill_to"].flatMap { address in
                ["name", "company", "line1", "line2", "postal_code", "city", "region", "country"].map {
                    Field(name: "\(address).\($0)", kind: .text, required: false)
                }
            } + [
                Field(name: "delivery.method", kind: .deliveryMethod, required: false),
                Field(name: "delivery.service", kind: .text, required: false),
                Field(name: "delivery.pickup_node", kind: .text, required: false),
                Field(name: "shipping.amount", kind: .money, required: false),
                Field(name: "shipping.tax_rate", kind: .decimal, required: false),
                Field(name: "payment.method", kind: .text, required: false),
                Field(name: "payment.reference", kind: .text, required: false),
                Field(name: "payment.amount", kind: .money, required: false),
                Field(name: "delivery.promised_by", kind: .datetime, required: false),
                Field(name: "customer.language", kind: .text, required: false),
                Field(name: "shipping.discount", kind: .money, required: false),
                Field(name: "prices", kind: .text, required: false),
            ],
        lines: [
            Field(name: "line_id", kind: .text, required: false),
            Field(name: "sku", kind: .text, required: true),
            Field(name: "gtin", kind: .text, required: false),
            Field(name: "title", kind: .text, required: false),
            Field(name: "quantity", kind: .int, required: true),
            Field(name: "unit_price", kind: .money, required: false),
            Field(name: "line_total", kind: .money, required: false),
            Field(name: "tax_rate", kind: .decimal, required: false),
        ],
        needsLines: true, hasDiscounts: true)

    private static func notice(time: String, required: Set<String>, lines requiredLines: Set<String>?) -> DocumentSchema
    {
        let header = [
            "channel", "external_id", "reference", "node", time, "carrier", "service", "tracking_number",
            "tracking_url", "reason",
        ].map { name in
            Field(name: name, kind: name == time ? .datetime : .text, required: required.contains(name))
        }
        let lines = ["line_id", "sku", "gtin", "quantity", "reason", "condition"].map { name in
            Field(name: name, kind: name == "quantity" ? .int : .text, required: requiredLines?.contains(name) ?? false)
        }
        return DocumentSchema(header: header, lines: lines, needsLines: requiredLines != nil, hasDiscounts: false)
    }
}
