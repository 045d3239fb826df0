/// An invoice for units that shipped, or a credit note for units that came back or were
/// cancelled after they were invoiced: lines with their discounts, the shipping charge, and VAT
/// per rate, all derived from one ``OrderSettlement`` so that they add up to what the customer
/// paid.
///
/// Prices are gross, as the customer saw them. VAT is taken out per rate from the gross total of
/// that rate, and the net amount is spread over the lines and charges of the rate, so the lines'
/// net amounts add up to the rate's taxable amount and net plus VAT is the gross total exactly.
public struct Invoice: FormattedDocument {
    /// Invoice or credit note.
    public enum Kind: String, Sendable, Hashable {
        case invoice
        case creditNote = "credit_note"
    }

    /// One invoiced order line.
    public struct Line: Sendable, Hashable {
        /// The order line's position (1-based).
        public var orderLine: Int
        public var lineID: String
        public var sku: String
        public var title: String?
        public var quantity: Int
        /// Gross price of one unit before discounts.
        public var unitPrice: Amount
        public var taxRate: Amount
        /// What the customer pays for these units after every discount, gross.
        public var gross: Amount
        /// Discounts on these units, gross (line discounts and their share of order discounts).
        public var discount: Amount
        /// ``gross`` without VAT.
        public var net: Amount
        /// ``discount`` without VAT.
        public var discountNet: Amount
    }

    /// A charge on the whole document, such as shipping.
    public struct Charge: Sendable, Hashable {
        public var reason: String
        public var gross: Amount
        public var net: Amount
        public var taxRate: Amount
    }

    /// The VAT of one rate.
    public struct Tax: Sendable, Hashable {
        public var rate: Amount
        /// The net amount taxed at ``rate``.
        public var taxable: Amount
        public var amount: Amount
        public var gross: Amount
    }

    /// A part of an order this document covers: units `from..<to` of the order line at
    /// `orderLine` (1-based), counted as ``OrderSettlement`` counts them for the kind of event.
    public struct Units: Sendable, Hashable {
        public var orderLine: Int
        /// Gross amount, in minor units, the settlement gives these units.
        public var value: Int64
        public var quantity: Int

        /// A part.
        public init(orderLine: Int, quantity: Int, value: Int64) {
            self.orderLine = orderLine
            self.quantity = quantity
            self.value = value
        }
    }

    public var kind: Kind
    public var type: String { kind.rawValue }
    public var number: String
    /// The finance system it goes to.
    public var destination: String
    /// When it was issued.
    public var wave: Timestamp
    public var currency: Currency
    public var channel: String
    public var orderNumber: String
    public var orderPlacedAt: Timestamp
    public var customer: Customer
    /// The billing address (the delivery address when the order has none).
    public var billTo: Address?
    /// The invoice a credit note corrects.
    public var invoiceReference: String?
    /// How the customer pays, as the order says.
    public var payment: Payment?
    /// Whether the customer paid before the invoice (``Order/isPaidUpFront``; a reserve order is
    /// paid at the counter when it is collected and invoiced).
    public var prepaid: Bool
    public var lines: [Line]
    public var charges: [Charge]
    public var taxes: [Tax]
    public var lineCount: Int { lines.count }

