import OmnihubCore
import Testing

@Suite("Canonical order validation")
struct OrderValidationTests {
    static func validOrder() -> Order {
        Order(
            channel: "amazon-de", externalID: "302-1", placedAt: Timestamp(millisecondsSince1970: 0),
            currency: Currency(code: "EUR")!, customer: Customer(name: "Erika"),
            shipTo: Address(name: "Erika", line1: "Hauptstr. 5", postalCode: "10115", city: "Berlin", country: "DE"),
            billTo: nil, delivery: Delivery(method: .ship),
            lines: [
                OrderLine(
                    lineID: "1", sku: "TSHIRT", gtin: "4006381333931", quantity: 2,
                    unitPrice: Amount(parsing: "19.99")!,
                    taxRate: Amount(19), discounts: [Discount(code: "X", amount: Amount(parsing: "4.00")!)])
            ],
            shipping: ShippingCharge(amount: Amount(parsing: "4.95")!), discounts: [], payment: nil, source: nil)
    }

    @Test("a valid order has no violations")
    func valid() {
        #expect(Self.validOrder().violations().isEmpty)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let change: @Sendable (inout Order) -> Void
        let code: IssueCode
        let field: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "quantity 0",
            change: {
                $0.lines[0].quantity = 0; $0.lines[0].discounts = []
            }, code: .quantityBelowOne, field: "lines[1].quantity"),
        Case(
            name: "negative price",
            change: {
                $0.lines[0].unitPrice = Amount(parsing: "-1.00")!
                $0.lines[0].discounts = []
            }, code: .negativePrice,
            field: "lines[1].unit_price"),
        Case(name: "empty SKU", change: { $0.lines[0].sku = "  " }, code: .emptySKU, field: "lines[1].sku"),
        Case(
            name: "unknown country", change: { $0.shipTo?.country = "XX" }, code: .unknownCountry,
            field: "ship_to.country"),
        Case(
            name: "lower-case country", change: { $0.shipTo?.country = "de" }, code: .unknownCountry,
            field: "ship_to.country"),
        Case(
            name: "three decimals in EUR", change: { $0.lines[0].unitPrice = Amount(parsing: "19.999")! },
            code: .tooManyDecimals, field: "lines[1].unit_price"),
        Case(
            name: "VAT over 100", change: { $0.lines[0].taxRate = Amount(101) }, code: .taxRateOutOfRange,
            field: "lines[1].tax_rate"),
        Case(
            name: "bad GTIN check digit", change: { $0.lines[0].gtin = "4006381333932" }, code: .invalidGTIN,
            field: "lines[1].gtin"),
        Case(
            name: "discount above line total",
            change: { $0.lines[0].discounts = [Discount(amount: Amount(parsing: "40.00")!)] },
            code: .discountExceedsTotal, field: "lines[1].discounts"),
        Case(name: "no lines", change: { $0.lines = [] }, code: .noLines, field: "lines"),
        Case(
            name: "line id twice", change: { $0.lines.append($0.lines[0]) }, code: .duplicateLineID,
            field: "lines[2].line_id"),
        Case(name: "shipped without address", change: { $0.shipTo = nil }, code: .missingShipTo, field: "ship_to"),
        Case(
            name: "collect without store", change: { $0.delivery = Delivery(method: .collect) },
            code: .missingPickupNode,
            field: "delivery.pickup_node"),
        Case(name: "no order number", change: { $0.externalID = "" }, code: .missingField, field: "external_id"),
        Case(
            name: "negative shipping", change: { $0.shipping = ShippingCharge(amount: Amount(parsing: "-4.95")!) },
            code: .negativeAmount, field: "shipping.amount"),
    ]

    @Test("each rule reports its code and field", arguments: cases)
    func violation(_ testCase: Case) {
        var order = Self.validOrder()
        testCase.change(&order)
        let violations = order.violations()
        #expect(violations.count == 1)
        #expect(violations.first?.code == testCase.code)
        #expect(violations.first?.field == testCase.field)
    }

    @Test("currencies are ISO 4217 with their minor units")
    func currencies() {
        #expect(Currency(code: "EUR")?.minorUnits == 2)
        #expect(Currency(code: "JPY")?.minorUnits == 0)
        #expect(Currency(code: "KWD")?.minorUnits == 3)
        #expect(Currency(code: "eur") == nil)
        #expect(Currency(code: "XXX") == nil)
        #expect(Currency(code: "EURO") == nil)
    }

    @Test("JPY amounts may not carry cents")
    func yen() {
        var order = Self.validOrder()
        order.currency = Currency(code: "JPY")!
        order.shipping = nil
        order.lines[0].discounts = []
        #expect(order.violations().map(\.code) == [.tooManyDecimals])
    }
}
