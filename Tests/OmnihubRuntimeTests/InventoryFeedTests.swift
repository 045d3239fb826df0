import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Inventory feeds tell a channel what it may sell, when it changes")
struct InventoryFeedTests {
    let outbox = FulfilmentOutboxTests()

    /// The fulfilment world, with Amazon taking an inventory feed in `mode`; the store serves only
    /// the web shop and keeps one unit of safety stock.
    func world(mode: String) throws -> TestWorld {
        let world = try outbox.world()
        let config = try String(contentsOf: world.configFile, encoding: .utf8)
            .replacingOccurrences(
                of: "mapping: mappings/amazon-de-orders.yaml}]",
                with: "mapping: mappings/amazon-de-orders.yaml}]\n"
                    + "    inventory_feed: {format: mappings/inventory.format.yaml, mode: \(mode)}"
            )
            .replacingOccurrences(
                of: "fulfilment_format: mappings/picklist.format.yaml}",
                with: "fulfilment_format: mappings/picklist.format.yaml, channels: [webshop]}")
        try config.write(to: world.configFile, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("mappings/amazon-de-inventory.format.yaml"),
            to: world.root.appendingPathComponent("mappings/inventory.format.yaml"))
        return world
    }

    func feed(_ report: CycleReport) throws -> String? {
        guard let document = report.documentsWritten.first(where: { $0.kind.rawValue == "inventory_feed" }) else {
            return nil
        }
        #expect(document.destination == "amazon-de")
        return try String(contentsOfFile: document.path, encoding: .utf8)
    }

    @Test("changes mode: the first feed lists every SKU, later ones only what changed, none when nothing did")
    func changes() throws {
        let world = try world(mode: "changes")
        let header = "sku\tquantity\tfulfillment-channel\r\n"
        try outbox.stock(
            world, "s1.csv",
            "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\nDC-1,2026-11-26T05:00:00Z,MUG-BLU,4\n"
                + "STORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,7\n")
        let first = try world.cycle()
        #expect(first.failures.isEmpty)
        #expect(
            try feed(first) == header + "MUG-BLU\t4\tDEFAULT\r\nTSHIRT-WHT-M\t10\tDEFAULT\r\n",
            "the store serves only the web shop: its 7 units are not Amazon's")

        world.clock.advance(by: .seconds(60))
        try world.drop(
            "orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1", quantity: "2", price: "39.98")))
        let second = try world.cycle()
        #expect(second.reservations.map(\.quantity) == [2])
        #expect(
            try feed(second) == header + "TSHIRT-WHT-M\t8\tDEFAULT\r\n", "after the reservation, only the changed SKU")

        world.clock.advance(by: .seconds(60))
        #expect(try feed(world.cycle()) == nil, "nothing changed: no feed")
    }

    @Test("full mode lists every SKU whenever any changed; a SKU gone from stock is sent as 0")
    func full() throws {
        let world = try world(mode: "full")
        try outbox.stock(
            world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\nDC-1,2026-11-26T05:00:00Z,MUG-BLU,4\n")
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try outbox.stock(world, "s2.csv", "DC-1,2026-11-26T08:00:00Z,TSHIRT-WHT-M,9\n")
        let report = try world.cycle()
        #expect(
            try feed(report)
                == "sku\tquantity\tfulfillment-channel\r\nMUG-BLU\t0\tDEFAULT\r\nTSHIRT-WHT-M\t9\tDEFAULT\r\n")
    }

    @Test("a pick-list format named as an inventory feed, or an unknown mode, is refused with the file and key")
    func misconfigured() throws {
        let world = try world(mode: "changes")
        let config = try String(contentsOf: world.configFile, encoding: .utf8)
        try config.replacingOccurrences(of: "mappings/inventory.format.yaml", with: "mappings/picklist.format.yaml")
            .write(to: world.configFile, atomically: true, encoding: .utf8)
        #expect {
            try world.configuration()
        } throws: { error in
            "\(error)".contains("omnihub.yaml") && "\(error)".contains("writes fulfilment_order, not inventory_feed")
        }
        try config.replacingOccurrences(of: "mode: changes", with: "mode: delta")
            .write(to: world.configFile, atomically: true, encoding: .utf8)
        #expect {
            try world.configuration()
        } throws: { error in
            "\(error)".contains("'delta' is not a mode; expected full or changes")
        }
    }
}
