extension Order {
    /// Reads the canonical JSON that ``canonicalJSON(includingSource:compact:)`` writes (the form
    /// the store keeps) without Foundation's `Codable` machinery, which cost about 45 µs an order
    /// and was read several times per order and cycle. `nil` when the bytes are not exactly in that
    /// shape (another key, a wrong type, a value that does not parse): the caller then decodes them
    /// with `JSONDecoder`, whose errors say what is wrong.
    public init?(canonicalJSON bytes: UnsafeRawBufferPointer) {
        var reader = CanonicalJSONReader(bytes)
        guard let value = reader.document(), case .object(let fields) = value else { return nil }
        var order = Order.Fields()
        for (key, value) in fields {
            guard order.set(key, value) else { return nil }
        }
        guard let built = order.build() else { return nil }
        self = built
    }

    /// The fields of an order as read, before the required ones are checked.
    private struct Fields {
        var channel: String?
        var externalID: String?
        var placedAt: Timestamp?
        var currency: Currency?
        var customer = Customer()
        var shipTo: Address?
        var billTo: Address?
        var delivery: Delivery?
        var lines: [OrderLine]?
        var shipping: ShippingCharge?
        var discounts: [Discount] = []
        var payment: Payment?
        var source: SourceLocation?
        var prices = PriceBasis.gross

        mutating func set(_ key: String, _ value: CanonicalJSONValue) -> Bool {
            switch key {
            case "channel": channel = value.string
            case "external_id": externalID = value.string
            case "placed_at": placedAt = value.string.flatMap { try? DateTimeFormat.iso8601.parse($0, zone: nil) }
            case "currency": currency = value.string.flatMap(Currency.init(code:))
            case "customer":
                guard let customer = value.customer else { return value.isNull }
                self.customer = customer
            case "ship_to":
                guard let address = value.address else { return value.isNull }
                shipTo = address
            case "bill_to":
                guard let address = value.address else { return value.isNull }
                billTo = address
            case "delivery": delivery = value.delivery
            case "lines":
                guard case .array(let items) = value else { return false }
                var lines: [OrderLine] = []
                lines.reserveCapacity(items.count)
                for item in items {
                    guard let line = item.orderLine else { return false }
                    lines.append(line)
                }
                self.lines = lines
            case "shipping":
                guard let shipping = value.shippingCharge else { return value.isNull }
                self.shipping = shipping
            case "discounts":
                guard let discounts = value.discounts else { return value.isNull }
                self.discounts = discounts
            case "payment":
                guard let payment = value.payment else { return value.isNull }
                self.payment = payment
            case "source":
                guard let source = value.source else { return value.isNull }
                self.source = source
            case "prices":
                guard let prices = value.string.flatMap(PriceBasis.init(rawValue:)) else { return false }
                self.prices = prices
            default: return false
            }
            return true
        }

        func build() -> Order? {
            guard let channel, let externalID, let placedAt, let currency, let delivery, let lines else { return nil }
            var order = Order(
                channel: channel, externalID: externalID, placedAt: placedAt, currency: currency, customer: customer,
                shipTo: shipTo, billTo: billTo, delivery: delivery, lines: lines, shipping: shipping,
                discounts: discounts, payment: payment, source: source)
            order.prices = prices
            return order
        }
    }
}

/// A JSON value as the canonical order holds them: strings, integers, null, arrays and objects.
enum CanonicalJSONValue {
    case string(String)
    case integer(Int)
    case null
    case array([CanonicalJSONValue])
    case object([(String, CanonicalJSONValue)])

    var isNull: Bool {
        if case .null = self { true } else { false }
    }

    var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// A string or null as an optional string; `.none` for any other type.
    var optionalString: String?? {
        switch self {
        case .string(let text): return .some(text)
        case .null: return .some(nil)
        default: return .none
        }
    }

    /// An amount or null; `.none` for anything else.
    var optionalAmount: Amount?? {
        switch self {
        case .string(let text): return Amount(parsing: text).map { .some($0) }
        case .null: return .some(nil)
        default: return .none
        }
    }

    /// The object's fields, each read by `read`, which says whether it knew the key and its type.
    func fields(_ read: (String, CanonicalJSONValue) -> Bool) -> Bool {
        guard case .object(let fields) = self else { return false }
        for (key, value) in fields where !read(key, value) { return false }
        return true
    }

    var customer: Customer? {
        var customer = Customer()
        let known = fields { key, value in
            guard let text = value.optionalString else { return false }
            switch key {
            case "name": customer.name = text
            case "email": customer.email = text
            case "phone": customer.phone = text
            case "language": customer.language = text
            default: return false
            }
            return true
        }
        return known ? customer : nil
    }

    var address: Address? {
        var address = Address()
        let known = fields { key, value in
            guard let text = value.optionalString else { return false }
            switch key {
            case "name": address.name = text
            case "company": address.company = text
            case "line1": address.line1 = text
            case "line2": address.line2 = text
            case "postal_code": address.postalCode = text
            case "city": address.city = text
            case "region": address.region = text
            case "country": address.country = text
            default: return false
            }
            return true
        }
        return known ? address : nil
    }

    var delivery: Delivery? {
        var method: DeliveryMethod?
        var delivery = Delivery(method: .ship)
        let known = fields { key, value in
            guard let text = value.optionalString else { return false }
            switch key {
            case "method":
                method = text.flatMap(DeliveryMethod.init(rawValue:))
                return method != nil
            case "service": delivery.service = text
            case "pickup_node": delivery.pickupNode = text
            case "promised_by":
                guard let text else { return true }
                guard let promised = try? DateTimeFormat.iso8601.parse(text, zone: nil) else { return false }
                delivery.promisedBy = promised
            default: return false
            }
            return true
        }
        guard known, let method else { return nil }
        delivery.method = method
        return delivery
    }

