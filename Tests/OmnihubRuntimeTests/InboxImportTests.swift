import Foundation
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Inbox import: stable files, exactly once, quarantine")
struct InboxImportTests {
    @Test("the whole shipped sample world imports: orders as TSV, UBL and JSON, and the nodes' stock")
    func shippedSampleWorld() throws {
        let world = try TestWorld.shippedSampleWorld()
        let report = try world.cycle()
        #expect(report.failures.isEmpty)
        #expect(
            report.outcomes.map(\.file.partner) == [
                "amazon-de", "amazon-de", "ubl-marketplace", "webshop", "wms-central", "store-system",
                "dropship-nordic", "dropship-bavaria",
            ])
        #expect(report.outcomes.allSatisfy { $0.file.status == .imported })
        #expect(report.documentsImported == 18, "10 orders, 5 stock snapshots, 3 stock changes")
        #expect(try world.store().orders.count() == 10)
        // Sourcing after the imports: from the DC, both dropshippers (the mugs only Bavaria has),
        // the Berlin store (a jacket the DC does not have, shipped from the store, and one for
        // click & collect there); the express order to Düsseldorf waits, as the jacket is only
        // in Berlin, beyond the express radius.
        #expect(
            Set(report.reservations.map(\.node)) == [
                "DC-CENTRAL", "dropship-nordic", "dropship-bavaria", "store-berlin-mitte",
            ])
        #expect(
            try world.store().orders.list(limit: 20).filter { $0.status.rawValue == "open" }.map(\.externalID) == [
                "302-1111111-2000002"
            ])
        let store = try world.store()
        #expect(try store.orders.matching("#1043").first?.order.delivery.pickupNode == "store-berlin-mitte")
        #expect(try store.orders.matching("PO-2026-11-0042").first?.order.lines.count == 3)
        #expect(try world.cycle().outcomes.isEmpty)
    }

    @Test("a file's fingerprint is the SHA-256 of its bytes, across the read buffer's boundaries")
    func fingerprint() throws {
        let world = try TestWorld()
        let url = world.root.appendingPathComponent("big.bin")
        // 2.5 read buffers of a byte pattern that is not periodic at the buffer size.
        let bytes = (0..<(5 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        try Data(bytes).write(to: url)
        #expect(try InboxFile(opening: url.path).sha256() == SHA256.hex(of: bytes))
        try Data().write(to: url)
        #expect(
            try InboxFile(opening: url.path).sha256()
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("the sample world imports every order once; running again imports nothing new")
    func sampleWorld() throws {
        let world = try TestWorld()
        let samples = repositoryRoot.appendingPathComponent("sample-world/inbox/amazon-de")
        let names = try FileManager.default.contentsOfDirectory(atPath: samples.path).sorted()
        for name in names {
            try world.drop(name, try String(contentsOf: samples.appendingPathComponent(name), encoding: .utf8))
        }
        let first = try world.cycle()
        #expect(first.outcomes.map(\.file.status) == [.imported, .imported])
        #expect(first.documentsImported == 5)
        #expect(first.outcomes.map(\.file.ordersAlreadyKnown) == [0, 1])
        #expect(try world.inboxFiles().isEmpty)

        let second = try world.cycle()
        #expect(second.outcomes.isEmpty)
        for name in names {
            try world.drop(name, try String(contentsOf: samples.appendingPathComponent(name), encoding: .utf8))
        }
        let third = try world.cycle()
        #expect(third.documentsImported == 0)
        #expect(third.outcomes.map(\.file.status) == [.duplicate, .duplicate])
        #expect(try world.store().orders.count() == 5)
    }

    @Test("a file still growing is not imported; once it settles it is, whole")
    func growingFile() throws {
        let world = try TestWorld()
        let url = try world.drop("growing.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")), age: 0)
        let report = try world.cycle {
            let handle = try! FileHandle(forWritingTo: url)
            handle.seekToEndOfFile()
            handle.write(Data((AmazonReport.row(order: "A1", item: "2", sku: "SOCKS") + "\n").utf8))
            try! handle.close()
            try! world.setModified(url, secondsBeforeNow: 0)
        }
        #expect(report.outcomes.isEmpty)
        #expect(report.waiting == 1)
        #expect(try world.inboxFiles() == ["growing.tsv"])
        #expect(try world.store().orders.count() == 0)

        let later = try world.cycle()
        #expect(later.outcomes.count == 1)
        let order = try #require(try world.store().orders.matching("A1").first)
        #expect(order.order.lines.map(\.sku) == ["TSHIRT-WHT-M", "SOCKS"])
    }

    @Test("a young file that does not change during the wait is taken in the same cycle")
    func youngButStable() throws {
        let world = try TestWorld()
        try world.drop("new.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")), age: 0)
        #expect(try world.cycle().outcomes.count == 1)
    }

    @Test(
        "files being written by convention are left alone",
        arguments: ["orders.tsv.part", "orders.tsv.tmp", ".orders.tsv", "orders.csv"])
    func ignored(name: String) throws {
        let world = try TestWorld()
        try world.drop(name, AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        #expect(try world.cycle().outcomes.isEmpty)
        #expect(try world.inboxFiles() == [name])
    }

    @Test("the same file dropped twice is a duplicate, reported and not imported")
    func sameFileTwice() throws {
        let world = try TestWorld()
        let content = AmazonReport.file(AmazonReport.row(order: "A1", item: "1"))
        try world.drop("orders.tsv", content)
        #expect(try world.cycle().documentsImported == 1)
        try world.drop("orders.tsv", content)
        let again = try world.cycle()
        #expect(again.outcomes.map(\.file.status) == [.duplicate])
        #expect(again.outcomes.first?.issues.map(\.code) == [.duplicateFile])
        let report = try world.report(for: "orders.tsv")
        let errors = try #require(report["errors"] as? [[String: Any]])
        #expect(errors.first?["code"] as? String == "duplicate_file")
        #expect(try world.store().orders.count() == 1)
        #expect(try world.store().ledger.files().count == 2)
    }

    @Test("the same bytes under a new name are a duplicate")
    func sameBytesRenamed() throws {
        let world = try TestWorld()
        let content = AmazonReport.file(AmazonReport.row(order: "A1", item: "1"))
        try world.drop("monday.tsv", content)
        _ = try world.cycle()
        try world.drop("monday-copy.tsv", content)
        let again = try world.cycle()
        #expect(again.outcomes.map(\.file.status) == [.duplicate])
        #expect(again.outcomes.first?.file.duplicateOf == 1)
        #expect(again.outcomes.first?.issues.first?.message.contains("monday.tsv") == true)
        #expect(try world.store().orders.count() == 1)
    }

    @Test("the same order in two files is imported once and traced to both")
    func sameOrderTwoFiles() throws {
        let world = try TestWorld()
        try world.drop("a.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        try world.drop(
            "b.tsv",
            AmazonReport.file(AmazonReport.row(order: "A1", item: "1"), AmazonReport.row(order: "A2", item: "2")))
        let report = try world.cycle()
        #expect(report.outcomes.map(\.file.status) == [.imported, .imported])
        #expect(report.outcomes.map(\.file.ordersImported) == [1, 1])
        #expect(report.outcomes.map(\.file.ordersAlreadyKnown) == [0, 1])
        let store = try world.store()
        #expect(try store.orders.count() == 2)
        let lineage = try store.orders.lineage(orderID: 1)
        #expect(lineage.map(\.file) == ["a.tsv", "b.tsv"])
        #expect(lineage.map(\.outcome) == ["imported", "identical_resend"])
    }

    @Test("an order re-sent with changes is skipped and reported; the stored order stays")
    func changedResend() throws {
        let world = try TestWorld()
        try world.drop("a.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1", quantity: "1")))
        _ = try world.cycle()
        try world.drop(
            "b.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1", quantity: "2", price: "39.98")))
        let report = try world.cycle()
        #expect(report.outcomes.first?.file.status == .quarantined)
        #expect(report.outcomes.first?.issues.map(\.code) == [.changedResend])
        let stored = try #require(try world.store().orders.matching("A1").first)
        #expect(stored.order.lines[0].quantity == 1)
    }

    @Test("bad records go to quarantine with a report of every error; good orders import")
    func quarantineReport() throws {
        let world = try TestWorld()
        try world.drop(
            "mixed.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "GOOD", item: "1"),
                AmazonReport.row(order: "BAD", item: "2", quantity: "0", price: "0.00"),
                AmazonReport.row(order: "ALSO-BAD", item: "3", ["ship-country": "Germany"]),
                AmazonReport.row(order: "WORSE", item: "4", ["purchase-date": "yesterday"])))
        let outcome = try #require(try world.cycle().outcomes.first)
        #expect(outcome.file.status == .quarantined)
        #expect(outcome.file.ordersImported == 1)
        #expect(outcome.file.ordersRejected == 3)
        #expect(try world.inboxFiles().isEmpty)
        #expect(FileManager.default.fileExists(atPath: world.quarantine.appendingPathComponent("mixed.tsv").path))
        #expect(outcome.file.storedPath == world.quarantine.appendingPathComponent("mixed.tsv").path)

        let report = try world.report(for: "mixed.tsv")
        let errors = try #require(report["errors"] as? [[String: Any]])
        let codes = errors.compactMap { $0["code"] as? String }
        #expect(codes == ["quantity_below_one", "unknown_country", "invalid_date_time"])
        let quantity = errors[0]
        #expect(quantity["line"] as? Int == 3)
        #expect(quantity["record"] as? Int == 2)
        #expect(quantity["field"] as? String == "lines[1].quantity")
        #expect(quantity["source"] as? String == "quantity-purchased")
        #expect(quantity["value"] as? String == "0")
        #expect((quantity["message"] as? String)?.isEmpty == false)
        #expect(
            errors[1]["value"] as? String == "GERMANY", "the value as the rule saw it, after the mapping's transforms")
        #expect(errors[2]["line"] as? Int == 5)
        #expect(errors[2]["value"] as? String == "yesterday")
        let file = try #require(report["file"] as? [String: Any])
        #expect(file["orders_imported"] as? Int == 1)
        #expect(try world.store().orders.matching("GOOD").count == 1)
    }

    @Test("with reject_file, one bad record keeps the whole file out")
    func allOrNothing() throws {
        let world = try TestWorld {
            $0.replacingOccurrences(of: "on_error: import_valid", with: "on_error: reject_file")
        }
        try world.drop(
            "mixed.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "GOOD", item: "1"), AmazonReport.row(order: "BAD", item: "2", quantity: "0")))
        let outcome = try #require(try world.cycle().outcomes.first)
        #expect(outcome.file.status == .quarantined)
        #expect(outcome.file.ordersImported == 0)
        #expect(outcome.issues.map(\.code) == [.quantityBelowOne, .fileRejected])
        #expect(try world.store().orders.count() == 0)
    }

    @Test("a file that breaks off after hundreds of stored orders keeps none of them, and says where it broke")
    func brokenAfterStoredOrders() throws {
        let world = try TestWorld()
        // More orders than the mapping thread hands over at once, so the store has them before the break.
        let good = (1...300).map { AmazonReport.row(order: "GOOD-\($0)", item: "\($0)") }
        let long = AmazonReport.row(
            order: "LONG", item: "301", ["product-name": String(repeating: "x", count: 70_000)])
        try world.drop("broken.tsv", AmazonReport.file((good + [long]).joined(separator: "\n")))
        let outcome = try #require(try world.cycle().outcomes.first)
        #expect(outcome.file.status == .quarantined)
        #expect(outcome.file.ordersImported == 0)
        #expect(outcome.issues.map(\.code) == [.fieldTooLong])
        #expect(outcome.issues.first?.line == 302)
        #expect(try world.store().orders.count() == 0)
        #expect(try world.store().ledger.importErrors(fileID: outcome.file.id).map(\.code) == [.fieldTooLong])
        #expect(try world.store().ledger.files().map(\.status) == [.quarantined])
    }

    @Test("a file whose header lacks a mapped column is quarantined whole")
    func missingColumn() throws {
        let world = try TestWorld()
        try world.drop("short.tsv", "order-id\tsku\nA1\tX\n")
        let outcome = try #require(try world.cycle().outcomes.first)
        #expect(outcome.file.status == .quarantined)
        #expect(outcome.issues.map(\.code) == [.missingColumn])
        #expect(try world.store().orders.count() == 0)
    }
}

