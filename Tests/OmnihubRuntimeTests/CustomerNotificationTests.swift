import Foundation
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Customer notifications: one file per event, once, in the customer's language")
struct CustomerNotificationTests {
    let finance = FinanceDocumentTests()

    /// The finance world with a `notifications:` section and the shipped notification format,
    /// set to one JSON file per message (the shipped one writes JSON Lines).
    func world() throws -> TestWorld {
        let world = try finance.world()
        let shipped = try String(
            contentsOf: repositoryRoot.appendingPathComponent("mappings/customer-notification.format.yaml"),
            encoding: .utf8)
        #expect(shipped.contains("type: json_lines\n") && shipped.contains("file_name: \"{number}.jsonl\"\n"))
        try shipped.replacingOccurrences(of: "type: json_lines\n", with: "type: json\n")
            .replacingOccurrences(of: "file_name: \"{number}.jsonl\"\n", with: "file_name: \"{number}.json\"\n")
            .write(
                to: world.root.appendingPathComponent("mappings/customer-notification.format.yaml"), atomically: true,
                encoding: .utf8)
        let config = try String(contentsOf: world.configFile, encoding: .utf8)
        try config.replacingOccurrences(
            of: "partners:\n",
            with: """
                notifications:
                  format: mappings/customer-notification.format.yaml
                  languages: [de, en]
                  default_language: en
                partners:

                """
        ).write(to: world.configFile, atomically: true, encoding: .utf8)
        return world
    }

