import Foundation
import OmnihubCore
import OmnihubStore
import Testing

@Suite("A decision is recorded only while the facts it was made on still hold")
struct StaleDecisionTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-stale-\(UUID().uuidString)")
    let now = Timestamp(millisecondsSince1970: 1_780_000_000_000)

    func store(orders numbers: [String]) throws -> OrderStore {
        let store = try OrderStore(path: folder.appendingPathComponent("omnihub.sqlite").path)
        try importOrders(numbers, into: store, file: "first")
        return store
    }

    func importOrders(_ numbers: [String], into store: OrderStore, file: String) throws {
        let receipt = FileReceipt(
            partner: "web", feed: "orders", name: "\(file).csv", inboxPath: "/inbox/\(file).csv", size: 1,
            modifiedAt: now, sha256: file)
        _ = try store.recordImport(of: receipt, receivedAt: now, storedPath: { _ in "/archive/\(file).csv" }) {
            fileImport in
            for number in numbers {
                _ = try fileImport.add(
                    Order(
                        channel: "web", externalID: number, placedAt: now, currency: Currency(code: "EUR")!,
                        customer: Customer(name: "Erika"), shipTo: Address(country: "DE"), billTo: nil,
                        delivery: Delivery(method: .ship),
                        lines: [OrderLine(lineID: "1", sku: "A", quantity: 2, unitPrice: Amount(parsing: "9.99")!)],
                        shipping: nil, discounts: [], payment: nil, source: nil))
            }
            return (.imported, FileImportCounts())
        }
    }

    func reservation(_ state: SourcingState, order index: Int = 0) -> Reservation {
        let line = state.orders[index].lines[0]
        return Reservation(orderID: line.orderID, position: 1, node: "DC", sku: line.sku, quantity: line.quantity)
    }

    @Test("reservations decided before another order arrived are refused, and nothing is reserved")
    func newOrder() throws {
        let store = try store(orders: ["W-1"])
        let state = try store.sourcingState(at: now)
        try importOrders(["W-2"], into: store, file: "second")
        let reservations = [reservation(state)]
        let error = #expect(throws: StoreError.self) {
            try store.recordReservations(
                reservations, sourced: state.fullyReserved(by: reservations), basedOn: state.revision, at: now)
        }
        #expect(error?.code == .changedMeanwhile)
        #expect(try store.reservations(orderID: state.orders[0].id).isEmpty)
        #expect(try store.orders().allSatisfy { $0.status == .open })
    }

    @Test("a second decision on the same state is refused once the first is recorded")
    func sameStateTwice() throws {
        let store = try store(orders: ["W-1", "W-2"])
        let state = try store.sourcingState(at: now)
        let first = [reservation(state, order: 0)]
        try store.recordReservations(first, sourced: state.fullyReserved(by: first), basedOn: state.revision, at: now)
        let second = [reservation(state, order: 1)]
        #expect(throws: StoreError.self) {
            try store.recordReservations(second, sourced: [], basedOn: state.revision, at: now)
        }
        #expect(try store.orders().map(\.status).sorted { $0.rawValue < $1.rawValue } == [.open, .sourced])
        let fresh = try store.sourcingState(at: now)
        #expect(fresh.orders.count == 1)
        try store.recordReservations(
            [reservation(fresh)], sourced: fresh.fullyReserved(by: [reservation(fresh)]), basedOn: fresh.revision,
            at: now)
        #expect(try store.orders().allSatisfy { $0.status == .sourced })
    }

    @Test("an acknowledgement of an order another run acknowledged meanwhile is refused whole")
    func toldTwice() throws {
        let store = try store(orders: ["W-1", "W-2"])
        let lines = try #require(try store.unacknowledgedOrderLines(channels: ["web"])["web"])
        let document = { (number: String, orders: [Int64]) in
            DocumentToRecord(
                destination: "web",
                rendered: RenderedDocument(number: number, path: "/outbox/web/\(number)", content: [1]),
                covers: orders)
        }
        _ = try store.recordOrderAcknowledgements([document("OA-1", [lines[0].orderID])], at: now)
        #expect(throws: StoreError.self) {
            try store.recordOrderAcknowledgements([document("OA-2", lines.map(\.orderID))], at: now)
        }
        #expect(try store.outboundDocuments().map(\.number) == ["OA-1"], "nothing of the refused batch stays")
        #expect(try store.unacknowledgedOrderLines(channels: ["web"])["web"]?.map(\.orderNumber) == ["W-2"])
    }
}
