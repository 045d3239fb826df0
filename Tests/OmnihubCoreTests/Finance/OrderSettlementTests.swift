import OmnihubCore
import Testing

@Suite("Invoices, credit notes and refunds add up to what the customer paid, to the cent")
struct OrderSettlementTests {
    static let eur = Currency(code: "EUR")!

    static func order(
        lines: [OrderLine], shipping: String? = nil, shippingRate: String? = nil, discounts: [String] = []
    ) -> Order {
        Order(
            channel: "webshop", externalID: "#1001", placedAt: Timestamp(millisecondsSince1970: 1_795_680_000_000),
            currency: eur, customer: Customer(name: "Erika Mustermann", email: "erika@example.com"),
            shipTo: Address(
                name: "Erika Mustermann", line1: "Hauptstr. 5", postalCode: "10115", city: "Berlin", country: "DE"),
            billTo: nil, delivery: Delivery(method: .ship), lines: lines,
            shipping: shipping.map {
                ShippingCharge(amount: Amount(parsing: $0)!, taxRate: shippingRate.flatMap { Amount(parsing: $0) })
            },
            discounts: discounts.map { Discount(amount: Amount(parsing: $0)!) }, payment: nil, source: nil)
    }

    static func line(_ id: String, _ quantity: Int, _ price: String, rate: String? = "19", discounts: [String] = [])
        -> OrderLine
    {
        OrderLine(
            lineID: id, sku: "SKU-\(id)", title: "Article \(id)", quantity: quantity,
            unitPrice: Amount(parsing: price)!,
            taxRate: rate.flatMap { Amount(parsing: $0) },
            discounts: discounts.map { Discount(amount: Amount(parsing: $0)!) })
    }

    /// What the customer paid, computed from the order alone: prices times quantities, less every
    /// discount, plus shipping, in cents.
    static func paid(_ order: Order) -> Int64 {
        func cents(_ amount: Amount) -> Int64 { amount.rounded(toScale: 2).units }
        var total: Int64 = 0
        for line in order.lines {
            total += cents(line.unitPrice) * Int64(line.quantity) - line.discounts.reduce(0) { $0 + cents($1.amount) }
        }
        total -= order.discounts.reduce(0) { $0 + cents($1.amount) }
        return total + (order.shipping.map { cents($0.amount) } ?? 0)
    }

    func invoice(
        _ order: Order, _ settlement: OrderSettlement, kind: Invoice.Kind = .invoice, _ parts: [Invoice.Units],
        shipping: Bool
    ) -> Invoice {
        Invoice(
            kind: kind, number: "X", destination: "erp", issuedAt: Timestamp(millisecondsSince1970: 1_795_766_400_000),
            order: order, settlement: settlement, units: parts, withShipping: shipping)
    }

    /// Checks that the document's parts add up: lines and charges to each rate's gross, net plus
    /// VAT to gross per rate, and the nets of a rate to its taxable amount.
    func expectConsistent(_ document: Invoice, _ note: String) {
        for tax in document.taxes {
            #expect(tax.taxable + tax.amount == tax.gross, "\(note)")
            let lines = document.lines.filter { $0.taxRate == tax.rate }
            let charges = document.charges.filter { $0.taxRate == tax.rate }
            let net = lines.reduce(Amount.zero) { $0 + $1.net } + charges.reduce(Amount.zero) { $0 + $1.net }
            let gross = lines.reduce(Amount.zero) { $0 + $1.gross } + charges.reduce(Amount.zero) { $0 + $1.gross }
            #expect(net == tax.taxable, "\(note): nets of \(tax.rate)% add up to its taxable amount")
            #expect(gross == tax.gross, "\(note)")
        }
    }

