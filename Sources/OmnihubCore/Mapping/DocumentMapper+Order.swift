extension DocumentMapper {
    /// Builds and validates an order from mapped values.
    static func order(_ values: FieldValues, lines: [LineValues], discounts: [Discount], source: SourceLocation)
        -> Result<Order, Violations>
    {
        guard let channel = values[OrderSlot.channel]?.text, let externalID = values[OrderSlot.externalID]?.text,
            let placedAt = values[OrderSlot.placedAt]?.timestamp, let currency = values[OrderSlot.currency]?.currency
        else {
            return .failure(
                Violations(all: [OrderViolation(.missingField, field: "external_id", value: nil, "incomplete order")]))
        }
        var violations: [OrderViolation] = []
        var orderLines: [OrderLine] = []
        orderLines.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            let values = line.values
            guard let sku = values[OrderLineSlot.sku]?.text, let quantity = values[OrderLineSlot.quantity]?.int else {
                continue
            }
            let unitPrice: Amount
            if let price = values[OrderLineSlot.unitPrice]?.amount {
                unitPrice = price
            } else if let total = values[OrderLineSlot.lineTotal]?.amount {
                if quantity < 1 {
                    unitPrice = total  // the quantity rule reports this line; there is nothing to divide by
                } else if total.isDivisible(by: quantity) {
                    unitPrice = total.divided(by: quantity, toScale: total.scale)
                } else {
                    violations.append(
                        OrderViolation(
                            .lineTotalNotDivisible, field: "lines[\(index + 1)].line_total", value: total.description,
                            "the line total \(total) cannot be split evenly over quantity \(quantity); map unit_price "
                                + "instead, or give line_total a larger scale"))
                    continue
                }
            } else {
                violations.append(
                    OrderViolation(
                        .missingField, field: "lines[\(index + 1)].unit_price", value: nil,
                        "every line needs a price (unit_price or line_total); the value is empty or missing"))
                continue
            }
            orderLines.append(
                OrderLine(
                    lineID: values[OrderLineSlot.lineID]?.text ?? String(index + 1), sku: sku,
                    gtin: values[OrderLineSlot.gtin]?.text, title: values[OrderLineSlot.title]?.text,
                    quantity: quantity, unitPrice: unitPrice, taxRate: values[OrderLineSlot.taxRate]?.amount,
                    discounts: line.discounts))
        }
        var order = Order(
            channel: channel, externalID: externalID, placedAt: placedAt, currency: currency,
            customer: Customer(
                name: values[OrderSlot.customerName]?.text, email: values[OrderSlot.customerEmail]?.text,
                phone: values[OrderSlot.customerPhone]?.text,
                language: values[OrderSlot.customerLanguage]?.text),
            shipTo: address(values, from: OrderSlot.shipTo), billTo: address(values, from: OrderSlot.billTo),
            delivery: Delivery(
                method: values[OrderSlot.deliveryMethod]?.deliveryMethod ?? .ship,
                service: values[OrderSlot.deliveryService]?.text,
                pickupNode: values[OrderSlot.deliveryPickupNode]?.text,
                promisedBy: values[OrderSlot.deliveryPromisedBy]?.timestamp),
            lines: orderLines,
            shipping: values[OrderSlot.shippingAmount]?.amount.map {
                // Channels write a promotion negative (Amazon's ship-promotion-discount); it is what is taken off.
                ShippingCharge(
                    amount: $0, taxRate: values[OrderSlot.shippingTaxRate]?.amount,
                    discount: values[OrderSlot.shippingDiscount]?.amount.map { $0.isNegative ? .zero - $0 : $0 }
                        .flatMap { $0.isZero ? nil : $0 })
            },
            discounts: discounts, payment: payment(values), source: source)
        var prices = PriceBasis.gross
        if let text = values[OrderSlot.prices]?.text {
            if let basis = PriceBasis(rawValue: text.lowercasedQuickly) {
                prices = basis
            } else {
                violations.append(
                    OrderViolation(
                        .invalidValue, field: "prices", value: text,
                        "'\(text)' is not a price basis; prices are gross (VAT included) or net (VAT excluded)"))
            }
        }
        if values[OrderSlot.shippingAmount] == nil, let discount = values[OrderSlot.shippingDiscount]?.amount,
            !discount.isZero
        {
            violations.append(
                OrderViolation(
                    .missingField, field: "shipping.amount", value: nil,
                    "a shipping discount of \(discount) needs the shipping charge it is taken off; map shipping.amount")
            )
        }
        order.prices = prices
        let ruleViolations = order.violations()
        // When lines were already refused for their price, "no lines" would only repeat it.
        violations += violations.isEmpty ? ruleViolations : ruleViolations.filter { $0.code != .noLines }
        return violations.isEmpty ? .success(order) : .failure(Violations(all: violations))
    }

    /// The address whose eight fields start at `slot`, or `nil` when none is mapped.
    private static func address(_ values: FieldValues, from slot: Int) -> Address? {
        let texts = (slot..<slot + 8).map { values[$0]?.text }
        guard texts.contains(where: { $0 != nil }) else { return nil }
        return Address(
            name: texts[0], company: texts[1], line1: texts[2], line2: texts[3], postalCode: texts[4], city: texts[5],
            region: texts[6], country: texts[7])
    }

    private static func payment(_ values: FieldValues) -> Payment? {
        let method = values[OrderSlot.paymentMethod]?.text
        let reference = values[OrderSlot.paymentReference]?.text
        let amount = values[OrderSlot.paymentAmount]?.amount
        guard method != nil || reference != nil || amount != nil else { return nil }
        return Payment(method: method, reference: reference, amount: amount)
    }
}
