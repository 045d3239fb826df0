import OmnihubCore
import Testing

@Suite("Mapping expressions")
struct MappingExpressionTests {
    /// A record of a small CSV row, for expressions to read.
    func record(_ header: String, _ row: String) throws -> CSVRow {
        var reader = CSVReader(
            source: InMemoryBytes(header + "\n" + row + "\n"), dialect: CSVDialect(), encoding: .utf8, fileName: nil)
        return try #require(try reader.next())
    }

    func evaluate(_ text: String) throws -> String? {
        try MappingExpression(parsing: text)
            .evaluate(record("price,qty,net,vat,code,empty,name", "19.99,3,16.80,19,pickup,,  Anna  ")).text
    }

    @Test(
        "evaluates exactly",
        arguments: [
            ("{price} * {qty}", "59.97"),
            ("{net} * (1 + {vat} / 100)", "19.992"),
            ("round({net} * (1 + {vat} / 100), 2)", "19.99"),
            ("59.97 / {qty}", "19.99"),
            ("10 / 3", "3.33333333"),
            ("-{price} + 20", "0.01"),
            ("abs(0 - {price})", "19.99"),
            ("coalesce({empty}, {code})", "pickup"),
            ("coalesce({empty}, null)", nil),
            ("{empty} * 2", nil),
            ("'#' & {qty} & '-' & upper({code})", "#3-PICKUP"),
            ("concat(trim({name}), '!')", "Anna!"),
            ("if({code} = 'pickup', 'collect', 'ship')", "collect"),
            ("if({qty} > 2 and not ({price} >= 20), 'many', 'few')", "many"),
            ("{qty} = 3.0", "true"),
            ("{code} != 'ship' or false", "true"),
            ("replace('a-b-c', '-', '/')", "a/b/c"),
            ("number('1.234,50' & '', ',') ", nil),
            ("number('1234,50', ',') + 0.5", "1235.00"),
        ])
    func evaluates(text: String, expected: String?) throws {
        if text.hasPrefix("number('1.234") {
            #expect(throws: ConversionFailure.self) { try evaluate(text) }
            return
        }
        #expect(try evaluate(text) == expected)
    }

    @Test(
        "mistakes are caught when the mapping loads, with the position",
        arguments: ["{price} *", "price * 2", "round({price})", "({price}", "'open", "{price} ** 2", "frobnicate(1)"])
    func parseErrors(text: String) {
        #expect {
            try MappingExpression(parsing: text)
        } throws: { error in
            "\(error)".contains("at character")
        }
    }

    @Test("text that is not a number in arithmetic is an error naming the value")
    func notANumber() {
        #expect {
            try evaluate("{code} + 1")
        } throws: { error in
            "\(error)".contains("'pickup' is not a number")
        }
    }

    @Test("division by zero is an error")
    func divisionByZero() {
        #expect(throws: ConversionFailure.self) { try evaluate("{price} / 0") }
    }
}