    var discounts: [Discount]? {
        guard case .array(let items) = self else { return nil }
        var discounts: [Discount] = []
        for item in items {
            var code: String?
            var amount: Amount?
            let known = item.fields { key, value in
                switch key {
                case "code":
                    guard let text = value.optionalString else { return false }
                    code = text
                case "amount": amount = value.string.flatMap { Amount(parsing: $0) }
                default: return false
                }
                return true
            }
            guard known, let amount else { return nil }
            discounts.append(Discount(code: code, amount: amount))
        }
        return discounts
    }

    var orderLine: OrderLine? {
        var lineID: String?
        var sku: String?
        var quantity: Int?
        var unitPrice: Amount?
        var gtin: String?
        var title: String?
        var taxRate: Amount?
        var discounts: [Discount] = []
        let known = fields { key, value in
            switch key {
            case "line_id": lineID = value.string
            case "sku": sku = value.string
            case "quantity":
                guard case .integer(let number) = value else { return false }
                quantity = number
            case "unit_price": unitPrice = value.string.flatMap { Amount(parsing: $0) }
            case "gtin":
                guard let text = value.optionalString else { return false }
                gtin = text
            case "title":
                guard let text = value.optionalString else { return false }
                title = text
            case "tax_rate":
                guard let rate = value.optionalAmount else { return false }
                taxRate = rate
            case "discounts":
                guard let read = value.discounts else { return value.isNull }
                discounts = read
            default: return false
            }
            return true
        }
        guard known, let lineID, let sku, let quantity, let unitPrice else { return nil }
        return OrderLine(
            lineID: lineID, sku: sku, gtin: gtin, title: title, quantity: quantity, unitPrice: unitPrice,
            taxRate: taxRate, discounts: discounts)
    }

    var shippingCharge: ShippingCharge? {
        var amount: Amount?
        var taxRate: Amount?
        var discount: Amount?
        let known = fields { key, value in
            switch key {
            case "amount": amount = value.string.flatMap { Amount(parsing: $0) }
            case "tax_rate":
                guard let rate = value.optionalAmount else { return false }
                taxRate = rate
            case "discount":
                guard let read = value.optionalAmount else { return false }
                discount = read
            default: return false
            }
            return true
        }
        guard known, let amount else { return nil }
        return ShippingCharge(amount: amount, taxRate: taxRate, discount: discount)
    }

    var payment: Payment? {
        var payment = Payment()
        let known = fields { key, value in
            switch key {
            case "method":
                guard let text = value.optionalString else { return false }
                payment.method = text
            case "reference":
                guard let text = value.optionalString else { return false }
                payment.reference = text
            case "amount":
                guard let amount = value.optionalAmount else { return false }
                payment.amount = amount
            default: return false
            }
            return true
        }
        return known ? payment : nil
    }

    var source: SourceLocation? {
        var file: String?
        var record: Int?
        var line: Int?
        let known = fields { key, value in
            switch (key, value) {
            case ("file", .string(let text)): file = text
            case ("record", .integer(let number)): record = number
            case ("line", .integer(let number)): line = number
            case ("line", .null): line = nil
            default: return false
            }
            return true
        }
        guard known, let file, let record else { return nil }
        return SourceLocation(file: file, record: record, line: line)
    }
}

/// A reader of the JSON the canonical writer makes: UTF-8, no floating point, nesting of a few
/// levels. Anything else ends the read with `nil`.
struct CanonicalJSONReader {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The whole document; `nil` unless it is one value followed by nothing but white space.
    mutating func document() -> CanonicalJSONValue? {
        guard let value = value() else { return nil }
        skipSpace()
        return index == bytes.count ? value : nil
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func value() -> CanonicalJSONValue? {
        skipSpace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""): return string().map { .string($0) }
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "n"):
            guard literal("null") else { return nil }
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer()
        default: return nil
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func integer() -> CanonicalJSONValue? {
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var number = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflowTimes) = number.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
            guard !overflowTimes, !overflowSum else { return nil }
            number = sum
            digits += 1
            index += 1
        }
        // A fraction or an exponent is not canonical: the decoder's fallback reads it.
        guard digits > 0, index >= bytes.count || !".eE".utf8.contains(bytes[index]) else { return nil }
        return .integer(negative ? -number : number)
    }

    private mutating func object() -> CanonicalJSONValue? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 16 else { return nil }
        index += 1
        var fields: [(String, CanonicalJSONValue)] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(fields)
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard let value = value() else { return nil }
            fields.append((key, value))
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { return nil }
            index += 1
            return .object(fields)
        }
    }

    private mutating func array() -> CanonicalJSONValue? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 16 else { return nil }
        index += 1
        var items: [CanonicalJSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            guard let value = value() else { return nil }
            items.append(value)
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { return nil }
            index += 1
            return .array(items)
        }
    }

    /// A string at `index` (its opening quote); escapes decoded, invalid UTF-8 refused.
    private mutating func string() -> String? {
        index += 1
        let start = index
        // Fast path: no escape. ASCII text (nearly all of an order) needs no UTF-8 validation, and
        // `String(validating:)` costs a generic lookup per call; text with other bytes is validated.
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                let text = ascii ? String(decoding: raw, as: UTF8.self) : String(validating: raw, as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            ascii = ascii && byte < 0x80
            index += 1
        }
        var scalars = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(validating: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escaped)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(code) {
                        guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    scalars.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
                default: return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                scalars.append(byte)
                index += 1
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(UnicodeScalar(bytes[index])).hexDigitValue else { return nil }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        return code
    }
}