@Suite("Mapping a quarantined file again after a fix")
struct ReprocessTests {
    @Test("a fixed mapping imports the rest of the file, once, and archives it")
    func fixAndReprocess() throws {
        let world = try TestWorld()
        try world.drop(
            "mixed.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "GOOD", item: "1"),
                AmazonReport.row(order: "SPELLED-OUT", item: "2", ["ship-country": "Germany"])))
        let first = try #require(try world.cycle().outcomes.first)
        #expect(first.file.status == .quarantined)
        #expect(first.file.ordersImported == 1)

        // The integrator teaches the mapping the country name and maps the file again.
        let mappingURL = world.root.appendingPathComponent("mappings/amazon-de-orders.yaml")
        let mapping = try String(contentsOf: mappingURL, encoding: .utf8).replacingOccurrences(
            of: "ship_to.country: {path: ship-country, transforms: [trim, upper]}",
            with:
                "ship_to.country: {path: ship-country, transforms: [trim, upper], lookup: {GERMANY: DE}, missing: pass}"
        )
        try mapping.write(to: mappingURL, atomically: true, encoding: .utf8)
        let store = try world.store()
        let outcome = try FileImporter(
            store: store, configuration: try world.configuration(), now: { world.clock.now() },
            logger: Logger(label: "test")
        ).reprocess(first.file)

