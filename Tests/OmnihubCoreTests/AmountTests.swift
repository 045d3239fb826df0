import OmnihubCore
import Testing

@Suite("Amount: exact decimals for money")
struct AmountTests {
    @Test(
        "parses and prints back the scale the feed wrote",
        arguments: ["19.99", "4.00", "0", "-4.50", "0.05", "1234567.891"])
    func roundTrip(text: String) throws {
        let amount = try #require(Amount(parsing: text))
        #expect(amount.description == text)
    }

    @Test(
        "refuses what is not a plain decimal",
        arguments: [
            "", "-", "12abc", "1,234.50", "1e5", " 12", "1.2.3", ".", "NaN",
            "1234567890123456789",
        ])
    func refuses(text: String) {
        #expect(Amount(parsing: text) == nil)
    }

    @Test("reads a decimal comma when told to")
    func decimalComma() throws {
        let amount = try #require(Amount(parsing: "1234,50", decimalSeparator: ","))
        #expect(amount == Amount(units: 123_450, scale: 2))
        #expect(Amount(parsing: "1234.50", decimalSeparator: ",") == nil)
    }

    @Test("equal values are equal at any scale")
    func equality() throws {
        #expect(Amount(parsing: "4.5") == Amount(parsing: "4.50"))
        #expect(Set([Amount(parsing: "4.5")!, Amount(parsing: "4.500")!]).count == 1)
        #expect(Amount(parsing: "4.49")! < Amount(parsing: "4.5")!)
    }

    @Test("adds, subtracts and multiplies exactly")
    func arithmetic() throws {
        let price = try #require(Amount(parsing: "19.99"))
        #expect((price * 3).description == "59.97")
        #expect((price + Amount(parsing: "0.011")!).description == "20.001")
        #expect((price - Amount(parsing: "20")!).description == "-0.01")
        #expect((price * Amount(parsing: "0.19")!).description == "3.7981")
    }

    @Test("rounds half up, half even and down")
    func rounding() throws {
        let value = try #require(Amount(parsing: "0.125"))
        #expect(value.rounded(toScale: 2, rule: .halfUp).description == "0.13")
        #expect(value.rounded(toScale: 2, rule: .halfEven).description == "0.12")
        #expect(Amount(parsing: "0.135")!.rounded(toScale: 2, rule: .halfEven).description == "0.14")
        #expect(Amount(parsing: "0.129")!.rounded(toScale: 2, rule: .down).description == "0.12")
        #expect(Amount(parsing: "-0.125")!.rounded(toScale: 2, rule: .halfUp).description == "-0.13")
        #expect(Amount(parsing: "4.5")!.rounded(toScale: 2).description == "4.50")
    }

    @Test("divides by a quantity")
    func division() throws {
        #expect(Amount(parsing: "59.97")!.divided(by: 3, toScale: 2).description == "19.99")
        #expect(Amount(parsing: "10.00")!.divided(by: 3, toScale: 2).description == "3.33")
        #expect(Amount(parsing: "10.00")!.isDivisible(by: 4))
        #expect(!Amount(parsing: "10.00")!.isDivisible(by: 3))
    }
}
