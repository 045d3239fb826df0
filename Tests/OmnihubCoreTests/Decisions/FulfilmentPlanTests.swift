import OmnihubCore
import Testing

@Suite("Fulfilment plan: each node is handed what is reserved there and not handed over yet")
struct FulfilmentPlanTests {
    let line1 = OrderLineAtNode(orderID: 7, position: 1, node: "DC-1", sku: "A")
    let line2 = OrderLineAtNode(orderID: 3, position: 2, node: "DC-1", sku: "B")
    let store = OrderLineAtNode(orderID: 7, position: 2, node: "STORE-9", sku: "C")

    @Test("reserved units not handed over go to their node, by order and line; nodes in name order")
    func handsOverTheRest() {
        let plan = FulfilmentPlan(
            FulfilmentPlan.Facts(reserved: [line1: 3, line2: 1, store: 2], handedOver: [line1: 1, store: 2]))
        #expect(plan.nodes.map(\.node) == ["DC-1"])
        #expect(
            plan.nodes[0].toShip == [FulfilmentCandidate(line2, quantity: 1), FulfilmentCandidate(line1, quantity: 2)])
        #expect(plan.nodes[0].toCancel.isEmpty)
    }

    @Test("nothing is handed over twice, and released units are not handed over")
    func nothingTwice() {
        #expect(FulfilmentPlan(FulfilmentPlan.Facts(reserved: [line1: 2], handedOver: [line1: 2])).nodes.isEmpty)
        #expect(FulfilmentPlan(FulfilmentPlan.Facts(reserved: [line1: 0], handedOver: [:])).nodes.isEmpty)
    }

    @Test("a cancellation is told to its node; units it took back are not handed over again")
    func cancellations() {
        let untold = FulfilmentPlan.UntoldCancellation(
            id: 11, units: FulfilmentCandidate(store, quantity: 1, reason: "customer"))
        // 2 reserved and handed over; the cancellation released 1 and took 1 back.
        let plan = FulfilmentPlan(
            FulfilmentPlan.Facts(
                reserved: [store: 1], handedOver: [store: 2], takenBack: [store: 1], untoldCancellations: [untold]))
        #expect(plan.nodes.count == 1)
        #expect(plan.nodes[0].node == "STORE-9")
        #expect(plan.nodes[0].toCancel == [untold])
        #expect(plan.nodes[0].toShip.isEmpty)
    }
}
