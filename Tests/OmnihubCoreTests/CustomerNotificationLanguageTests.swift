import OmnihubCore
import Testing

@Suite("A customer notification's language")
struct CustomerNotificationLanguageTests {
    @Test("the customer's language is used when the mailer writes it; en-GB is en, fr falls back")
    func language() {
        func language(_ customerLanguage: String?) -> String {
            var order = OrderSettlementTests.order(lines: [OrderSettlementTests.line("1", 1, "1.00")])
            order.customer.language = customerLanguage
            return CustomerNotification(
                event: .shipped, number: "N", destination: "mailer", at: order.placedAt, order: order, lines: [],
                languages: ["de", "en"], defaultLanguage: "de"
            ).language
        }
        #expect(language("en-GB") == "en")
        #expect(language("EN") == "en")
        #expect(language("fr") == "de")
        #expect(language(nil) == "de")
    }
}
