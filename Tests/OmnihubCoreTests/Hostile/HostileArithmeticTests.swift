import OmnihubCore
import Testing

/// Feed values that used to stop the process with a trap: each now gives an error that names the
/// computation, and a valid order's arithmetic fits by construction.
@Suite("Hostile numbers never trap")
struct HostileArithmeticTests {
    func record(_ header: String, _ row: String) throws -> CSVRow {
        var reader = CSVReader(
            source: InMemoryBytes(header + "\n" + row + "\n"), dialect: CSVDialect(), encoding: .utf8, fileName: nil)
        return try #require(try reader.next())
    }

    @Test("scales past 12 round at 12 decimals instead of trapping")
    func productScale() throws {
        let row = try record("price,factor", "1.23456789,0.123456")
        let value = try MappingExpression(parsing: "{price} * {factor}").evaluate(row)
        #expect(value.text == "0.152414813428")
    }

    @Test(
        "18-digit operands overflow into an error, not a trap",
        arguments: [
            "{big} + {big}", "{big} * {big}", "{big} * 10", "{big} - (0 - {big})", "{big} / 0.000001",
            "{small} / 0", "{big} / {small}", "number(abs({big}), ',') / {small} - abs({big})", "round({big}, 12)",
            "round({big}, 13)", "round({big}, -1)", "round({big}, 1.5)",
        ])
    func overflow(expression: String) throws {
        let row = try record("big,small", "999999999999999999,0.000000000001")
        #expect(throws: ConversionFailure.self) {
            _ = try MappingExpression(parsing: expression).evaluate(row)
        }
    }

    @Test("comparisons of far apart scales never overflow")
    func comparisons() throws {
        let big = try #require(Amount(parsing: "999999999999999999"))
        let tiny = try #require(Amount(parsing: "0.000000000001"))
        #expect(tiny < big)
        #expect(big != tiny)
        #expect(big.magnitudeExceeds(tiny))
    }

    @Test("a mapping's scale that a value cannot reach is a conversion error")
    func rescale() throws {
        let big = try #require(Amount(parsing: "999999999999999999"))
        #expect(throws: AmountOutOfRange.self) { try big.rescaled(to: 2) }
        #expect(try Amount(parsing: "19.995")!.rescaled(to: 2).description == "20.00")
    }

    @Test(
        "out-of-range quantities, prices and totals are violations, not traps",
        arguments: [
            ("999999999999999999", "1", IssueCode.quantityOutOfRange),
            ("1", "999999999999999999", IssueCode.amountOutOfRange),
            ("1000000", "999999999.99", IssueCode.amountOutOfRange),
            ("2", "999999.999999999999", IssueCode.tooManyDecimals),
        ])
    func orderBounds(quantity: String, price: String, code: IssueCode) throws {
        var order = OrderValidationTests.validOrder()
        order.lines[0].quantity = try #require(Int(quantity))
        order.lines[0].unitPrice = try #require(Amount(parsing: price))
        #expect(order.violations().map(\.code).contains(code))
    }

    @Test("the settlement of an order at every bound fits in 64 bits")
    func settlementAtBounds() throws {
        var order = OrderValidationTests.validOrder()
        order.lines[0].quantity = 450_000
        order.lines[0].unitPrice = try #require(Amount(parsing: "9999.990000000000"))
        order.lines[0].taxRate = Amount(parsing: "19.000000000000")
        order.lines[0].discounts = [Discount(code: "MAX", amount: Order.largestAmount)]
        order.lines.append(order.lines[0])
        order.lines[1].lineID = "2"
        order.discounts = [Discount(code: "ALL", amount: Order.largestAmount)]
        order.shipping = ShippingCharge(amount: Order.largestAmount)
        #expect(order.violations().isEmpty)
        let settlement = OrderSettlement(order: order, defaultTaxRate: Amount(19))
        // Goods 2 × 4,499,995,500.00 less 3 × 1,000,000,000.00 of discounts, plus shipping: the
        // spread of the order discount and the VAT multiply past 64 bits on the way.
        #expect(settlement.total == 699_999_100_000)
        #expect(settlement.value(line: 0, units: 450_000) == settlement.linePayable[0])
        #expect(OrderSettlement.tax(inGross: settlement.total, rate: order.lines[0].taxRate!) > 0)
    }

    @Test(
        "an expression nested or long past its limits is a clear error, not a stack overflow",
        arguments: [
            String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000),
            String(repeating: "-", count: 100_000) + "1",
            String(repeating: "not ", count: 10_000) + "true",
            String(repeating: "abs(", count: 10_000) + "1" + String(repeating: ")", count: 10_000),
            Array(repeating: "1", count: 3_000).joined(separator: "+"),
        ])
    func expressionLimits(text: String) {
        #expect(throws: ConversionFailure.self) { _ = try MappingExpression(parsing: text) }
    }

    @Test("an expression within the limits still parses and evaluates")
    func expressionWithinLimits() throws {
        let nested = String(repeating: "(", count: 60) + "2" + String(repeating: ")", count: 60)
        let row = try record("a", "1")
        #expect(try MappingExpression(parsing: nested + " * 3").evaluate(row).text == "6")
        let sum = Array(repeating: "1", count: 1_000).joined(separator: "+")
        #expect(try MappingExpression(parsing: sum).evaluate(row).text == "1000")
    }
}
