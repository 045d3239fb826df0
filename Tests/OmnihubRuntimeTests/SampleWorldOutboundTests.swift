import Foundation
import FoundationXML
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("The sample world's two cycles write every outbound document, each valid and each once")
struct SampleWorldOutboundTests {
    /// Files under `outbox/<folder>/`.
    func outbox(_ world: TestWorld, _ folder: String) -> [String] {
        let path = world.root.appendingPathComponent("outbox/\(folder)").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    @Test("fulfilment for every node, marketplace feedback, UBL invoices, a DATEV batch and customer messages")
    func twoCycles() throws {
        let world = try TestWorld.shippedSampleWorld()
        let first = try world.cycle()
        #expect(first.failures.isEmpty, "\(first.failures.map(\.message))")
        for node in ["DC-CENTRAL", "store-berlin-mitte", "dropship-nordic", "dropship-bavaria"] {
            #expect(outbox(world, node).count == 1, "\(node) gets its fulfilment order")
        }
        #expect(outbox(world, "amazon-de").filter { $0.hasPrefix("orderack-") }.count == 1)
        #expect(outbox(world, "amazon-de").filter { $0.hasPrefix("inventory-") }.count == 1)
        let confirmations = try world.mailerMessages()
        #expect(confirmations.filter { $0.event == "order_confirmed" }.count == 10, "every order is confirmed")
        #expect(Set(confirmations.compactMap(\.order)).count == 10, "each once")
        #expect(outbox(world, "mailer").count == 1, "a run's confirmations in one JSON Lines file")
        #expect(outbox(world, "erp").isEmpty, "nothing has shipped yet")

        // Later that day: the warehouse, the Berlin store and Nordic Home report what left them.
        try world.dropLaterFiles()
        world.clock.advance(by: .seconds(600))
        let second = try world.cycle()
        #expect(second.failures.isEmpty, "\(second.failures.map(\.message))")
        #expect(second.outcomes.allSatisfy { $0.issues.isEmpty }, "\(second.outcomes.map(\.issues))")
        #expect(outbox(world, "amazon-de").filter { $0.hasPrefix("shipconfirm-") }.count == 1)

        let invoices = outbox(world, "erp").filter { $0.hasPrefix("RE-") }
        #expect(invoices.count == 4, "one per order with shipped units: \(invoices)")
        let store = try world.store()
        for name in invoices {
            let data = try Data(contentsOf: world.root.appendingPathComponent("outbox/erp/\(name)"))
            let document = try XMLDocument(data: data)
            for problem in UBLOrder.problems(in: try #require(document.rootElement())) {
                Issue.record("\(name): \(problem)")
            }
            let ubl = try UBLInvoice(data)
            #expect(ubl.taxInclusive == ubl.taxExclusive + ubl.taxTotal, "\(name)")
        }
        // An order that shipped completely is invoiced exactly what the customer paid.
        let jonas = try #require(try store.orders.matching("#1044").first)
        #expect(try store.finance.history(orderID: jonas.id).invoicedTotal == Amount(parsing: "93.95")!)

        let batches = outbox(world, "erp").filter { $0.hasPrefix("EXTF_") }
        #expect(batches.count == 1)
        let batch = try Data(contentsOf: world.root.appendingPathComponent("outbox/erp/\(batches[0])"))
        #expect(DATEVCheck.problems(in: batch).isEmpty, "\(DATEVCheck.problems(in: batch))")

        let messages = try world.mailerMessages().compactMap(\.event)
        #expect(messages.filter { $0 == "shipped" }.count == 3, "\(messages)")
        #expect(messages.filter { $0 == "ready_for_pickup" }.count == 1, "\(messages)")

        world.clock.advance(by: .seconds(600))
        let third = try world.cycle()
        #expect(third.documentsWritten.isEmpty, "a third cycle has nothing new to say")
    }

    @Test("in parts of two orders the marketplace gets the same lines in several files, each once")
    func channelDocumentsInParts() throws {
        func rows(_ world: TestWorld, _ prefix: String) throws -> (files: [String], rows: [String]) {
            let files = outbox(world, "amazon-de").filter { $0.hasPrefix(prefix) }
            var rows: [String] = []
            for name in files {
                let text = try String(
                    contentsOf: world.root.appendingPathComponent("outbox/amazon-de/\(name)"), encoding: .utf8)
                rows += text.split(whereSeparator: \.isNewline).dropFirst().map(String.init)
            }
            return (files, rows.sorted())
        }
        let whole = try TestWorld.shippedSampleWorld()
        let parts = try TestWorld.shippedSampleWorld()
        #expect(try whole.cycle().failures.isEmpty)
        #expect(try parts.cycle(partSize: 2).failures.isEmpty)
        for world in [whole, parts] {
            try world.dropLaterFiles()
            world.clock.advance(by: .seconds(600))
        }
        #expect(try whole.cycle().failures.isEmpty)
        #expect(try parts.cycle(partSize: 2).failures.isEmpty)
        // Five Amazon orders: acknowledged in three parts; one shipment: confirmed in one file.
        let acknowledged = (one: try rows(whole, "orderack-"), several: try rows(parts, "orderack-"))
        #expect(acknowledged.one.files.count == 1)
        #expect(acknowledged.several.files.map { String($0.suffix(6)) } == ["-1.txt", "-2.txt", "-3.txt"])
        #expect(!acknowledged.one.rows.isEmpty && acknowledged.several.rows == acknowledged.one.rows)
        let confirmed = (one: try rows(whole, "shipconfirm-"), several: try rows(parts, "shipconfirm-"))
        #expect(confirmed.one.files.count == 1 && confirmed.several.files.count == 1)
        #expect(!confirmed.one.rows.isEmpty && confirmed.several.rows == confirmed.one.rows)
    }

    @Test("explain shows an order that shipped as its decision was taken: where it shipped from, nothing unfilled")
    func explainAfterShipping() throws {
        let world = try TestWorld.shippedSampleWorld()
        #expect(try world.cycle().failures.isEmpty)
        func explained() throws -> [String: Any]? {
            let result = try OmnihubProcess.run(
                ["explain", "order", "302-1111111-2000001", "--json", "--config", world.configFile.path])
            #expect(result.status == 0, "\(result.standardError)")
            return try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        }
        let sourced = try explained()
        try world.dropLaterFiles()
        world.clock.advance(by: .seconds(600))
        #expect(try world.cycle().failures.isEmpty)
        let shipped = try explained()
        #expect(shipped?["unfilled_units"] as? Int == 0)
        let nodes = { (explanation: [String: Any]?) in
            (explanation?["parcels"] as? [[String: Any]] ?? []).compactMap { $0["node"] as? String }
        }
        #expect(!nodes(shipped).isEmpty && nodes(shipped) == nodes(sourced), "the parcels as sourced")
        #expect(shipped?["total"] as? String == sourced?["total"] as? String)
    }
}
