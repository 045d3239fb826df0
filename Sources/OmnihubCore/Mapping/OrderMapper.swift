/// Turns the records of one order (one record, or several rows grouped by the order key) into a
/// canonical ``Order``, or into the list of everything wrong with them.
public struct OrderMapper: Sendable {
    /// The mapping applied.
    public let mapping: OrderMapping
    /// The file name written into every issue and into the order's source location.
    public let fileName: String

    /// A mapper for records of `fileName`.
    public init(mapping: OrderMapping, fileName: String) {
        self.mapping = mapping
        self.fileName = fileName
    }

    /// The order the records describe, or every issue found in them.
    ///
    /// - Parameter records: at least one record; order fields come from the first (or are summed over
    ///   all, as the mapping says), and each record is one line.
    public func order(from records: [any SourceRecord]) -> Result<Order, OrderRejection> {
        precondition(!records.isEmpty, "an order needs at least one record")
        var reader = FieldReader(fileName: fileName)
        let first = records[0]
        var values: [OrderField: FieldValue] = [:]
        for (field, spec) in mapping.orderFields {
            if spec.aggregate == .sum, field.kind == .money || field.kind == .decimal {
                var total: Amount?
                for record in records {
                    guard let amount = reader.value(spec, kind: field.kind, field: field.rawValue, in: record)?.amount
                    else { continue }
                    total = (total ?? .zero) + amount
                }
                if let total { values[field] = .amount(total) }
            } else if let value = reader.value(spec, kind: field.kind, field: field.rawValue, in: first) {
                values[field] = value
            }
        }
        for field in [OrderField.channel, .externalID, .placedAt, .currency] where values[field] == nil {
            if !reader.hasIssue(field: field.rawValue) {
                reader.issues.append(
                    reader.issue(
                        .missingField, spec: mapping.orderFields[field], field: field.rawValue, value: nil,
                        record: first, message: "every order needs \(field.rawValue); the value is empty or missing"))
            }
        }
        var lines: [OrderLine] = []
        for (index, record) in records.enumerated() {
            if let line = orderLine(from: record, number: index + 1, reader: &reader) {
                lines.append(line)
            }
        }
        let orderDiscounts = discounts(mapping.orderDiscounts, field: "discounts", in: first, reader: &reader)
        guard reader.issues.isEmpty, let channel = values[.channel]?.text, let externalID = values[.externalID]?.text,
            let placedAt = values[.placedAt]?.timestamp, let currency = values[.currency]?.currency
        else {
            return .failure(OrderRejection(externalID: values[.externalID]?.text, issues: reader.issues))
        }
        let order = Order(
            channel: channel, externalID: externalID, placedAt: placedAt, currency: currency,
            customer: Customer(
                name: values[.customerName]?.text, email: values[.customerEmail]?.text,
                phone: values[.customerPhone]?.text),
            shipTo: address(
                values,
                [
                    .shipToName, .shipToCompany, .shipToLine1, .shipToLine2, .shipToPostalCode, .shipToCity,
                    .shipToRegion, .shipToCountry,
                ]),
            billTo: address(
                values,
                [
                    .billToName, .billToCompany, .billToLine1, .billToLine2, .billToPostalCode, .billToCity,
                    .billToRegion, .billToCountry,
                ]),
            delivery: Delivery(
                method: values[.deliveryMethod]?.deliveryMethod ?? .ship, service: values[.deliveryService]?.text,
                pickupNode: values[.deliveryPickupNode]?.text),
            lines: lines,
            shipping: values[.shippingAmount]?.amount.map {
                ShippingCharge(amount: $0, taxRate: values[.shippingTaxRate]?.amount)
            },
            discounts: orderDiscounts,
            payment: payment(values),
            source: SourceLocation(file: fileName, record: first.position.record, line: first.position.line))
        let violations = order.violations()
        guard violations.isEmpty else {
            let issues = violations.map { violation in
                let record = lineRecord(of: violation.field, in: records) ?? first
                return MappingIssue(
                    violation.code, file: fileName, record: record.position.record, line: record.position.line,
                    field: violation.field, source: sourcePath(of: violation.field), value: violation.value,
                    message: violation.message)
            }
            return .failure(OrderRejection(externalID: externalID, issues: issues))
        }
        return .success(order)
    }

