import OmnihubCore
import Testing

@Suite("Finance decisions: what may be credited, when shipping goes back, how documents are numbered")
struct FinanceDecisionTests {
    static let order = decisionOrder("W-7", lines: [("A", 2, "10"), ("B", 1, "5")])

    static var history: FinanceHistory {
        var history = FinanceHistory()
        history.invoicedUnits = [1: 2, 2: 1]
        history.creditedUnits = [1: 1]
        history.shippingInvoiced = true
        history.lastInvoiceNumber = "RE-000001"
        return history
    }

    @Test("a credit note takes only invoiced units not credited yet")
    func refusal() {
        #expect(Self.history.refusal(crediting: [1: 1], of: Self.order) == nil)
        #expect(Self.history.refusal(crediting: [1: 1, 2: 1], of: Self.order) == nil)
        let tooMany = Self.history.refusal(crediting: [1: 2], of: Self.order)
        #expect(tooMany?.contains("order W-7 line 1 has 1 invoiced units not credited yet") == true)
        #expect(Self.history.refusal(crediting: [3: 1], of: Self.order) != nil)
        #expect(
            Self.history.refusal(crediting: [:], of: Self.order) == "a credit note needs at least one line with units")
    }

    @Test("shipping goes back only with everything, when nothing is left to ship")
    func everythingBack() {
        #expect(Self.history.givesEverythingBack(Self.order, crediting: [1: 1, 2: 1]))
        #expect(!Self.history.givesEverythingBack(Self.order, crediting: [1: 1]))
        var credited = Self.history
        credited.shippingCredited = true
        #expect(!credited.givesEverythingBack(Self.order, crediting: [1: 1, 2: 1]))
    }

    @Test("a credit note refers to the latest invoice and counts on from the units credited before")
    func creditNote() {
        let note = Invoice.issue(
            .creditNote, number: "GS-000004", destination: "erp", at: Timestamp(millisecondsSince1970: 0),
            order: Self.order, units: [1: 1, 2: 1], history: Self.history, defaultTaxRate: Amount(parsing: "19")!)
        #expect(note.invoiceReference == "RE-000001")
        #expect(note.number == "GS-000004")
        #expect(note.lines.map(\.quantity) == [1, 1])
        #expect(note.charges.isEmpty, "the order has no shipping charge to give back")
    }

    @Test("numbers: the prefix and at least six digits")
    func numbers() {
        #expect(Invoice.number(prefix: "RE-", sequence: 42) == "RE-000042")
        #expect(Invoice.number(prefix: "RE-", sequence: 1_234_567) == "RE-1234567")
    }
}
