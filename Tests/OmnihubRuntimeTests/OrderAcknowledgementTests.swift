import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Order acknowledgements tell a marketplace once that omnihub has its orders")
struct OrderAcknowledgementTests {
    @Test("new orders are acknowledged once in Amazon's layout, with omnihub's order and item ids")
    func acknowledgedOnce() throws {
        let outbox = FulfilmentOutboxTests()
        let world = try outbox.world()
        let config = try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "mapping: mappings/amazon-de-orders.yaml}]",
            with:
                "mapping: mappings/amazon-de-orders.yaml}]\n    order_acknowledgement_format: mappings/ack.format.yaml")
        try config.write(to: world.configFile, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("mappings/amazon-de-order-acknowledgement.format.yaml"),
            to: world.root.appendingPathComponent("mappings/ack.format.yaml"))
        try world.drop(
            "orders.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "A1", item: "11"), AmazonReport.row(order: "A1", item: "12", sku: "MUG-BLU"),
                AmazonReport.row(order: "A2", item: "21")))
        let first = try world.cycle()
        let acknowledgements = first.documentsWritten.filter { $0.kind.rawValue == "order_acknowledgement" }
        let document = try #require(acknowledgements.first)
        #expect(acknowledgements.count == 1 && document.destination == "amazon-de")
        let text = try String(contentsOfFile: document.path, encoding: .utf8)
        #expect(
            text
                == "order-id\tmerchant-order-id\tcancellation-reason\tamazon-order-item-code\tmerchant-order-item-id\t"
                + "quantity\r\nA1\t1\t\t11\t1-1\t1\r\nA1\t1\t\t12\t1-2\t1\r\nA2\t2\t\t21\t2-1\t1\r\n")

        world.clock.advance(by: .seconds(60))
        #expect(try world.cycle().documentsWritten.filter { $0.kind.rawValue == "order_acknowledgement" }.isEmpty)
        world.clock.advance(by: .seconds(60))
        try world.drop("orders2.tsv", AmazonReport.file(AmazonReport.row(order: "A3", item: "31")))
        let third = try world.cycle()
        let next = try #require(third.documentsWritten.first { $0.kind.rawValue == "order_acknowledgement" })
        #expect(try String(contentsOfFile: next.path, encoding: .utf8).hasSuffix("\r\nA3\t3\t\t31\t3-1\t1\r\n"))
    }
}