    func messages(_ world: TestWorld) throws -> [String: [String: Any]] {
        let folder = world.root.appendingPathComponent("outbox/mailer")
        var messages: [String: [String: Any]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            messages[name] = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        return messages
    }

    @Test("an order is confirmed once; each parcel is told once with its tracking number")
    func confirmedAndShipped() throws {
        let world = try world()
        try finance.shipments.outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(
                AmazonReport.row(
                    order: "A1", item: "1", quantity: "3", price: "59.97", ["buyer-email": "erika@example.com"])))
        _ = try world.cycle()
        var sent = try messages(world)
        #expect(sent.keys.sorted() == ["N-1-order_confirmed.json"])
        let confirmation = try #require(sent["N-1-order_confirmed.json"])
        #expect(confirmation["to"] as? String == "erika@example.com")
        #expect(confirmation["language"] as? String == "en", "the order names no language: the default")
        #expect(confirmation["subject"] as? String == "Thank you for your order")
        #expect((confirmation["lines"] as? [[String: Any]])?.first?["quantity"] as? String == "3")

        world.clock.advance(by: .seconds(60))
        try finance.shipments.ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T-111,TSHIRT-WHT-M,2\n")
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try finance.shipments.ship(world, "sh2.csv", "SH-2,A1,DC-1,2026-11-26T11:00:00Z,DHL,T-222,TSHIRT-WHT-M,1\n")
        _ = try world.cycle()
        sent = try messages(world)
        #expect(
            sent.keys.sorted() == ["N-1-order_confirmed.json", "N-1-shipped-T111.json", "N-1-shipped-T222.json"])
        let first = try #require(sent["N-1-shipped-T111.json"])
        #expect(first["event"] as? String == "shipped")
        #expect(first["tracking_number"] as? String == "T-111")
        #expect(first["carrier"] as? String == "DHL")
        #expect((first["lines"] as? [[String: Any]])?.first?["quantity"] as? String == "2")
    }

    @Test("a credit note tells the customer the refunded amount")
    func refund() throws {
        let world = try world()
        try finance.shipments.outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(
                AmazonReport.row(
                    order: "A1", item: "1", quantity: "3", price: "59.97", ["buyer-email": "erika@example.com"])))
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try finance.shipments.ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T-111,TSHIRT-WHT-M,3\n")
        _ = try world.cycle()
        let store = try world.store()
        let order = try #require(try store.orders.list(limit: 1).first)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let emitter = OutboxEmitter(configuration: try world.configuration(), store: store, logger: logger)
        _ = try emitter.issueCreditNote(orderID: order.id, units: [1: 2], reason: "returned", at: world.clock.now())
        let refund = try #require(try messages(world)["N-1-refund_issued-GS000001.json"])
        #expect(refund["refund_amount"] as? String == "39.98")
        #expect(refund["subject"] as? String == "We have refunded you")
    }

    @Test("orders imported before the confirmation window get no confirmation; orders without e-mail none at all")
    func oldOrdersAndNoAddress() throws {
        let world = try world()
        try world.drop(
            "orders.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "A1", item: "1", ["buyer-email": "erika@example.com"]),
                AmazonReport.row(order: "A2", item: "2")))
        // Import without notifications (as before an upgrade), then turn them on a day later.
        let config = try String(contentsOf: world.configFile, encoding: .utf8)
        let without = config.replacingOccurrences(
            of:
                "notifications:\n  format: mappings/customer-notification.format.yaml\n  languages: [de, en]\n  default_language: en\n",
            with: "")
        #expect(without != config)
        try without.write(to: world.configFile, atomically: true, encoding: .utf8)
        _ = try world.cycle()
        try config.write(to: world.configFile, atomically: true, encoding: .utf8)
        world.clock.advance(by: .seconds(25 * 3600))
        _ = try world.cycle()
        #expect(try messages(world).isEmpty)
        #expect(try world.store().outbox.confirmationsSettled() == 2, "both were looked at; neither is again")

        world.clock.advance(by: .seconds(60))
        try world.drop(
            "orders-2.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "A3", item: "3"),
                AmazonReport.row(order: "A4", item: "4", ["buyer-email": "tom@example.net"])))
        _ = try world.cycle()
        #expect(try messages(world).keys.sorted() == ["N-4-order_confirmed.json"], "A3 has no address")
        #expect(try world.store().outbox.confirmationsSettled() == 4)
    }

    @Test("a message its format cannot make is reported and tried again; the other messages are written")
    func oneMessageFailsAlone() throws {
        let world = try world()
        let format = world.root.appendingPathComponent("mappings/customer-notification.format.yaml")
        let text = try String(contentsOf: format, encoding: .utf8)
        let without = text.replacingOccurrences(
            of: "      order_confirmed.en: \"Thank you for your order\"\n", with: "")
        #expect(without != text)
        try without.write(to: format, atomically: true, encoding: .utf8)
        try finance.shipments.outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(AmazonReport.row(order: "A1", item: "1", ["buyer-email": "erika@example.com"])))
        let first = try world.cycle()
        #expect(first.failures.contains { $0.message.contains("customer notification for order A1") })
        #expect(try messages(world).isEmpty)

        world.clock.advance(by: .seconds(60))
        try finance.shipments.ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T-111,TSHIRT-WHT-M,1\n")
        let second = try world.cycle()
        #expect(second.failures.contains { $0.message.contains("customer notification for order A1") }, "again")
        #expect(try world.store().outbox.confirmationsSettled() == 0, "A1's confirmation is still to be made")
        #expect(try messages(world).keys.sorted() == ["N-1-shipped-T111.json"], "the shipped message is written")

        try text.write(to: format, atomically: true, encoding: .utf8)
        world.clock.advance(by: .seconds(60))
        let fixed = try world.cycle()
        #expect(fixed.failures.isEmpty)
        #expect(try messages(world).keys.sorted() == ["N-1-order_confirmed.json", "N-1-shipped-T111.json"])
        #expect(try world.store().outbox.confirmationsSettled() == 1)
    }

    @Test("a notifications section without languages, or with a default it does not list, is refused")
    func languageSettings() throws {
        let world = try world()
        let config = try String(contentsOf: world.configFile, encoding: .utf8)
        for (replacement, message) in [
            ("  languages: []\n  default_language: en\n", "name at least one language"),
            ("  languages: [de]\n  default_language: en\n", "the default language 'en' is not one of languages: de"),
        ] {
            try config.replacingOccurrences(of: "  languages: [de, en]\n  default_language: en\n", with: replacement)
                .write(to: world.configFile, atomically: true, encoding: .utf8)
            #expect {
                try world.configuration()
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }
}
