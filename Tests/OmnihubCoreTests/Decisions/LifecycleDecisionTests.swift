import OmnihubCore
import Testing

@Suite("Returns, pickups and payment: the lifecycle's decisions on plain values")
struct LifecycleDecisionTests {
    /// Order #1001: line 1 is 3 × SKU-1, line 2 is 1 × SKU-2.
    func order(method: DeliveryMethod = .ship, payment: String? = "card") -> Order {
        var order = OrderSettlementTests.order(
            lines: [OrderSettlementTests.line("1", 3, "10.00"), OrderSettlementTests.line("2", 1, "5.00")])
        order.delivery = Delivery(method: method, pickupNode: method == .ship ? nil : "S1")
        order.payment = payment.map { Payment(method: $0) }
        return order
    }

    @Test("a return takes shipped units not yet back, resellable ones into stock, and refuses more")
    func returns() {
        let states = [ReturnPolicy.LineState(shipped: 2, returned: 1), ReturnPolicy.LineState(shipped: 1, returned: 0)]
        let accepted = ReturnPolicy.receive(
            [DocumentLine(sku: "SKU-1", quantity: 1, condition: "Damaged"), DocumentLine(lineID: "2", quantity: 1)],
            of: order(), states: states)
        #expect(
            accepted
                == .accepted([
                    .init(position: 1, units: 1, condition: "Damaged", restock: false, reason: nil),
                    .init(position: 2, units: 1, condition: nil, restock: true, reason: nil),
                ]))
        guard
            case .refused(let message) = ReturnPolicy.receive(
                [DocumentLine(sku: "SKU-1", quantity: 2)], of: order(), states: states)
        else {
            Issue.record("a return of more than was sent is refused")
            return
        }
        #expect(message.contains("line 1 (SKU-1) shipped 2 and got 1 back"))
        guard
            case .refused = ReturnPolicy.receive([DocumentLine(sku: "NOPE", quantity: 1)], of: order(), states: states)
        else {
            Issue.record("a return of an article the order lacks is refused")
            return
        }
    }

    @Test("a pickup takes what waits on the shelf; reminders come before the deadline, expiry at it")
    func pickups() throws {
        let shelf = [1: 2]
        #expect(try PickupPolicy.pickUp([], of: order(method: .collect), shelf: shelf).get() == [1: 2])
        #expect(
            try PickupPolicy.pickUp([DocumentLine(lineID: "1", quantity: 1)], of: order(method: .collect), shelf: shelf)
                .get() == [1: 1])
        #expect(throws: PickupPolicy.Refusal.self) {
            try PickupPolicy.pickUp([DocumentLine(lineID: "1", quantity: 3)], of: order(method: .collect), shelf: shelf)
                .get()
        }
        let ready = Timestamp(millisecondsSince1970: 0)
        let day: Int64 = 86_400_000
        let window = PickupPolicy.Window(pickupDays: 7, remindDaysBefore: 2)
        func at(_ days: Double) -> Timestamp { Timestamp(millisecondsSince1970: Int64(days * Double(day))) }
        #expect(PickupPolicy.due(readyAt: ready, now: at(4.9), window: window) == .nothing)
        #expect(PickupPolicy.due(readyAt: ready, now: at(5), window: window) == .remind(deadline: at(7)))
        #expect(PickupPolicy.due(readyAt: ready, now: at(7), window: window) == .expire)
        #expect(PickupPolicy.invoicedAtPickup(order(method: .reserve), node: "S1"))
        #expect(!PickupPolicy.invoicedAtPickup(order(method: .collect), node: "S1"))
        #expect(!PickupPolicy.isShelf(order(method: .collect), node: "DC"))
    }

    @Test("cancelling everything before it ships gives back what was paid, VAT included for net prices")
    func cancelledRefunds() {
        for prices in PriceBasis.allCases {
            var order = OrderSettlementTests.order(
                lines: [
                    OrderSettlementTests.line("1", 3, "10.00"), OrderSettlementTests.line("2", 1, "5.00", rate: "7"),
                ], shipping: "4.95", discounts: ["1.00"])
            order.prices = prices
            let settlement = OrderSettlement(order: order, defaultTaxRate: Amount(19))
            let all = settlement.refund(
                cancelling: [1: 3, 2: 1], cancelledBefore: [:], nothingShippedAndAllCancelled: true)
            #expect(all == settlement.total, "\(prices): everything comes back")
            let first = settlement.refund(
                cancelling: [1: 1], cancelledBefore: [:], nothingShippedAndAllCancelled: false)
            let rest = settlement.refund(
                cancelling: [1: 2, 2: 1], cancelledBefore: [1: 1], nothingShippedAndAllCancelled: true)
            #expect(abs(first + rest - settlement.total) <= 1, "\(prices): in two steps, within a cent of VAT rounding")
        }
        var net = OrderSettlementTests.order(lines: [OrderSettlementTests.line("1", 1, "100.00")])
        net.prices = .net
        #expect(
            OrderSettlement(order: net, defaultTaxRate: Amount(19)).refund(
                cancelling: [1: 1], cancelledBefore: [:], nothingShippedAndAllCancelled: true) == 11900)
    }

    @Test("only an order paid up front gives money back when it is cancelled")
    func paidUpFront() {
        #expect(order(payment: "card").isPaidUpFront)
        #expect(order(payment: "marketplace").isPaidUpFront)
        #expect(!order(payment: "invoice").isPaidUpFront, "on account: nothing was paid")
        #expect(!order(payment: nil).isPaidUpFront)
        #expect(!order(method: .reserve, payment: "card").isPaidUpFront, "paid at the counter when collected")
    }
}
