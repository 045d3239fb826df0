import Testing

@testable import OmnihubCore

@Suite("Case and whitespace of feed values, ASCII quickly and Unicode as Unicode says")
struct StringCaseTests {
    static let samples = [
        "", "abc", "ABC", "Emma.De.Vries@Example.COM", "sku-123_x", "123", "@[`{", "Straße", "ÄÖÜ äöü", "ǅemal",
        "İstanbul", "ΣΊΣΥΦΟΣ", "e\u{301}", "MIXED Ünicode",
    ]

    @Test("lowercased and uppercased quickly give what Unicode gives, for every sample")
    func sameAsUnicode() {
        for text in Self.samples {
            #expect(text.lowercasedQuickly == text.lowercased(), "\(text)")
            #expect(text.uppercasedQuickly == text.uppercased(), "\(text)")
        }
        #expect("Emma@Example.COM".lowercasedQuickly == "emma@example.com")
        #expect("Straße".uppercasedQuickly == "STRASSE")
    }

    @Test("trimming takes visible ASCII ends whole and trims Unicode whitespace at either end")
    func trimming() {
        let cases: [(String, String)] = [
            ("abc", "abc"), ("  abc ", "abc"), ("\tabc\r\n", "abc"), ("a b", "a b"), ("\u{00A0}abc", "abc"),
            ("abc\u{3000}", "abc"), ("\u{2003}\u{2003}", ""), ("", ""), ("   ", ""), ("e\u{301}", "e\u{301}"),
            ("x\u{00A0}", "x"), ("Ä ", "Ä"), (" ü", "ü"),
        ]
        for (text, trimmed) in cases {
            #expect(String(text.trimmingSpaces) == trimmed, "\(text.unicodeScalars.map(\.value))")
        }
    }
}
