import OmnihubCore
import Testing

@Suite("Cancellation policy: what a cancellation takes back, and from whom")
struct CancellationPolicyTests {
    static let order = decisionOrder(lines: [("A", 5, "1"), ("B", 2, "1")])

    static func request(_ lines: [DocumentLine] = [], reason: String? = "customer") -> InboundNotice {
        InboundNotice(kind: .cancellationRequest, channel: "web", externalID: "W-1", reason: reason, lines: lines)
    }

    @Test("units not handed over are released first; the rest are taken back from the node, which is told")
    func notHandedOverFirst() {
        // Line 1: 4 reserved at DC (3 handed over), 1 at STORE (handed over). Cancel 3 units of line 1.
        let decision = CancellationPolicy.cancel(
            Self.request([DocumentLine(sku: "A", quantity: 3, reason: "too late")]), of: Self.order, closed: [:],
            held: [
                1: [
                    .init(node: "DC", reserved: 4, handedOver: 3),
                    .init(node: "STORE", reserved: 1, handedOver: 1),
                ]
            ])
        #expect(decision.lines.count == 1)
        #expect(decision.lines[0].units == 3)
        #expect(decision.lines[0].reason == "too late")
        #expect(decision.lines[0].releases == [.init(node: "DC", units: 3, takenBack: 2)])
        #expect(decision.remaining == 2 + 2)
        #expect(decision.released == 3)
    }

    @Test("a request without lines cancels every open unit; shipped ones stay, and the order closes")
    func wholeOrder() {
        let decision = CancellationPolicy.cancel(
            Self.request(), of: Self.order, closed: [1: 2],
            held: [
                1: [.init(node: "DC", reserved: 3, handedOver: 0)], 2: [.init(node: "DC", reserved: 2, handedOver: 2)],
            ])
        #expect(decision.lines.map(\.units) == [3, 2])
        #expect(decision.lines.map(\.reason) == ["customer", "customer"])
        #expect(decision.lines[1].releases == [.init(node: "DC", units: 2, takenBack: 2)])
        #expect(decision.remaining == 0)
        #expect(CancellationPolicy.closedStatus(shippedUnits: 2) == .shipped)
        #expect(CancellationPolicy.closedStatus(shippedUnits: 0) == .cancelled)
    }

    @Test("never more than is open, never below zero")
    func bounded() {
        let decision = CancellationPolicy.cancel(
            Self.request([DocumentLine(lineID: "2", quantity: 9), DocumentLine(lineID: "1", quantity: -4)]),
            of: Self.order, closed: [2: 1], held: [:])
        #expect(decision.lines.map(\.units) == [0, 1])
        #expect(decision.remaining == 5)
    }

    @Test("a rejection names lines by id or SKU, or the whole order")
    func rejectedPositions() {
        let named = InboundNotice(kind: .fulfilmentRejection, lines: [DocumentLine(sku: "B")])
        #expect(CancellationPolicy.rejectedPositions(named, of: Self.order) == [2])
        #expect(
            CancellationPolicy.rejectedPositions(InboundNotice(kind: .fulfilmentRejection), of: Self.order) == [1, 2])
    }
}
