import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Shipment confirmations consume the node's reservation and its stock, once")
struct ShipmentConfirmationTests {
    let outbox = FulfilmentOutboxTests()

    /// The fulfilment world with a shipments feed from the nodes.
    func world() throws -> TestWorld {
        let world = try outbox.world()
        let config = try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "mapping: mappings/amazon-de-orders.yaml}]",
            with:
                "mapping: mappings/amazon-de-orders.yaml}]\n    shipping_confirmation_format: mappings/amazon.format.yaml"
        )
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("mappings/amazon-de-shipping-confirmation.format.yaml"),
            to: world.root.appendingPathComponent("mappings/amazon.format.yaml"))
        try
            (config + """

                  - id: shipments
                    feeds: [{name: shipments, folder: inbox/shipments, pattern: "*.csv", mapping: mappings/shipments.yaml}]
                """).write(to: world.configFile, atomically: true, encoding: .utf8)
        try """
        mapping: shipments
        document: shipment_confirmation
        format: {type: csv}
        group_by: shipment
        fields: {channel: {const: amazon-de}, external_id: order, node: node, shipped_at: at, reference: shipment,
                 carrier: carrier, service: {const: Standard}, tracking_number: tracking}
        lines: {sku: sku, quantity: qty}
        """.write(
            to: world.root.appendingPathComponent("mappings/shipments.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: world.root.appendingPathComponent("inbox/shipments"), withIntermediateDirectories: true)
        return world
    }

    func ship(_ world: TestWorld, _ name: String, _ rows: String) throws {
        let url = world.root.appendingPathComponent("inbox/shipments/\(name)")
        try ("shipment,order,node,at,carrier,tracking,sku,qty\n" + rows).write(
            to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
    }

    func shippedAndStatus(_ store: OrderStore) throws -> [String] {
        let order = try #require(try store.orders.list(limit: 1).first)
        return [String(try store.stock.shippedUnits(orderID: order.id)), order.status.rawValue]
    }

    @Test("a partial shipment consumes that many reserved units and lowers on-hand; the rest ships later")
    func partialThenFull() throws {
        let world = try world()
        try outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1", quantity: "3", price: "59.97")))
        #expect(try world.cycle().reservations.map(\.quantity) == [3])
        let store = try world.store()

        world.clock.advance(by: .seconds(60))
        try ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,00340434161094000001,TSHIRT-WHT-M,2\n")
        let first = try world.cycle()
        #expect(
            first.failures.isEmpty && first.outcomes.allSatisfy { $0.issues.isEmpty }, "\(first.outcomes.map(\.issues))"
        )
        #expect(try store.stock.reserved(sku: "TSHIRT-WHT-M") == ["DC-1": 1])
        #expect(try store.stock.levels(sku: "TSHIRT-WHT-M").first { $0.node == "DC-1" }?.onHand == 8)
        #expect(try shippedAndStatus(store) == ["2", "sourced"])
        #expect(first.reservations.isEmpty, "shipped units are not sourced again")
        #expect(
            first.documentsWritten.map(\.kind.rawValue) == ["shipping_confirmation"],
            "no new fulfilment order for shipped units"
        )

        world.clock.advance(by: .seconds(60))
        try ship(world, "sh2.csv", "SH-2,A1,DC-1,2026-11-26T11:00:00Z,DHL,00340434161094000002,TSHIRT-WHT-M,1\n")
        _ = try world.cycle()
        #expect(try store.stock.reserved(sku: "TSHIRT-WHT-M") == ["DC-1": 0])
        #expect(try store.stock.levels(sku: "TSHIRT-WHT-M").first { $0.node == "DC-1" }?.onHand == 7)
        #expect(try shippedAndStatus(store) == ["3", "shipped"])
    }

    @Test("a shipment file that names no channel finds its order by number among the stored channels")
    func withoutChannel() throws {
        let world = try world()
        let mapping = world.root.appendingPathComponent("mappings/shipments.yaml")
        let text = try String(contentsOf: mapping, encoding: .utf8)
        let without = text.replacingOccurrences(of: "channel: {const: amazon-de}, ", with: "")
        #expect(without != text)
        try without.write(to: mapping, atomically: true, encoding: .utf8)
        try outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,1\n")
        let report = try world.cycle()
        #expect(report.outcomes.allSatisfy { $0.issues.isEmpty }, "\(report.outcomes.map(\.issues))")
        #expect(try shippedAndStatus(try world.store()) == ["1", "shipped"])
    }

    @Test("a snapshot taken after the shipment already counts it: on-hand is not lowered twice")
    func snapshotAfterShipment() throws {
        let world = try world()
        try outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try outbox.stock(world, "s2.csv", "DC-1,2026-11-26T12:00:00Z,TSHIRT-WHT-M,9\n")
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,1\n")
        _ = try world.cycle()
        let store = try world.store()
        #expect(try store.stock.levels(sku: "TSHIRT-WHT-M").first { $0.node == "DC-1" }?.onHand == 9)
        #expect(try store.stock.reserved(sku: "TSHIRT-WHT-M") == ["DC-1": 0])
        #expect(try shippedAndStatus(store) == ["1", "shipped"])
    }

    @Test(
        "shipping more than is open ships what is open; a repeat of the same shipment is a duplicate, not a second one")
    func overshipAndRepeat() throws {
        let world = try world()
        try outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,5\n")
        _ = try world.cycle()
        let store = try world.store()
        #expect(try shippedAndStatus(store) == ["1", "shipped"])
        #expect(try store.stock.levels(sku: "TSHIRT-WHT-M").first { $0.node == "DC-1" }?.onHand == 9)

        world.clock.advance(by: .seconds(60))
        try ship(world, "sh1-again.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,1\n")
        _ = try world.cycle()
        #expect(try shippedAndStatus(store) == ["1", "shipped"])
        #expect(
            try store.stock.levels(sku: "TSHIRT-WHT-M").first { $0.node == "DC-1" }?.onHand == 9,
            "the same shipment number is booked once")
    }

    @Test("a shipment for an order omnihub does not know is reported with the file, record and order number")
    func unknownOrder() throws {
        let world = try world()
        try ship(world, "sh1.csv", "SH-9,NOPE-1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,1\n")
        let report = try world.cycle()
        let issues = report.outcomes.flatMap(\.issues).map(\.description)
        #expect(issues.contains { $0.contains("sh1.csv") && $0.contains("no stored order is NOPE-1") })
    }

    @Test("Amazon is sent each booked shipment once, in its flat-file layout, and trace names the file")
    func amazonConfirmation() throws {
        let world = try world()
        try outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(AmazonReport.row(order: "A1", item: "11", quantity: "3", price: "59.97")))
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try ship(
            world, "sh1.csv",
            "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,003404341610,TSHIRT-WHT-M,2\n"
                + "SH-2,A1,DC-1,2026-11-27T09:30:00Z,Hermes,015012345678,TSHIRT-WHT-M,1\n")
        let report = try world.cycle()
        #expect(report.failures.isEmpty && report.outcomes.allSatisfy { $0.issues.isEmpty })
        let confirmations = report.documentsWritten.filter { $0.kind.rawValue == "shipping_confirmation" }
        let document = try #require(confirmations.first)
        #expect(confirmations.count == 1 && document.destination == "amazon-de")
        #expect((document.path as NSString).lastPathComponent.hasPrefix("shipconfirm-amazon-de-"))
        let text = try String(contentsOfFile: document.path, encoding: .utf8)
        #expect(
            text
                == "order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\ttracking-number\tship-method\r\n"
                + "A1\t11\t2\t2026-11-26\tDHL\tDHL\t003404341610\tStandard\r\n"
                + "A1\t11\t1\t2026-11-27\tHermes Logistik Gruppe\tHermes\t015012345678\tStandard\r\n",
            "Amazon's carrier code from the format's table, the node's carrier as the name")

        world.clock.advance(by: .seconds(60))
        #expect(try world.cycle().documentsWritten.isEmpty, "each shipment is confirmed once")
        let store = try world.store()
        let order = try #require(try store.orders.list(limit: 1).first)
        #expect(try store.outbox.documents(orderID: order.id).map(\.kind.rawValue).contains("shipping_confirmation"))
    }

    @Test("the shipped WMS shipment mapping reads the sample world's parcel: Berlin time to UTC, line and tracking")
    func sampleWarehouseShipment() throws {
        let mapping = try MappingFile.load(
            repositoryRoot.appendingPathComponent("mappings/wms-central-shipments.yaml").path)
        let file = repositoryRoot.appendingPathComponent("sample-world/later/wms-central/VERSAND_20261126_1410.csv")
        var notices: [InboundNotice] = []
        try FeedMapper(mapping: mapping, fileName: file.lastPathComponent).map(try FileByteSource(path: file.path)) {
            outcome in
            guard case .document(.notice(let notice)) = outcome else {
                Issue.record("the sample parcel was not mapped: \(outcome)")
                return
            }
            notices.append(notice)
        }
        let notice = try #require(notices.first)
        #expect(notices.count == 1)
        #expect(notice.kind == .shipmentConfirmation)
        #expect(
            [notice.channel, notice.externalID, notice.node, notice.reference] == [
                "amazon-de", "302-1111111-2000001", "DC-CENTRAL", "PK-0001",
            ])
        #expect(notice.occurredAt?.description == "2026-11-26T13:10:00Z", "14:10 in Berlin in November is 13:10 UTC")
        #expect(
            [notice.carrier, notice.service, notice.trackingNumber] == ["DHL", "Standard", "00340434161094012345"])
        #expect(notice.lines.map(\.lineID) == ["10000000000001"])
        #expect(notice.lines.map(\.quantity) == [2])
    }
}
