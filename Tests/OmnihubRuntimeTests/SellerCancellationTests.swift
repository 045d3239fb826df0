import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Seller cancellations tell the marketplace which units will not come, and why")
struct SellerCancellationTests {
    let outbox = FulfilmentOutboxTests()

    /// The fulfilment world where amazon-de takes order cancellations, and also sends its buyers'
    /// cancellations itself (folder inbox/amazon-cancel).
    func world() throws -> TestWorld {
        let world = try outbox.world()
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("mappings/amazon-de-order-cancellation.format.yaml"),
            to: world.root.appendingPathComponent("mappings/amazon-cancel.format.yaml"))
        let config = try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "mapping: mappings/amazon-de-orders.yaml}]",
            with: """
                mapping: mappings/amazon-de-orders.yaml},
                        {name: buyer-cancellations, folder: inbox/amazon-cancel, pattern: "*.csv", mapping: mappings/cancellations.yaml}]
                    order_cancellation_format: mappings/amazon-cancel.format.yaml
                """)
        try config.write(to: world.configFile, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: world.root.appendingPathComponent("inbox/amazon-cancel"), withIntermediateDirectories: true)
        return world
    }

    func cancel(_ world: TestWorld, folder: String, _ name: String, reason: String, quantity: Int) throws {
        let url = world.root.appendingPathComponent("inbox/\(folder)/\(name)")
        try "order,at,reason,sku,qty\nA1,2026-11-26T09:00:00Z,\(reason),TSHIRT-WHT-M,\(quantity)\n"
            .write(to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
    }

    func cancellationFiles(_ world: TestWorld) throws -> [String] {
        try outbox.outbox(world, "amazon-de").map(\.lastPathComponent).filter { $0.hasPrefix("ordercancel-") }
    }

    @Test("units the seller cancels reach Amazon once, with its reason code; the buyer's own cancellations do not")
    func toldOnce() throws {
        let world = try world()
        try outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1", quantity: "3", price: "59.97")))
        _ = try world.cycle()

        world.clock.advance(by: .seconds(60))
        try cancel(world, folder: "amazon-cancel", "buyer.csv", reason: "BuyerCanceled", quantity: 1)
        let buyer = try world.cycle()
        #expect(buyer.failures.isEmpty, "\(buyer.failures.map(\.message))")
        #expect(try cancellationFiles(world).isEmpty, "Amazon asked for it; it needs no answer")

        world.clock.advance(by: .seconds(60))
        try cancel(world, folder: "cancel", "seller.csv", reason: "out_of_stock", quantity: 1)
        let seller = try world.cycle()
        #expect(seller.documentsWritten.map(\.kind.rawValue).contains("order_cancellation"))
        let files = try cancellationFiles(world)
        #expect(files.count == 1)
        let rows = try String(
            contentsOf: world.root.appendingPathComponent("outbox/amazon-de/\(files[0])"), encoding: .utf8
        ).split(separator: "\r\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(
            rows[0] == [
                "order-id", "merchant-order-id", "cancellation-reason", "amazon-order-item-code",
                "merchant-order-item-id",
                "quantity",
            ])
        #expect(rows[1] == ["A1", "1", "NoInventory", "1", "1-1", "1"])

        world.clock.advance(by: .seconds(60))
        try cancel(world, folder: "cancel", "seller-2.csv", reason: "warehouse damage", quantity: 1)
        _ = try world.cycle()
        let second = try cancellationFiles(world)
        #expect(second.count == 2, "each cancellation is told once")
        let last = try String(
            contentsOf: world.root.appendingPathComponent("outbox/amazon-de/\(second[1])"), encoding: .utf8)
        #expect(last.contains("\tGeneralAdjustment\t"), "a reason without an Amazon code")
        let store = try world.store()
        let order = try #require(try store.orders.list(limit: 1).first)
        #expect(
            try store.outbox.documents(orderID: order.id).filter { $0.kind.rawValue == "order_cancellation" }.count
                == 2)
    }
}