    /// The document for `units` of `order` (and its shipping charge when `withShipping`).
    public init(
        kind: Kind, number: String, destination: String, issuedAt: Timestamp, order: Order,
        settlement: OrderSettlement, units: [Units], withShipping: Bool, invoiceReference: String? = nil
    ) {
        self.kind = kind
        self.number = number
        self.destination = destination
        self.wave = issuedAt
        self.currency = order.currency
        self.channel = order.channel
        self.orderNumber = order.externalID
        self.orderPlacedAt = order.placedAt
        self.customer = order.customer
        self.billTo = order.billTo ?? order.shipTo
        self.invoiceReference = invoiceReference
        self.payment = order.payment
        // A reserve order is invoiced when it is collected, and paid at the counter then.
        self.prepaid = order.delivery.method == .reserve || order.isPaidUpFront
        let amount = settlement.amount
        // Items of the document with their value (gross, or net for a net-priced order) and
        // rate; the other side of each is filled in per rate.
        var items: [(value: Int64, rate: Amount)] = units.map { part in
            (part.value, settlement.taxRates[part.orderLine - 1])
        }
        let shippingShares = withShipping ? settlement.shippingShares.filter { $0.gross > 0 } : []
        for share in shippingShares { items.append((share.gross, share.rate)) }
        var nets = [Int64](repeating: 0, count: items.count)
        var grosses = [Int64](repeating: 0, count: items.count)
        var taxes: [Tax] = []
        for rate in Set(items.map(\.rate)).sorted() {
            let indices = items.indices.filter { items[$0].rate == rate }
            let total = indices.reduce(0) { $0 + items[$1].value }
            if settlement.netPrices {
                // VAT on the rate's net total, as EN 16931 computes it; each item's share of it
                // makes its gross.
                let tax = OrderSettlement.tax(onNet: total, rate: rate)
                let shares = OrderSettlement.spread(tax, over: indices.map { items[$0].value })
                for (index, share) in zip(indices, shares) {
                    nets[index] = items[index].value
                    grosses[index] = items[index].value + share
                }
                taxes.append(Tax(rate: rate, taxable: amount(total), amount: amount(tax), gross: amount(total + tax)))
            } else {
                let tax = OrderSettlement.tax(inGross: total, rate: rate)
                let shares = OrderSettlement.spread(total - tax, over: indices.map { items[$0].value })
                for (index, share) in zip(indices, shares) {
                    nets[index] = share
                    grosses[index] = items[index].value
                }
                taxes.append(Tax(rate: rate, taxable: amount(total - tax), amount: amount(tax), gross: amount(total)))
            }
        }
        self.taxes = taxes
        self.lines = units.enumerated().map { offset, part in
            let line = order.lines[part.orderLine - 1]
            let rate = settlement.taxRates[part.orderLine - 1]
            let before = Int64(part.quantity) * line.unitPrice.rounded(toScale: order.currency.minorUnits).units
            // In the order's own basis: gross, or net for a net-priced order.
            let discount = max(0, before - part.value)
            let discountNet =
                settlement.netPrices ? discount : discount - OrderSettlement.tax(inGross: discount, rate: rate)
            let discountGross =
                settlement.netPrices ? discount + OrderSettlement.tax(onNet: discount, rate: rate) : discount
            return Line(
                orderLine: part.orderLine, lineID: line.lineID, sku: line.sku, title: line.title,
                quantity: part.quantity, unitPrice: line.unitPrice, taxRate: rate, gross: amount(grosses[offset]),
                discount: amount(discountGross), net: amount(nets[offset]), discountNet: amount(discountNet))
        }
        self.charges = shippingShares.enumerated().map { offset, share in
            Charge(
                reason: "shipping", gross: amount(grosses[units.count + offset]),
                net: amount(nets[units.count + offset]), taxRate: share.rate)
        }
    }

    /// Sum of the lines' net amounts.
    public var lineNetTotal: Amount { lines.reduce(Amount(units: 0, scale: currency.minorUnits)) { $0 + $1.net } }
    /// Sum of the charges' net amounts.
    public var chargeNetTotal: Amount {
        charges.reduce(Amount(units: 0, scale: currency.minorUnits)) { $0 + $1.net }
    }
    /// The VAT of every rate.
    public var taxTotal: Amount { taxes.reduce(Amount(units: 0, scale: currency.minorUnits)) { $0 + $1.amount } }
    /// What the customer pays (or gets back): net plus VAT.
    public var payableTotal: Amount { taxes.reduce(Amount(units: 0, scale: currency.minorUnits)) { $0 + $1.gross } }
    /// What the customer paid before an invoice: all of it when ``prepaid``; a credit note has nothing prepaid.
    public var prepaidTotal: Amount {
        kind == .invoice && prepaid ? payableTotal : Amount(units: 0, scale: currency.minorUnits)
    }
    /// What is still to pay (or, on a credit note, to pay back).
    public var dueTotal: Amount { payableTotal - prepaidTotal }

    public func value(_ name: String, line index: Int) -> String? {
        value(name, in: "lines", at: index)
    }

    public func count(of collection: String) -> Int {
        switch collection {
        case "lines": return lines.count
        case "taxes": return taxes.count
        case "charges": return charges.count
        default: return 0
        }
    }

