extension DocumentMapper {
    /// Builds and validates an order from mapped values.
    static func order(
        _ values: [String: FieldValue], lines: [LineValues], discounts: [Discount], source: SourceLocation
    ) -> Result<Order, Violations> {
        guard let channel = values["channel"]?.text, let externalID = values["external_id"]?.text,
            let placedAt = values["placed_at"]?.timestamp, let currency = values["currency"]?.currency
        else {
            return .failure(
                Violations(all: [OrderViolation(.missingField, field: "external_id", value: nil, "incomplete order")]))
        }
        var violations: [OrderViolation] = []
        var orderLines: [OrderLine] = []
        for (index, line) in lines.enumerated() {
            let field = "lines[\(index + 1)]"
            guard let sku = line.values["sku"]?.text, let quantity = line.values["quantity"]?.int else { continue }
            let unitPrice: Amount
            if let price = line.values["unit_price"]?.amount {
                unitPrice = price
            } else if let total = line.values["line_total"]?.amount {
                if quantity < 1 {
                    unitPrice = total  // the quantity rule reports this line; there is nothing to divide by
                } else if total.isDivisible(by: quantity) {
                    unitPrice = total.divided(by: quantity, toScale: total.scale)
                } else {
                    violations.append(
                        OrderViolation(
                            .lineTotalNotDivisible, field: "\(field).line_total", value: total.description,
                            "the line total \(total) cannot be split evenly over quantity \(quantity); map unit_price "
                                + "instead, or give line_total a larger scale"))
                    continue
                }
            } else {
                violations.append(
                    OrderViolation(
                        .missingField, field: "\(field).unit_price", value: nil,
                        "every line needs a price (unit_price or line_total); the value is empty or missing"))
                continue
            }
            orderLines.append(
                OrderLine(
                    lineID: line.values["line_id"]?.text ?? String(index + 1), sku: sku,
                    gtin: line.values["gtin"]?.text,
                    title: line.values["title"]?.text, quantity: quantity, unitPrice: unitPrice,
                    taxRate: line.values["tax_rate"]?.amount, discounts: line.discounts))
        }
        let order = Order(
            channel: channel, externalID: externalID, placedAt: placedAt, currency: currency,
            customer: Customer(
                name: values["customer.name"]?.text, email: values["customer.email"]?.text,
                phone: values["customer.phone"]?.text),
            shipTo: address(values, "ship_to"), billTo: address(values, "bill_to"),
            delivery: Delivery(
                method: values["delivery.method"]?.deliveryMethod ?? .ship, service: values["delivery.service"]?.text,
                pickupNode: values["delivery.pickup_node"]?.text),
            lines: orderLines,
            shipping: values["shipping.amount"]?.amount.map {
                ShippingCharge(amount: $0, taxRate: values["shipping.tax_rate"]?.amount)
            },
            discounts: discounts, payment: payment(values), source: source)
        let ruleViolations = order.violations()
        // When lines were already refused for their price, "no lines" would only repeat it.
        violations += violations.isEmpty ? ruleViolations : ruleViolations.filter { $0.code != .noLines }
        return violations.isEmpty ? .success(order) : .failure(Violations(all: violations))
    }

    private static func address(_ values: [String: FieldValue], _ prefix: String) -> Address? {
        let fields = ["name", "company", "line1", "line2", "postal_code", "city", "region", "country"]
        let texts = fields.map { values["\(prefix).\($0)"]?.text }
        guard texts.contains(where: { $0 != nil }) else { return nil }
        return Address(
            name: texts[0], company: texts[1], line1: texts[2], line2: texts[3], postalCode: texts[4], city: texts[5],
            region: texts[6], country: texts[7])
    }

    private static func payment(_ values: [String: FieldValue]) -> Payment? {
        let method = values["payment.method"]?.text
        let reference = values["payment.reference"]?.text
        let amount = values["payment.amount"]?.amount
        guard method != nil || reference != nil || amount != nil else { return nil }
        return Payment(method: method, reference: reference, amount: amount)
    }
}