    @Test("one invoice for a whole order: line discount, shipping, VAT taken out of the gross total")
    func wholeOrder() {
        let order = Self.order(lines: [Self.line("1", 2, "19.99", discounts: ["4.00"])], shipping: "4.95")
        let settlement = OrderSettlement(order: order, defaultTaxRate: Amount(19))
        let document = invoice(
            order, settlement,
            [Invoice.Units(orderLine: 1, quantity: 2, value: settlement.shipped(line: 0, from: 0, to: 2))],
            shipping: true)
        #expect(document.payableTotal == Amount(parsing: "40.93")!)
        #expect(document.taxTotal == Amount(parsing: "6.54")!, "40.93 × 19/119 = 6.535 → 6.54")
        #expect(document.lines[0].gross == Amount(parsing: "35.98")!)
        #expect(document.lines[0].discount == Amount(parsing: "4.00")!)
        #expect(document.lines[0].discountNet == Amount(parsing: "3.36")!)
        #expect(document.lines[0].net + document.charges[0].net == Amount(parsing: "34.39")!)
        expectConsistent(document, "whole order")
    }

    @Test("an order discount is spread over the lines by their value, the shares adding up exactly")
    func orderDiscountSpread() {
        let order = Self.order(
            lines: [Self.line("1", 1, "10.00"), Self.line("2", 1, "20.00"), Self.line("3", 3, "1.11", rate: "7")],
            discounts: ["10.00"])
        let settlement = OrderSettlement(order: order, defaultTaxRate: Amount(19))
        #expect(settlement.linePayable.reduce(0, +) == 3333 - 1000)
        #expect(settlement.linePayable == [700, 1400, 233])
        #expect(settlement.total == Self.paid(order))
    }

    @Test("three units of 10.00 less 0.01: each invoice charges its share and the three add up to 29.99")
    func unitsOfALine() {
        let order = Self.order(lines: [Self.line("1", 3, "10.00", discounts: ["0.01"])])
        let settlement = OrderSettlement(order: order, defaultTaxRate: Amount(19))
        let values = (0..<3).map { settlement.shipped(line: 0, from: $0, to: $0 + 1) }
        #expect(values == [1000, 999, 1000])
        #expect(values.reduce(0, +) == 2999)
        #expect(settlement.cancelled(line: 0, from: 0, to: 1) + settlement.shipped(line: 0, from: 0, to: 2) == 2999)
    }

