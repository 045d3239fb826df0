extension Order {
    /// Reads the canonical JSON that ``canonicalJSON(includingSource:compact:)`` writes (the form
    /// the store keeps) without Foundation's `Codable` machinery, which cost about 45 µs an order
    /// and was read several times per order and cycle. `nil` when the bytes are not exactly in that
    /// shape (another key, a wrong type, a value that does not parse): the caller then decodes them
    /// with `JSONDecoder`, whose errors say what is wrong.
    public init?(canonicalJSON bytes: UnsafeRawBufferPointer) {
        var reader = CanonicalJSONReader(bytes)
        var order = Order.Fields()
        guard reader.object({ reader, key in order.read(key, from: &reader) }), reader.isAtEnd(),
            let built = order.build()
        else { return nil }
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

        /// Reads the value of `key`; `false` for a key the order does not have or a value of the wrong shape.
        mutating func read(_ key: String, from reader: inout CanonicalJSONReader) -> Bool {
            switch key {
            case "channel":
                channel = reader.string()
                return channel != nil
            case "external_id":
                externalID = reader.string()
                return externalID != nil
            case "placed_at":
                placedAt = reader.timestamp()
                return placedAt != nil
            case "currency":
                currency = reader.string().flatMap(Currency.init(code:))
                return currency != nil
            case "customer":
                if reader.null() { return true }
                guard let customer = reader.customer() else { return false }
                self.customer = customer
            case "ship_to":
                if reader.null() { return true }
                guard let address = reader.address() else { return false }
                shipTo = address
            case "bill_to":
                if reader.null() { return true }
                guard let address = reader.address() else { return false }
                billTo = address
            case "delivery":
                delivery = reader.delivery()
                return delivery != nil
            case "lines":
                var lines: [OrderLine] = []
                let read = reader.array { reader in
                    guard let line = reader.orderLine() else { return false }
                    lines.append(line)
                    return true
                }
                guard read else { return false }
                self.lines = lines
            case "shipping":
                if reader.null() { return true }
                guard let shipping = reader.shippingCharge() else { return false }
                self.shipping = shipping
            case "discounts":
                if reader.null() { return true }
                guard let discounts = reader.discounts() else { return false }
                self.discounts = discounts
            case "payment":
                if reader.null() { return true }
                guard let payment = reader.payment() else { return false }
                self.payment = payment
            case "source":
                if reader.null() { return true }
                guard let source = reader.source() else { return false }
                self.source = source
            case "prices":
                guard let prices = reader.string().flatMap(PriceBasis.init(rawValue:)) else { return false }
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

/// The parts of a canonical order, each read in the shape its writer gives it.
extension CanonicalJSONReader {
    /// An amount written as a decimal string.
    fileprivate mutating func amount() -> Amount? {
        string().flatMap { Amount(parsing: $0) }
    }

    /// An amount or null: `.some(nil)` for null, `.none` for anything else.
    fileprivate mutating func optionalAmount() -> Amount?? {
        if null() { return .some(nil) }
        return amount().map { .some($0) }
    }

    /// A timestamp written as ISO 8601 with its zone.
    fileprivate mutating func timestamp() -> Timestamp? {
        string().flatMap { try? DateTimeFormat.iso8601.parse($0, zone: nil) }
    }

    fileprivate mutating func customer() -> Customer? {
        var customer = Customer()
        let known = object { reader, key in
            guard let text = reader.optionalString() else { return false }
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

    fileprivate mutating func address() -> Address? {
        var address = Address()
        let known = object { reader, key in
            guard let text = reader.optionalString() else { return false }
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

    fileprivate mutating func delivery() -> Delivery? {
        var method: DeliveryMethod?
        var delivery = Delivery(method: .ship)
        let known = object { reader, key in
            guard let text = reader.optionalString() else { return false }
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

    fileprivate mutating func discounts() -> [Discount]? {
        var discounts: [Discount] = []
        let known = array { reader in
            var code: String?
            var amount: Amount?
            let known = reader.object { reader, key in
                switch key {
                case "code":
                    guard let text = reader.optionalString() else { return false }
                    code = text
                case "amount":
                    amount = reader.amount()
                    return amount != nil
                default: return false
                }
                return true
            }
            guard known, let amount else { return false }
            discounts.append(Discount(code: code, amount: amount))
            return true
        }
        return known ? discounts : nil
    }

    fileprivate mutating func orderLine() -> OrderLine? {
        var lineID: String?
        var sku: String?
        var quantity: Int?
        var unitPrice: Amount?
        var gtin: String?
        var title: String?
        var taxRate: Amount?
        var discounts: [Discount] = []
        let known = object { reader, key in
            switch key {
            case "line_id":
                lineID = reader.string()
                return lineID != nil
            case "sku":
                sku = reader.string()
                return sku != nil
            case "quantity":
                quantity = reader.integer()
                return quantity != nil
            case "unit_price":
                unitPrice = reader.amount()
                return unitPrice != nil
            case "gtin":
                guard let text = reader.optionalString() else { return false }
                gtin = text
            case "title":
                guard let text = reader.optionalString() else { return false }
                title = text
            case "tax_rate":
                guard let rate = reader.optionalAmount() else { return false }
                taxRate = rate
            case "discounts":
                if reader.null() { return true }
                guard let read = reader.discounts() else { return false }
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

    fileprivate mutating func shippingCharge() -> ShippingCharge? {
        var amount: Amount?
        var taxRate: Amount?
        var discount: Amount?
        let known = object { reader, key in
            switch key {
            case "amount":
                amount = reader.amount()
                return amount != nil
            case "tax_rate":
                guard let rate = reader.optionalAmount() else { return false }
                taxRate = rate
            case "discount":
                guard let read = reader.optionalAmount() else { return false }
                discount = read
            default: return false
            }
            return true
        }
        guard known, let amount else { return nil }
        return ShippingCharge(amount: amount, taxRate: taxRate, discount: discount)
    }

    fileprivate mutating func payment() -> Payment? {
        var payment = Payment()
        let known = object { reader, key in
            switch key {
            case "method":
                guard let text = reader.optionalString() else { return false }
                payment.method = text
            case "reference":
                guard let text = reader.optionalString() else { return false }
                payment.reference = text
            case "amount":
                guard let amount = reader.optionalAmount() else { return false }
                payment.amount = amount
            default: return false
            }
            return true
        }
        return known ? payment : nil
    }

    fileprivate mutating func source() -> SourceLocation? {
        var file: String?
        var record: Int?
        var line: Int?
        let known = object { reader, key in
            switch key {
            case "file":
                file = reader.string()
                return file != nil
            case "record":
                record = reader.integer()
                return record != nil
            case "line":
                if reader.null() {
                    line = nil
                    return true
                }
                line = reader.integer()
                return line != nil
            default: return false
            }
        }
        guard known, let file, let record else { return nil }
        return SourceLocation(file: file, record: record, line: line)
    }
}
