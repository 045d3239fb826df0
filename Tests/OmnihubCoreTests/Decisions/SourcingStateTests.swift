import OmnihubCore
import Testing

@Suite("Sourcing state: an order is sourced when its open lines are reserved in full")
struct SourcingStateTests {
    @Test("full, partial and no reservations")
    func fullyReserved() {
        let state = SourcingState(
            orders: [1, 2, 3].map { id in
                SourcingState.OpenOrder(
                    id: id, order: decisionOrder("O\(id)"),
                    lines: [
                        .init(orderID: id, position: 1, sku: "A", quantity: 2),
                        .init(orderID: id, position: 2, sku: "B", quantity: 1),
                    ])
            }, onHand: [:], reserved: [:])
        let reservations = [
            Reservation(orderID: 1, position: 1, node: "DC", sku: "A", quantity: 2),
            Reservation(orderID: 1, position: 2, node: "STORE", sku: "B", quantity: 1),
            Reservation(orderID: 2, position: 1, node: "DC", sku: "A", quantity: 2),
        ]
        #expect(state.fullyReserved(by: reservations) == [1])
        #expect(state.fullyReserved(by: []).isEmpty)
    }
}
