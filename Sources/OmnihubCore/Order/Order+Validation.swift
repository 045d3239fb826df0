extension Order {
    /// The most units a line may order; more is a feed error, and would overflow what omnihub computes.
    public static let largestQuantity = 1_000_000
    /// The largest amount a price, discount, charge or payment may have, in the order's currency.
    public static let largestAmount = Amount(1_000_000_000)
    /// The largest total a line or the whole order may reach, in the order's currency.
    public static let largestTotal = Amount(10_000_000_000)

    /// Every rule of the canonical order this order breaks, in field order; empty when it is valid.
    ///
    /// The rules: a channel and an external id; at least one line with a non-empty SKU, quantity of
    /// at least 1 and a price of at least 0; no amount with more decimals than the currency has;
    /// VAT rates from 0 to 100; discounts not negative and not above the line total; valid GTIN
    /// check digits; ISO 3166 countries; a ship-to address for shipped orders and a pickup store for
    /// click & collect. The currency and timestamps are checked when they are converted. Quantities,
    /// amounts and totals have bounds (``largestQuantity``, ``largestAmount``, ``largestTotal``), so
    /// everything omnihub later computes from a valid order fits; the totals are computed here with
    /// checked arithmetic and never trap, whatever the feed held.
    public func violations() -> [OrderViolation] {
        var found: [OrderViolation] = []
        if channel.isEmpty {
            found.append(.init(.missingField, field: "channel", value: nil, "the order has no channel"))
        }
        if externalID.isEmpty {
            found.append(.init(.missingField, field: "external_id", value: nil, "the order has no order number"))
        }
        checkAddresses(into: &found)
        if lines.isEmpty {
            found.append(.init(.noLines, field: "lines", value: nil, "the order has no lines"))
        }
        var lineIDs: Set<String> = []
        var orderTotal: Amount? = .zero
        for (index, line) in lines.enumerated() {
            if lines.count > 1 && !lineIDs.insert(line.lineID).inserted {
                found.append(
                    .init(
                        .duplicateLineID, field: "lines[\(index + 1)].line_id", value: line.lineID,
                        "line id '\(line.lineID)' appears twice in order \(externalID)"))
            }
            let lineTotal = check(line, number: index + 1, into: &found)
            orderTotal = lineTotal.flatMap { total in orderTotal.flatMap { try? $0.adding(total) } }
        }
        if let shipping {
            checkMoney(shipping.amount, field: "shipping.amount", into: &found)
            checkTaxRate(shipping.taxRate, field: "shipping.tax_rate", into: &found)
            if let discount = shipping.discount {
                checkMoney(discount, field: "shipping.discount", into: &found)
                if discount > shipping.amount {
                    found.append(
                        .init(
                            .discountExceedsTotal, field: "shipping.discount", value: discount.description,
                            "the shipping discount \(discount) is above the shipping charge \(shipping.amount)"))
                }
            }
            orderTotal = orderTotal.flatMap { try? $0.adding(shipping.amount) }
        }
        if let orderTotal, orderTotal > Order.largestTotal {
            found.append(
                .init(
                    .amountOutOfRange, field: "lines", value: orderTotal.description,
                    "the order's total \(orderTotal) \(currency.code) is above the largest omnihub accepts "
                        + "(\(Order.largestTotal)); check the feed's prices and quantities"))
        }
        for (index, discount) in discounts.enumerated() {
            checkMoney(discount.amount, field: "discounts[\(index + 1)].amount", into: &found)
        }
        if let amount = payment?.amount {
            checkMoney(amount, field: "payment.amount", into: &found)
        }
        return found
    }

    private func checkAddresses(into found: inout [OrderViolation]) {
        switch delivery.method {
        case .ship where shipTo == nil:
            found.append(
                .init(.missingShipTo, field: "ship_to", value: nil, "a shipped order needs a ship-to address"))
        case .collect where delivery.pickupNode?.isEmpty ?? true, .reserve where delivery.pickupNode?.isEmpty ?? true:
            found.append(
                .init(
                    .missingPickupNode, field: "delivery.pickup_node", value: nil,
                    "a \(delivery.method.rawValue) order needs the store where the customer picks it up"))
        default:
            break
        }
        for (field, address) in [("ship_to", shipTo), ("bill_to", billTo)] {
            guard let address else { continue }
            guard let country = address.country else {
                found.append(
                    .init(.missingField, field: "\(field).country", value: nil, "the address has no country"))
                continue
            }
            if !Country.isValid(country) {
                found.append(
                    .init(
                        .unknownCountry, field: "\(field).country", value: country,
                        "'\(country)' is not an ISO 3166-1 alpha-2 country code such as DE or FR"))
            }
        }
    }

    /// Checks a line; returns its total when it could be computed within bounds.
    private func check(_ line: OrderLine, number: Int, into found: inout [OrderViolation]) -> Amount? {
        let field = LazyFieldPrefix(number: number)
        if line.sku.trimmingSpaces.isEmpty {
            found.append(.init(.emptySKU, field: field["sku"], value: line.sku, "the line has no SKU"))
        }
        if line.quantity < 1 {
            found.append(
                .init(
                    .quantityBelowOne, field: field["quantity"], value: String(line.quantity),
                    "quantity must be at least 1"))
        } else if line.quantity > Order.largestQuantity {
            found.append(
                .init(
                    .quantityOutOfRange, field: field["quantity"], value: String(line.quantity),
                    "a line orders at most \(Order.largestQuantity) units; check the feed's quantity column"))
        }
        if line.unitPrice.isNegative {
            found.append(
                .init(
                    .negativePrice, field: field["unit_price"], value: line.unitPrice.description,
                    "a unit price cannot be negative; returns and refunds are separate documents"))
        } else {
            checkMoney(line.unitPrice, field: field["unit_price"], into: &found)
        }
        checkTaxRate(line.taxRate, field: field["tax_rate"], into: &found)
        if let gtin = line.gtin, !GTIN.isValid(gtin) {
            found.append(
                .init(
                    .invalidGTIN, field: field["gtin"], value: gtin,
                    "'\(gtin)' is not a GTIN: 8, 12, 13 or 14 digits with a correct check digit"))
        }
        var total: Amount?
        if (1...Order.largestQuantity).contains(line.quantity) {
            total = try? line.unitPrice.normalized.multiplied(by: line.quantity)
            if total.map({ $0 > Order.largestTotal }) ?? true {
                found.append(
                    .init(
                        .amountOutOfRange, field: field["unit_price"], value: line.unitPrice.description,
                        "\(line.quantity) × \(line.unitPrice) is above the largest line total omnihub accepts "
                            + "(\(Order.largestTotal)); check the feed's price and quantity"))
                total = nil
            }
        }
        guard !line.discounts.isEmpty else { return total }
        var discounted: Amount? = .zero
        for (index, discount) in line.discounts.enumerated() {
            checkMoney(discount.amount, field: field["discounts[\(index + 1)].amount"], into: &found)
            discounted = discounted.flatMap { try? $0.adding(discount.amount) }
        }
        if let total, discounted.map({ $0 > total }) ?? true {
            found.append(
                .init(
                    .discountExceedsTotal, field: field["discounts"], value: discounted?.description,
                    "the line's discounts (\(discounted?.description ?? "beyond 18 digits")) exceed its total (\(total))"
                ))
        }
        return total
    }

    private func checkMoney(_ amount: Amount, field: @autoclosure () -> String, into found: inout [OrderViolation]) {
        if amount.isNegative {
            found.append(
                .init(.negativeAmount, field: field(), value: amount.description, "the amount cannot be negative"))
        }
        if amount.magnitudeExceeds(Order.largestAmount) {
            found.append(
                .init(
                    .amountOutOfRange, field: field(), value: amount.description,
                    "the amount is above the largest omnihub accepts (\(Order.largestAmount) \(currency.code)); "
                        + "check the feed's column and decimal separator"))
        }
        if amount.normalized.scale > currency.minorUnits {
            found.append(
                .init(
                    .tooManyDecimals, field: field(), value: amount.description,
                    "\(currency.code) has \(currency.minorUnits) decimals; round the amount in the mapping "
                        + "(scale: \(currency.minorUnits))"))
        }
    }

    private func checkTaxRate(_ rate: Amount?, field: @autoclosure () -> String, into found: inout [OrderViolation]) {
        guard let rate else { return }
        if rate.isNegative || rate > Amount(100) {
            found.append(
                .init(
                    .taxRateOutOfRange, field: field(), value: rate.description,
                    "a VAT rate is a percentage from 0 to 100, e.g. 19"))
        }
    }
}

extension String {
    /// The text without leading and trailing whitespace. Most values start and end with a visible
    /// ASCII byte: a character that starts or ends with one is not whitespace, so those values are
    /// taken whole without walking their characters.
    var trimmingSpaces: Substring {
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return self[...]
        }
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<max(start, end)]
    }
}

/// Builds `lines[N].field` names only when a rule is broken.
private struct LazyFieldPrefix {
    let number: Int

    subscript(_ name: String) -> String { "lines[\(number)].\(name)" }
}