    private func orderLine(from record: any SourceRecord, number: Int, reader: inout FieldReader) -> OrderLine? {
        let prefix = "lines[\(number)]"
        var values: [LineField: FieldValue] = [:]
        for (field, spec) in mapping.lineFields {
            if let value = reader.value(spec, kind: field.kind, field: "\(prefix).\(field.rawValue)", in: record) {
                values[field] = value
            }
        }
        let lineDiscounts = discounts(mapping.lineDiscounts, field: "\(prefix).discounts", in: record, reader: &reader)
        for field in [LineField.sku, .quantity] where values[field] == nil {
            guard !reader.hasIssue(field: "\(prefix).\(field.rawValue)") else { continue }
            reader.issues.append(
                reader.issue(
                    .missingField, spec: mapping.lineFields[field], field: "\(prefix).\(field.rawValue)", value: nil,
                    record: record, message: "every line needs \(field.rawValue); the value is empty or missing"))
        }
        guard let sku = values[.sku]?.text, let quantity = values[.quantity]?.int else { return nil }
        let unitPrice: Amount
        if let price = values[.unitPrice]?.amount {
            unitPrice = price
        } else if let total = values[.lineTotal]?.amount, quantity < 1 {
            unitPrice = total  // the quantity rule reports this line; there is nothing to divide by
        } else if let total = values[.lineTotal]?.amount {
            guard total.isDivisible(by: quantity) else {
                reader.issues.append(
                    reader.issue(
                        .lineTotalNotDivisible, spec: mapping.lineFields[.lineTotal], field: "\(prefix).line_total",
                        value: total.description, record: record,
                        message: "the line total \(total) cannot be split evenly over quantity \(quantity); "
                            + "map unit_price instead, or give line_total a larger scale"))
                return nil
            }
            unitPrice = total.divided(by: quantity, toScale: total.scale)
        } else {
            reader.issues.append(
                reader.issue(
                    .missingField, spec: mapping.lineFields[.unitPrice] ?? mapping.lineFields[.lineTotal],
                    field: "\(prefix).unit_price", value: nil, record: record,
                    message: "every line needs a price; the value is empty or missing"))
            return nil
        }
        return OrderLine(
            lineID: values[.lineID]?.text ?? String(number), sku: sku, gtin: values[.gtin]?.text,
            title: values[.title]?.text, quantity: quantity, unitPrice: unitPrice, taxRate: values[.taxRate]?.amount,
            discounts: lineDiscounts)
    }

    private func discounts(
        _ specs: [DiscountSpec], field: String, in record: any SourceRecord, reader: inout FieldReader
    )
        -> [Discount]
    {
        var found: [Discount] = []
        for (index, spec) in specs.enumerated() {
            let name = "\(field)[\(index + 1)]"
            guard let amount = reader.value(spec.amount, kind: .money, field: "\(name).amount", in: record)?.amount,
                !amount.isZero
            else { continue }
            let code = spec.code.flatMap { reader.text($0, field: "\(name).code", in: record) }
            found.append(Discount(code: code, amount: amount.isNegative ? .zero - amount : amount))
        }
        return found
    }

    private func address(_ values: [OrderField: FieldValue], _ fields: [OrderField]) -> Address? {
        let texts = fields.map { values[$0]?.text }
        guard texts.contains(where: { $0 != nil }) else { return nil }
        return Address(
            name: texts[0], company: texts[1], line1: texts[2], line2: texts[3], postalCode: texts[4], city: texts[5],
            region: texts[6], country: texts[7])
    }

    private func payment(_ values: [OrderField: FieldValue]) -> Payment? {
        let method = values[.paymentMethod]?.text
        let reference = values[.paymentReference]?.text
        let amount = values[.paymentAmount]?.amount
        guard method != nil || reference != nil || amount != nil else { return nil }
        return Payment(method: method, reference: reference, amount: amount)
    }

    /// The record of the line a canonical field like `lines[2].quantity` belongs to.
    private func lineRecord(of field: String, in records: [any SourceRecord]) -> (any SourceRecord)? {
        guard field.hasPrefix("lines["), let close = field.firstIndex(of: "]"),
            let number = Int(field[field.index(field.startIndex, offsetBy: 6)..<close]), number >= 1,
            number <= records.count
        else { return nil }
        return records[number - 1]
    }

    /// The source path a canonical field was read from, for reports.
    private func sourcePath(of field: String) -> String? {
        if let orderField = OrderField(rawValue: field) { return mapping.orderFields[orderField]?.path }
        guard field.hasPrefix("lines["), let dot = field.firstIndex(of: "."),
            let lineField = LineField(rawValue: String(field[field.index(after: dot)...]))
        else { return nil }
        if lineField == .unitPrice, mapping.lineFields[.unitPrice] == nil {
            return mapping.lineFields[.lineTotal]?.path
        }
        return mapping.lineFields[lineField]?.path
    }
}

/// An order that could not be mapped, with every issue found in it.
public struct OrderRejection: Error, Sendable, Hashable {
    /// The order number, when it could be read.
    public let externalID: String?
    /// Everything wrong with the order's records.
    public let issues: [MappingIssue]
}
