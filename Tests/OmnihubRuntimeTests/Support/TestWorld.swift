import Foundation
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

/// The repository, found from this file, for the shipped mappings and sample world.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A throwaway omnihub installation in a temporary folder: configuration, mapping, inbox, store.
struct TestWorld {
    let root: URL
    let clock: TestClock

    /// A world with the Amazon partner; `mappingEdit` changes the shipped mapping's text.
    init(stableAfterSeconds: Int = 2, mappingEdit: (String) -> String = { $0 }) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-world-\(UUID().uuidString)")
        clock = TestClock(start: Timestamp(millisecondsSince1970: 1_795_000_000_000))
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("mappings"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let mapping = try String(
            contentsOf: repositoryRoot.appendingPathComponent("mappings/amazon-de-orders.yaml"), encoding: .utf8)
        try mappingEdit(mapping).write(
            to: root.appendingPathComponent("mappings/amazon-de-orders.yaml"), atomically: true, encoding: .utf8)
        try """
        store:
          path: var/omnihub.sqlite
        inbox:
          stable_after_seconds: \(stableAfterSeconds)
        partners:
          - id: amazon-de
            feeds:
              - name: orders
                folder: inbox/amazon-de
                pattern: "*.tsv"
                mapping: mappings/amazon-de-orders.yaml
        """.write(to: configFile, atomically: true, encoding: .utf8)
    }

    /// A copy of the shipped sample world: `omnihub.yaml`, every mapping, and the sample feeds in the inbox.
    static func shippedSampleWorld() throws -> TestWorld {
        let world = try TestWorld()
        let files = FileManager.default
        try files.removeItem(at: world.root.appendingPathComponent("mappings"))
        try files.removeItem(at: world.configFile)
        try files.copyItem(
            at: repositoryRoot.appendingPathComponent("mappings"), to: world.root.appendingPathComponent("mappings"))
        try files.copyItem(at: repositoryRoot.appendingPathComponent("omnihub.yaml"), to: world.configFile)
        try files.copyItem(
            at: repositoryRoot.appendingPathComponent("network"), to: world.root.appendingPathComponent("network"))
        try world.linkSchemas()
        let samples = repositoryRoot.appendingPathComponent("sample-world/inbox")
        for partner in try files.contentsOfDirectory(atPath: samples.path) {
            let folder = world.root.appendingPathComponent("inbox/\(partner)")
            try files.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in try files.contentsOfDirectory(atPath: samples.appendingPathComponent(partner).path) {
                let target = folder.appendingPathComponent(name)
                try files.copyItem(at: samples.appendingPathComponent("\(partner)/\(name)"), to: target)
                try world.setModified(target, secondsBeforeNow: 60)
            }
        }
        return world
    }

    /// Drops the sample world's second batch (`sample-world/later/`: the shipment reports) into
    /// the inbox.
    func dropLaterFiles() throws {
        let later = repositoryRoot.appendingPathComponent("sample-world/later")
        for partner in try FileManager.default.contentsOfDirectory(atPath: later.path) {
            for name in try FileManager.default.contentsOfDirectory(atPath: later.appendingPathComponent(partner).path)
            {
                let target = root.appendingPathComponent("inbox/\(partner)/\(name)")
                try FileManager.default.copyItem(at: later.appendingPathComponent("\(partner)/\(name)"), to: target)
                try setModified(target, secondsBeforeNow: 60)
            }
        }
    }

    /// Makes the repository's `schemas/` (the UBL 2.1 schemas `scripts/fetch-ubl-schemas.sh`
    /// fetches) visible to copied format files, which name them relative to `mappings/`.
    func linkSchemas() throws {
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("schemas"),
            withDestinationURL: repositoryRoot.appendingPathComponent("schemas"))
    }

    var configFile: URL { root.appendingPathComponent("omnihub.yaml") }
    var inbox: URL { root.appendingPathComponent("inbox/amazon-de") }
    var quarantine: URL { root.appendingPathComponent("quarantine/amazon-de") }

    func configuration() throws -> Configuration { try Configuration.load(configFile.path) }

    func store() throws -> OrderStore { try OrderStore(path: try configuration().storePath) }

    /// Writes a file into the inbox, last modified `age` seconds before the test clock's now.
    @discardableResult
    func drop(_ name: String, _ content: String, age: Int = 60) throws -> URL {
        let url = inbox.appendingPathComponent(name)
        try content.write(to: url, atomically: false, encoding: .utf8)
        try setModified(url, secondsBeforeNow: age)
        return url
    }

    func setModified(_ url: URL, secondsBeforeNow age: Int) throws {
        let date = Date(timeIntervalSince1970: Double(clock.now().millisecondsSince1970) / 1000 - Double(age))
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: url.path)
    }

    /// Runs one import cycle on the test clock; `whileWaiting` runs when the cycle waits for files to settle.
    /// A cycle on the test clock; `partSize` is how many orders a part of the outbox's documents holds.
    func cycle(partSize: Int = 500, whileWaiting: @escaping @Sendable () -> Void = {}) throws -> CycleReport {
        let clock = self.clock
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return Cycle(
            configuration: try configuration(), store: try store(), logger: logger, now: { clock.now() },
            sleep: { duration in
                whileWaiting()
                clock.advance(by: duration)
            }, partSize: partSize
        ).run()
    }

    func inboxFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: inbox.path).sorted()
    }

    func report(for name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: quarantine.appendingPathComponent(name + ".errors.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Timestamp

    init(start: Timestamp) {
        current = start
    }

    func now() -> Timestamp {
        lock.withLock { current }
    }

    func advance(by duration: Duration) {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        lock.withLock { current = Timestamp(millisecondsSince1970: current.millisecondsSince1970 + milliseconds) }
    }
}

/// Amazon order report rows in the shipped sample's layout.
enum AmazonReport {
    static let columns = [
        "order-id", "order-item-id", "purchase-date", "payments-date", "buyer-email", "buyer-name",
        "buyer-phone-number",
        "sku", "product-name", "quantity-purchased", "currency", "item-price", "item-tax", "shipping-price",
        "shipping-tax", "item-promotion-discount", "item-promotion-id", "ship-promotion-discount", "ship-service-level",
        "recipient-name",
        "ship-address-1", "ship-address-2", "ship-city", "ship-state", "ship-postal-code", "ship-country",
        "ship-phone-number",
    ]

    /// One item row; override any column by name.
    static func row(
        order: String, item: String, sku: String = "TSHIRT-WHT-M", quantity: String = "1",
        price: String = "19.99", _ overrides: [String: String] = [:]
    ) -> String {
        var values: [String: String] = [
            "order-id": order, "order-item-id": item, "purchase-date": "2026-11-20T08:15:02+00:00",
            "buyer-name": "Erika Mustermann", "sku": sku, "product-name": "T-Shirt", "quantity-purchased": quantity,
            "currency": "EUR", "item-price": price, "shipping-price": "4.95", "ship-service-level": "Standard",
            "recipient-name": "Erika Mustermann", "ship-address-1": "Hauptstr. 5", "ship-city": "Berlin",
            "ship-postal-code": "10115", "ship-country": "DE",
        ]
        values.merge(overrides) { $1 }
        return columns.map { values[$0] ?? "" }.joined(separator: "\t")
    }

    static func file(_ rows: String...) -> String {
        ([columns.joined(separator: "\t")] + rows).joined(separator: "\n") + "\n"
    }
}