        #expect(outcome.file.status == .imported)
        #expect(outcome.file.id == first.file.id, "the same ledger row: the bytes are still one file")
        #expect(outcome.file.ordersImported == 2)
        #expect(outcome.file.reprocessedAt != nil)
        #expect(try store.orders.count() == 2)
        #expect(try store.orders.matching("SPELLED-OUT").first?.order.shipTo?.country == "DE")
        #expect(
            try store.orders.lineage(orderID: 1).map(\.outcome) == ["imported"], "no re-send recorded for the same file"
        )
        #expect(FileManager.default.fileExists(atPath: outcome.file.storedPath))
        #expect(outcome.file.storedPath.contains("/archive/"))
        #expect(!FileManager.default.fileExists(atPath: world.quarantine.appendingPathComponent("mixed.tsv").path))
        #expect(
            !FileManager.default.fileExists(
                atPath: world.quarantine.appendingPathComponent("mixed.tsv.errors.json").path))
        #expect(try store.ledger.importErrors(fileID: first.file.id).isEmpty)

        #expect(throws: ReprocessError.self) {
            _ = try FileImporter(
                store: store, configuration: try world.configuration(), now: { world.clock.now() },
                logger: Logger(label: "test")
            ).reprocess(outcome.file)
        }
    }
}
