/// Positions of the canonical fields in ``DocumentSchema``'s lists, so a mapped document's values
/// live in an array instead of a dictionary keyed by name. A test holds them to the schema.
enum OrderSlot {
    static let channel = 0, externalID = 1, placedAt = 2, currency = 3
    static let customerName = 4, customerEmail = 5, customerPhone = 6
    /// `ship_to.name`; the address's eight fields follow in schema order, then `bill_to`'s.
    static let shipTo = 7, billTo = 15
    static let deliveryMethod = 23, deliveryService = 24, deliveryPickupNode = 25
    static let shippingAmount = 26, shippingTaxRate = 27
    static let paymentMethod = 28, paymentReference = 29, paymentAmount = 30
    static let deliveryPromisedBy = 31, customerLanguage = 32, shippingDiscount = 33, prices = 34
    static let count = 35
}

/// Positions of an order line's fields.
enum OrderLineSlot {
    static let lineID = 0, sku = 1, gtin = 2, title = 3, quantity = 4, unitPrice = 5, lineTotal = 6, taxRate = 7
    static let count = 8
}

/// Positions of a notice's fields; slot 4 is the kind's time field (`as_of`, `shipped_at`, …).
enum NoticeSlot {
    static let channel = 0, externalID = 1, reference = 2, node = 3, time = 4, carrier = 5, service = 6
    static let trackingNumber = 7, trackingURL = 8, reason = 9
    static let count = 10
}

/// Positions of a notice line's fields.
enum NoticeLineSlot {
    static let lineID = 0, sku = 1, gtin = 2, quantity = 3, reason = 4, condition = 5
    static let count = 6
}

/// The values mapped for one document or line, by slot.
struct FieldValues {
    private var values: ContiguousArray<FieldValue?>

    init(count: Int) {
        values = ContiguousArray(repeating: nil, count: count)
    }

    subscript(slot: Int) -> FieldValue? {
        get { values[slot] }
        set { values[slot] = newValue }
    }

    var isEmpty: Bool { values.allSatisfy { $0 == nil } }
}

/// One field of a mapping, resolved once: its slot, name, kind and spec. A class, so the hot loop
/// passes one reference instead of copying every part of the spec.
final class CompiledField: Sendable {
    let slot: Int
    let name: String
    let kind: FieldKind
    let spec: FieldSpec

    init(slot: Int, name: String, kind: FieldKind, spec: FieldSpec) {
        self.slot = slot
        self.name = name
        self.kind = kind
        self.spec = spec
    }

    /// The fields of `specs` that the schema knows, in schema order.
    static func compile(_ specs: [String: FieldSpec], schema: [DocumentSchema.Field]) -> [CompiledField] {
        schema.enumerated().compactMap { slot, field in
            specs[field.name].map { CompiledField(slot: slot, name: field.name, kind: field.kind, spec: $0) }
        }
    }
}