    public func value(_ name: String, in collection: String, at index: Int) -> String? {
        switch (collection, name) {
        case ("lines", _) where index < lines.count:
            if let value = lineValue(name, lines[index], position: index + 1) { return value }
        case ("taxes", _) where index < taxes.count:
            let tax = taxes[index]
            switch name {
            case "tax_rate": return tax.rate.description
            case "tax_category": return Self.category(tax.rate)
            case "taxable": return tax.taxable.description
            case "tax_amount": return tax.amount.description
            case "tax_gross": return tax.gross.description
            default: break
            }
        case ("charges", _) where index < charges.count:
            let charge = charges[index]
            switch name {
            case "charge_reason": return charge.reason
            case "charge_net": return charge.net.description
            case "charge_gross": return charge.gross.description
            case "tax_rate": return charge.taxRate.description
            case "tax_category": return Self.category(charge.taxRate)
            default: break
            }
        default: break
        }
        return documentValue(name)
    }

    private func lineValue(_ name: String, _ line: Line, position: Int) -> String? {
        switch name {
        case "position": return String(position)
        case "order_line": return String(line.orderLine)
        case "line_id": return line.lineID
        case "sku": return line.sku
        case "title": return line.title ?? line.sku
        case "quantity": return String(line.quantity)
        case "unit_price": return line.unitPrice.description
        case "unit_net_price":
            return (line.net + line.discountNet).divided(by: line.quantity, toScale: currency.minorUnits + 2)
                .description
        case "tax_rate": return line.taxRate.description
        case "tax_category": return Self.category(line.taxRate)
        case "gross": return line.gross.description
        case "net": return line.net.description
        case "discount": return line.discount.isZero ? nil : line.discount.description
        case "discount_net": return line.discount.isZero ? nil : line.discountNet.description
        default: return nil
        }
    }

    private func documentValue(_ name: String) -> String? {
        switch name {
        case "document_type": return type
        case "number": return number
        case "type_code": return kind == .invoice ? "380" : "381"
        case "issued_at": return wave.description
        case "currency": return currency.code
        case "channel": return channel
        case "order": return orderNumber
        case "order_placed_at": return orderPlacedAt.description
        case "invoice_reference": return invoiceReference
        case "customer_name": return customer.name ?? billTo?.name
        case "customer_email": return customer.email
        case "bill_to.name": return billTo?.name ?? customer.name
        case "bill_to.company": return billTo?.company
        case "bill_to.line1": return billTo?.line1
        case "bill_to.line2": return billTo?.line2
        case "bill_to.postal_code": return billTo?.postalCode
        case "bill_to.city": return billTo?.city
        case "bill_to.country": return billTo?.country
        case "line_net_total": return lineNetTotal.description
        case "charge_net_total": return chargeNetTotal.description
        case "tax_exclusive_total": return (lineNetTotal + chargeNetTotal).description
        case "tax_total": return taxTotal.description
        case "payable_total": return payableTotal.description
        case "prepaid_total": return prepaidTotal.description
        case "due_total": return dueTotal.description
        case "buyer_reference": return orderNumber
        case "payment_method": return payment?.method
        case "payment_reference": return payment?.reference
        case "delivery_date": return wave.description
        case "line_count": return String(lines.count)
        default: return nil
        }
    }

    /// UNCL 5305 tax category: `S` standard rate, `Z` zero rate.
    static func category(_ rate: Amount) -> String { rate.isZero ? "Z" : "S" }

    /// Every name ``value(_:in:at:)`` knows.
    public static let fieldNames = [
        "document_type", "number", "type_code", "issued_at", "currency", "channel", "order", "order_placed_at",
        "invoice_reference", "customer_name", "customer_email", "bill_to.name", "bill_to.company", "bill_to.line1",
        "bill_to.line2", "bill_to.postal_code", "bill_to.city", "bill_to.country", "line_net_total",
        "charge_net_total", "tax_exclusive_total", "tax_total", "payable_total", "prepaid_total", "due_total",
        "buyer_reference", "payment_method", "payment_reference", "delivery_date", "line_count", "position",
        "order_line", "line_id", "sku", "title", "quantity", "unit_price", "unit_net_price", "tax_rate",
        "tax_category", "gross", "net", "discount", "discount_net", "taxable", "tax_amount", "tax_gross",
        "charge_reason", "charge_net", "charge_gross",
    ]

    /// The fields that carry money or rates, written with the format's decimal separator.
    public static let amountFields: Set<String> = [
        "line_net_total", "charge_net_total", "tax_exclusive_total", "tax_total", "payable_total", "prepaid_total",
        "due_total", "unit_price",
        "unit_net_price", "tax_rate", "gross", "net", "discount", "discount_net", "taxable", "tax_amount",
        "tax_gross", "charge_net", "charge_gross",
    ]
}