    @Test("lines without a VAT rate take the default; shipping without a rate is split by the goods' rates")
    func defaultRates() {
        let order = Self.order(
            lines: [Self.line("1", 1, "10.70", rate: "7"), Self.line("2", 1, "11.90", rate: nil)], shipping: "5.95")
        let settlement = OrderSettlement(order: order, defaultTaxRate: Amount(19))
        #expect(settlement.taxRates == [Amount(7), Amount(19)])
        // 5.95 over 10.70 at 7% and 11.90 at 19%: 2.82 and 3.13.
        #expect(settlement.shippingShares.map(\.rate) == [Amount(7), Amount(19)])
        #expect(settlement.shippingShares.map(\.gross) == [282, 313])
        let document = invoice(
            order, settlement,
            [
                Invoice.Units(orderLine: 1, quantity: 1, value: 1070),
                Invoice.Units(orderLine: 2, quantity: 1, value: 1190),
            ], shipping: true)
        #expect(document.taxes.map(\.rate) == [Amount(7), Amount(19)])
        #expect(document.charges.map(\.gross) == [Amount(parsing: "2.82")!, Amount(parsing: "3.13")!])
        #expect(
            document.taxes.map(\.amount) == [Amount(parsing: "0.88")!, Amount(parsing: "2.40")!],
            "13.52 × 7/107 and 15.03 × 19/119")
        expectConsistent(document, "mixed rates")
    }

    @Test(
        "for 2,000 random orders shipped, cancelled and returned in random steps: invoices − credit notes = paid − refunded"
    )
    func invariant() {
        var random = SplitMix(state: 20_261_127)
        let rates = ["19", "7", "0", "19"]
        var fullReturns = 0
        for case_ in 0..<2000 {
            var lines: [OrderLine] = []
            for index in 1...Int.random(in: 1...4, using: &random) {
                let quantity = Int.random(in: 1...7, using: &random)
                let cents = Int.random(in: 1...25_000, using: &random)
                let price = Amount(units: Int64(cents), scale: 2)
                let discount =
                    Int.random(in: 0...3, using: &random) == 0
                    ? [
                        Amount(units: Int64(Int.random(in: 1...(cents * quantity), using: &random)), scale: 2)
                            .description
                    ]
                    : []
                lines.append(
                    Self.line(
                        String(index), quantity, price.description, rate: rates.randomElement(using: &random),
                        discounts: discount))
            }
            let shipping =
                Bool.random(using: &random)
                ? Amount(units: Int64(Int.random(in: 0...999, using: &random)), scale: 2).description : nil
            var order = Self.order(lines: lines, shipping: shipping)
            let base = OrderSettlement(order: order, defaultTaxRate: Amount(19)).linePayable.reduce(0, +)
            if base > 0, Bool.random(using: &random) {
                order.discounts = [
                    Discount(amount: Amount(units: Int64.random(in: 0...base, using: &random), scale: 2))
                ]
            }
            let settlement = OrderSettlement(order: order, defaultTaxRate: Amount(19))
            #expect(
                settlement.total == Self.paid(order), "case \(case_): the settlement's total is what the customer paid")

            var shipped = [Int](repeating: 0, count: lines.count)
            var cancelled = shipped
            var returned = shipped
            var invoiced: Int64 = 0
            var credited: Int64 = 0
            var refunded: Int64 = 0
            var shippingInvoiced = false
            var shippingCredited = false
            func open(_ index: Int) -> Int { lines[index].quantity - shipped[index] - cancelled[index] }
            while lines.indices.contains(where: { open($0) > 0 })
                || (Bool.random(using: &random) && lines.indices.contains(where: { shipped[$0] > returned[$0] }))
            {
                let index = Int.random(in: 0..<lines.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where open(index) > 0:
                    let units = Int.random(in: 1...open(index), using: &random)
                    let value = settlement.shipped(line: index, from: shipped[index], to: shipped[index] + units)
                    let document = invoice(
                        order, settlement, [Invoice.Units(orderLine: index + 1, quantity: units, value: value)],
                        shipping: !shippingInvoiced)
                    expectConsistent(document, "case \(case_) invoice")
                    shippingInvoiced = true
                    shipped[index] += units
                    invoiced += document.payableTotal.units
                case 1 where open(index) > 0:
                    let units = Int.random(in: 1...open(index), using: &random)
                    refunded += settlement.cancelled(line: index, from: cancelled[index], to: cancelled[index] + units)
                    cancelled[index] += units
                case 2 where shipped[index] > returned[index]:
                    let units = Int.random(in: 1...(shipped[index] - returned[index]), using: &random)
                    let value = settlement.shipped(line: index, from: returned[index], to: returned[index] + units)
                    returned[index] += units
                    // When everything delivered comes back and nothing is left to ship, the
                    // shipping charge is refunded with the last credit note.
                    let everythingBack =
                        shippingInvoiced && !shippingCredited
                        && lines.indices.allSatisfy { returned[$0] == shipped[$0] && open($0) == 0 }
                    let document = invoice(
                        order, settlement, kind: .creditNote,
                        [Invoice.Units(orderLine: index + 1, quantity: units, value: value)], shipping: everythingBack)
                    expectConsistent(document, "case \(case_) credit note")
                    credited += document.payableTotal.units
                    refunded += value
                    if everythingBack {
                        fullReturns += 1
                        shippingCredited = true
                        refunded += settlement.shipping
                    }
                default:
                    continue
                }
            }
            if !shippingInvoiced { refunded += settlement.shipping }
            #expect(
                invoiced - credited == Self.paid(order) - refunded,
                "case \(case_): invoiced \(invoiced) credited \(credited) paid \(Self.paid(order)) refunded \(refunded)"
            )
        }
        #expect(fullReturns > 50, "orders returned in full are among the cases (\(fullReturns))")
    }
}
