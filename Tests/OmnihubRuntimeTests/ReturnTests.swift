import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Returns from files: stock back, damaged units booked out, a credit note for what was paid")
struct ReturnTests {
    let finance = FinanceDocumentTests()

    /// Order A1 (3 × 19.99, shipping 4.95) shipped whole from DC-1, invoiced, with a returns feed.
    func shippedWorld() throws -> TestWorld {
        let (world, _, _, _) = try finance.shipped(units: 3)
        let config = try String(contentsOf: world.configFile, encoding: .utf8)
        try
            (config + """

                  - id: returns
                    feeds: [{name: returns, folder: inbox/returns, pattern: "*.csv", mapping: mappings/returns.yaml}]
                """).write(to: world.configFile, atomically: true, encoding: .utf8)
        try """
        mapping: returns
        document: return_notice
        format: {type: csv}
        group_by: return
        fields: {channel: {const: amazon-de}, external_id: order, node: node, received_at: at, reference: return}
        lines: {sku: sku, quantity: qty, condition: condition, reason: reason}
        """.write(to: world.root.appendingPathComponent("mappings/returns.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: world.root.appendingPathComponent("inbox/returns"), withIntermediateDirectories: true)
        return world
    }

    func dropReturn(_ world: TestWorld, _ name: String, _ rows: String) throws {
        let url = world.root.appendingPathComponent("inbox/returns/\(name)")
        try ("return,order,node,at,sku,qty,condition,reason\n" + rows).write(
            to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
    }

    func onHand(_ store: OrderStore) throws -> Int {
        try store.stock.levels(sku: "TSHIRT-WHT-M").first { $0.node == "DC-1" }?.onHand ?? 0
    }

    @Test("a return by mail: a resellable unit goes back into stock, a damaged one is booked out, both are credited")
    func returnByMail() throws {
        let world = try shippedWorld()
        let store = try world.store()
        #expect(try onHand(store) == 7, "10 on hand, 3 shipped")
        world.clock.advance(by: .seconds(60))
        try dropReturn(
            world, "r1.csv",
            "R-1,A1,DC-1,2026-11-27T10:00:00Z,TSHIRT-WHT-M,1,resellable,too small\n"
                + "R-1,A1,DC-1,2026-11-27T10:00:00Z,TSHIRT-WHT-M,1,damaged,torn\n")
        let report = try world.cycle()
        #expect(report.failures.isEmpty, "\(report.failures.map(\.message))")
        #expect(report.outcomes.map(\.file.status) == [.imported])
        #expect(try onHand(store) == 8, "the resellable unit is back; the damaged one is not")

        let order = try #require(try store.orders.list(limit: 1).first)
        let history = try store.finance.history(orderID: order.id)
        #expect(history.creditedUnits == [1: 2])
        #expect(history.creditedTotal == Amount(parsing: "39.98")!, "2 × 19.99: what was paid for them")
        let creditNote = try UBLInvoice(finance.read(world, "GS-000001.xml"))
        #expect(creditNote.payable == "39.98")
        #expect(creditNote.lines.map(\.quantity) == ["2"])

        let refunds = try store.refunds.refunds(orderID: order.id)
        #expect(refunds.map(\.cause) == ["credit_note"])
        #expect(refunds.map(\.reference) == ["GS-000001"])
        // Invoices − credit notes = paid − refunded, to the cent.
        let paid = Amount(parsing: "64.92")!
        let refunded = refunds.reduce(Amount.zero) { $0 + $1.amount }
        #expect(history.invoicedTotal - history.creditedTotal == paid - refunded)

        world.clock.advance(by: .seconds(60))
        #expect(try world.cycle().documentsWritten.isEmpty, "a return is credited once")
    }

    @Test("the same return again changes nothing; a return of more than shipped is refused naming order and line")
    func refusals() throws {
        let world = try shippedWorld()
        let store = try world.store()
        world.clock.advance(by: .seconds(60))
        try dropReturn(world, "r1.csv", "R-1,A1,DC-1,2026-11-27T10:00:00Z,TSHIRT-WHT-M,2,,\n")
        _ = try world.cycle()
        #expect(try onHand(store) == 9)

        world.clock.advance(by: .seconds(60))
        // The same return in a file of its own (other bytes: CRLF line ends).
        let url = world.root.appendingPathComponent("inbox/returns/r1-again.csv")
        try "return,order,node,at,sku,qty,condition,reason\r\nR-1,A1,DC-1,2026-11-27T10:00:00Z,TSHIRT-WHT-M,2,,\r\n"
            .write(to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
        let again = try world.cycle()
        #expect(again.outcomes.map(\.file.status) == [.imported], "\(again.outcomes.flatMap(\.issues))")
        #expect(again.outcomes.map(\.file.ordersAlreadyKnown) == [1])
        #expect(try onHand(store) == 9, "return R-1 was booked before")

        world.clock.advance(by: .seconds(60))
        try dropReturn(world, "r2.csv", "R-2,A1,DC-1,2026-11-27T11:00:00Z,TSHIRT-WHT-M,2,,\n")
        let over = try world.cycle()
        let outcome = try #require(over.outcomes.first)
        #expect(outcome.file.status == .quarantined)
        #expect(outcome.issues.map(\.code.rawValue) == ["event_refused"])
        let message = try #require(outcome.issues.first?.message)
        #expect(message.contains("order A1 line 1 (TSHIRT-WHT-M) shipped 3 and got 2 back"), "\(message)")
        #expect(try onHand(store) == 9, "nothing of the refused return was booked")
        let order = try #require(try store.orders.list(limit: 1).first)
        #expect(try store.finance.history(orderID: order.id).creditedUnits == [1: 2])

        world.clock.advance(by: .seconds(60))
        try dropReturn(world, "r3.csv", "R-3,A1,DC-9,2026-11-27T12:00:00Z,TSHIRT-WHT-M,1,,\n")
        let nowhere = try world.cycle()
        #expect(nowhere.outcomes.flatMap(\.issues).map(\.code) == [.unknownNode], "a node the network lacks")
        #expect(try store.finance.history(orderID: order.id).creditedUnits == [1: 2])
    }
}
