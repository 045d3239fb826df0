import Foundation
import FoundationXML
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Fulfilment orders: each reserved unit is handed to its node exactly once")
struct FulfilmentOutboxTests {
    /// The Amazon feed, a stock feed, a DC that takes JSON and a store that takes a semicolon pick list.
    func world() throws -> TestWorld {
        let world = try TestWorld(stableAfterSeconds: 0)
        func write(_ text: String, _ path: String) throws {
            try text.write(to: world.root.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }
        try write(
            """
            mapping: snapshot
            document: stock_snapshot
            format: {type: csv}
            group_by: node
            fields: {node: node, as_of: as_of}
            lines: {sku: sku, quantity: qty}
            """, "mappings/snapshot.yaml")
        try write(
            """
            format: wms
            document: fulfilment_order
            type: json
            file_name: "FO-{node}-{wave}.json"
            header: [{name: orderNumber, value: number}, {name: warehouse, value: node}, {name: type, value: document_type}]
            columns: [{name: order, value: order}, {name: sku, value: sku}, {name: qty, value: quantity},
                      {name: city, value: ship_to.city}, {name: source, const: omnihub}, {name: reason, value: reason}]
            """, "mappings/wms.format.yaml")
        try write(
            """
            format: picklist
            document: fulfilment_order
            type: csv
            delimiter: semicolon
            encoding: windows-1252
            file_name: "picklist-{node}-{wave}.csv"
            columns: [{name: Pos, value: position}, {name: Bestellung, value: order}, {name: Artikel, value: sku},
                      {name: Menge, value: quantity}, {name: Ort, value: ship_to.city}]
            """, "mappings/picklist.format.yaml")
        try write("country,prefix,lat,lon\nDE,10,52.52,13.40\n", "areas.csv")
        try write(
            """
            store: {path: var/omnihub.sqlite}
            inbox: {stable_after_seconds: 0}
            network:
              nodes:
                - {id: DC-1, type: dc, location: {lat: 51.31, lon: 9.48}, unit_cost: 0.8, parcel_cost: 1.0,
                   fulfilment_format: mappings/wms.format.yaml}
                - {id: STORE-1, type: store, location: {lat: 52.52, lon: 13.41}, unit_cost: 2.5, parcel_cost: 3.0,
                   fulfilment_format: mappings/picklist.format.yaml}
            sourcing:
              rate_card: [{max_km: 100, cost: 4.5}, {max_km: null, cost: 9.0}]
              postal_areas: areas.csv
            partners:
              - id: amazon-de
                feeds: [{name: orders, folder: inbox/amazon-de, pattern: "*.tsv", mapping: mappings/amazon-de-orders.yaml}]
              - id: wms
                feeds: [{name: stock, folder: inbox/wms, pattern: "*.csv", mapping: mappings/snapshot.yaml}]
              - id: amazon-cancellations
                feeds: [{name: cancellations, folder: inbox/cancel, pattern: "*.csv", mapping: mappings/cancellations.yaml}]
            """, "omnihub.yaml")
        try write(
            """
            mapping: cancellations
            document: cancellation_request
            format: {type: csv}
            fields: {channel: {const: amazon-de}, external_id: order, requested_at: at, reason: reason}
            lines: {sku: sku, quantity: qty}
            """, "mappings/cancellations.yaml")
        try FileManager.default.createDirectory(
            at: world.root.appendingPathComponent("inbox/cancel"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: world.root.appendingPathComponent("inbox/wms"), withIntermediateDirectories: true)
        return world
    }

    func stock(_ world: TestWorld, _ name: String, _ rows: String) throws {
        let url = world.root.appendingPathComponent("inbox/wms/\(name)")
        try ("node,as_of,sku,qty\n" + rows).write(to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
    }

    func cancel(_ world: TestWorld, _ name: String, order: String, quantity: Int) throws {
        let url = world.root.appendingPathComponent("inbox/cancel/\(name)")
        try "order,at,reason,sku,qty\n\(order),2026-11-26T09:00:00Z,customer changed mind,TSHIRT-WHT-M,\(quantity)\n"
            .write(to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
    }

    /// Takes the nodes' fulfilment formats out of the world's configuration, so a cycle imports
    /// and sources without writing; returns the configuration as it was, to put back.
    func withoutFormats(_ world: TestWorld) throws -> String {
        let withFormats = try String(contentsOf: world.configFile, encoding: .utf8)
        try withFormats.replacingOccurrences(
            of: "fulfilment_format: mappings/wms.format.yaml", with: "capacity_parcels: 99"
        )
        .replacingOccurrences(of: "fulfilment_format: mappings/picklist.format.yaml", with: "capacity_parcels: 99")
        .write(to: world.configFile, atomically: true, encoding: .utf8)
        return withFormats
    }

    func outbox(_ world: TestWorld, _ node: String) throws -> [URL] {
        let folder = world.root.appendingPathComponent("outbox/\(node)")
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test("the DC gets its lines as JSON once; a second run writes nothing; a later order gets a new wave")
    func onceAndOnlyOnce() throws {
        let world = try world()
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        let first = try world.cycle()
        #expect(first.failures.isEmpty)
        #expect(first.documentsWritten.map(\.destination) == ["DC-1"])
        let files = try outbox(world, "DC-1")
        try #require(files.count == 1)
        #expect(files[0].lastPathComponent.hasPrefix("FO-DC-1-") && files[0].pathExtension == "json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: files[0])) as? [String: Any])
        #expect(json["warehouse"] as? String == "DC-1")
        #expect(json["orderNumber"] as? String == first.documentsWritten[0].number)
        let lines = try #require(json["lines"] as? [[String: Any]]).map { $0.compactMapValues { $0 as? String } }
        #expect((json["lines"] as? [[String: Any]])?.first?["reason"] is NSNull, "an order line has no reason")
        let expected: [String: String] = [
            "order": "A1", "sku": "TSHIRT-WHT-M", "qty": "1", "city": "Berlin", "source": "omnihub",
        ]
        #expect(lines == [expected])
        #expect(json["type"] as? String == "fulfilment_order")
        #expect(try outbox(world, "STORE-1").isEmpty, "nothing was reserved at the store")

        world.clock.advance(by: .seconds(60))
        #expect(try world.cycle().documentsWritten.isEmpty, "the same units are never handed over twice")
        #expect(try outbox(world, "DC-1").count == 1)

        world.clock.advance(by: .seconds(60))
        try world.drop("orders2.tsv", AmazonReport.file(AmazonReport.row(order: "A2", item: "2")))
        let third = try world.cycle()
        #expect(third.documentsWritten.count == 1)
        let second = try outbox(world, "DC-1").filter { $0.lastPathComponent != files[0].lastPathComponent }
        try #require(second.count == 1)
        let secondJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: second[0])) as? [String: Any]
        #expect((secondJSON?["lines"] as? [[String: Any]])?.map { $0["order"] as? String } == ["A2"])
        let store = try world.store()
        #expect(try store.outbox.documents().allSatisfy { $0.status.rawValue == "written" })
    }

    @Test("a store's pick list is CSV with its delimiter, encoding and numbered positions")
    func storePickList() throws {
        let world = try world()
        try stock(world, "s1.csv", "STORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(AmazonReport.row(order: "A1", item: "1", ["ship-city": "Köln"])))
        let report = try world.cycle()
        #expect(report.documentsWritten.map(\.destination) == ["STORE-1"])
        let file = try #require(try outbox(world, "STORE-1").first)
        let bytes = try Data(contentsOf: file)
        #expect(bytes.contains(0xF6), "ö is one windows-1252 byte")
        let text = try #require(String(data: bytes, encoding: .windowsCP1252))
        #expect(text == "Pos;Bestellung;Artikel;Menge;Ort\r\n1;A1;TSHIRT-WHT-M;1;Köln\r\n")
    }

    @Test("a document recorded before a crash is written with the recorded bytes on the next run")
    func pendingAfterCrash() throws {
        let world = try world()
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        // Import and source with no formats configured, then record the document the way the emitter
        // does and stop before writing it, as a crash would.
        let withFormats = try withoutFormats(world)
        let sourced = try world.cycle()
        #expect(sourced.reservations.count == 1 && sourced.documentsWritten.isEmpty)
        let store = try world.store()
        let path = world.root.appendingPathComponent("outbox/DC-1/recorded.json").path
        let window = try store.outbox.fulfilmentFacts(after: 0, orders: .max, withUntoldCancellations: true)
        let (facts, revision) = (window.facts, window.revision)
        let documents = FulfilmentPlan(facts).nodes.map { work in
            DocumentToRecord(
                destination: work.node,
                rendered: RenderedDocument(
                    number: "FO-\(work.node)-crash", path: path,
                    content: Array("{\"units\":\(work.toShip.count)}\n".utf8)),
                covers: FulfilmentCoverage.handsOver(work.toShip))
        }
        let recorded = try store.outbox.recordFulfilmentDocuments(
            documents, basedOn: revision, at: world.clock.now()
        ).recorded
        #expect(recorded.map(\.status.rawValue) == ["pending"])
        #expect(!FileManager.default.fileExists(atPath: path))

        try withFormats.write(to: world.configFile, atomically: true, encoding: .utf8)
        world.clock.advance(by: .seconds(60))
        let report = try world.cycle()
        #expect(report.documentsWritten.map(\.number) == ["FO-DC-1-crash"], "only the pending document, no second one")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"units\":1}\n")
        #expect(try store.outbox.pendingDocuments().isEmpty)
    }

    @Test("a foreign file under the same name is never overwritten; the document waits and is written once it is moved")
    func neverOverwrites() throws {
        let world = try world()
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        let folder = world.root.appendingPathComponent("outbox/DC-1")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let wave = String(world.clock.now().description.filter(\.isNumber).prefix(14))
        let foreign = folder.appendingPathComponent("FO-DC-1-\(wave).json")
        try "someone else's file\n".write(to: foreign, atomically: true, encoding: .utf8)

        let first = try world.cycle()
        #expect(first.documentsWritten.isEmpty)
        let failure = try #require(first.failures.first)
        #expect(failure.path == foreign.path)
        #expect(failure.message.contains("never overwrites") && failure.message.contains("stays pending"))
        #expect(try String(contentsOf: foreign, encoding: .utf8) == "someone else's file\n")

        try FileManager.default.moveItem(at: foreign, to: folder.appendingPathComponent("moved-away.txt"))
        world.clock.advance(by: .seconds(60))
        let second = try world.cycle()
        #expect(second.failures.isEmpty)
        #expect(second.documentsWritten.count == 1)
        #expect(try String(contentsOf: foreign, encoding: .utf8).contains("\"sku\":\"TSHIRT-WHT-M\""))
    }

    @Test("a format naming a field omnihub does not know is refused with the field and the list")
    func unknownField() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).format.yaml")
        try """
        format: bad
        document: fulfilment_order
        type: csv
        file_name: "x-{node}.csv"
        columns: [{name: EAN, value: gtin}]
        """.write(to: path, atomically: true, encoding: .utf8)
        #expect {
            try OutputFormatFile.load(path.path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("'gtin' is not a fulfilment order field") && text.contains("sku")
                && text.contains(path.lastPathComponent)
        }
    }

    @Test("every shipped format file loads and renders; the XML ones are well-formed with one element per line")
    func shippedFormats() throws {
        let folder = repositoryRoot.appendingPathComponent("mappings")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".format.yaml")
        }
        #expect(names.count >= 4)
        let order = FulfilmentOrder(
            number: "FO-N-1", node: "N", wave: Timestamp(millisecondsSince1970: 1_795_680_000_000),
            lines: [
                FulfilmentOrder.Line(
                    channel: "webshop", orderNumber: "#1", lineID: "1", sku: "A", title: "Größe M", quantity: 1,
                    delivery: "ship", pickupNode: nil, shipTo: Address(name: "Ö", city: "Köln", country: "DE")),
                FulfilmentOrder.Line(
                    channel: "webshop", orderNumber: "#2", lineID: "1", sku: "B", title: nil, quantity: 3,
                    delivery: "collect", pickupNode: "S", shipTo: nil),
            ])
        var xmlFormats = 0
        for name in names {
            let format = try OutputFormatFile.load(folder.appendingPathComponent(name).path)
            // Template formats (UBL invoices, checked against their schema) take invoices, not
            // fulfilment orders: FinanceDocumentTests renders them.
            if format.template != nil { continue }
            let bytes = try format.render(order)
            #expect(!bytes.isEmpty, "\(name)")
            if format.type == .xml, let shape = format.xml {
                xmlFormats += 1
                let document = try XMLDocument(data: Data(bytes))
                #expect(document.rootElement()?.name == shape.root, "\(name)")
                let lines = try document.nodes(forXPath: "//*[local-name()='\(shape.line)']")
                #expect(lines.count == 2, "\(name)")
            }
        }
        #expect(xmlFormats >= 2, "the WMS and one dropshipper take XML")
    }

    @Test("a format naming a schema that is not there is refused, saying where it was looked for and what to do")
    func missingSchema() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("s-\(UUID().uuidString).format.yaml")
        try """
        format: s
        document: fulfilment_order
        type: xml
        file_name: "x-{node}.xml"
        xml: {root: Order, line: Line, schema: schemas/missing.xsd}
        columns: [{name: SKU, value: sku}]
        """.write(to: path, atomically: true, encoding: .utf8)
        #expect {
            try OutputFormatFile.load(path.path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("schemas/missing.xsd does not exist") && text.contains("fetch-ubl-schemas.sh")
                && text.contains("xml.schema")
        }
    }

    @Test("an XML format with an element name XML cannot hold is refused with the name")
    func badElementName() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).format.yaml")
        try """
        format: bad
        document: fulfilment_order
        type: xml
        file_name: "x-{node}.xml"
        xml: {root: Order, line: Line}
        columns: [{name: "2nd SKU", value: sku}]
        """.write(to: path, atomically: true, encoding: .utf8)
        #expect {
            try OutputFormatFile.load(path.path)
        } throws: { error in
            "\(error)".contains("'2nd SKU' is not an XML name")
        }
    }

    @Test("a node whose file cannot be written keeps its units; the other nodes get theirs in the same cycle")
    func oneNodeFailsAlone() throws {
        let world = try world()
        try stock(
            world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\nSTORE-1,2026-11-26T05:00:00Z,JACKET-NVY-M,2\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "A1", item: "1"),
                // Ł is not in Windows-1252, the store pick list's encoding.
                AmazonReport.row(order: "A2", item: "2", sku: "JACKET-NVY-M", ["ship-city": "Łódź"])))
        let first = try world.cycle()
        #expect(try outbox(world, "DC-1").count == 1, "the DC's order is written")
        #expect(try outbox(world, "STORE-1").isEmpty)
        #expect(first.failures.contains { $0.message.contains("STORE-1") && $0.message.contains("windows-1252") })
        #expect(
            try world.store().stock.reserved(sku: "JACKET-NVY-M") == ["STORE-1": 1], "the store's units stay reserved")
        #expect(try world.store().outbox.fulfilmentSettlement().through == 1, "A1 is settled, A2 is planned again")
        world.clock.advance(by: .seconds(60))
        let second = try world.cycle()
        #expect(second.failures.contains { $0.message.contains("STORE-1") }, "tried again, and reported again")
        #expect(try outbox(world, "DC-1").count == 1, "nothing is written twice")
        #expect(try world.store().outbox.fulfilmentSettlement().through == 1)
    }

    @Test("two runs within one second each write their fulfilment order, under different numbers and names")
    func twoRunsInOneSecond() throws {
        let world = try world()
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        let first = try world.cycle()
        try world.drop("orders-2.tsv", AmazonReport.file(AmazonReport.row(order: "A2", item: "2")))
        let second = try world.cycle()
        #expect(first.failures.isEmpty && second.failures.isEmpty, "\(second.failures.map(\.message))")
        let numbers = (first.documentsWritten + second.documentsWritten).filter {
            $0.kind.rawValue == "fulfilment_order"
        }
        .map(\.number)
        #expect(numbers.count == 2 && Set(numbers).count == 2, "\(numbers)")
        #expect(try outbox(world, "DC-1").count == 2)
    }

    @Test("cancelling units the DC already has sends it a fulfilment cancellation once, with the reason")
    func cancellationAfterHandover() throws {
        let world = try world()
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1", quantity: "3", price: "59.97")))
        let first = try world.cycle()
        #expect(first.failures.isEmpty)
        #expect(first.documentsWritten.map(\.kind.rawValue) == ["fulfilment_order"])
        #expect(try world.store().outbox.fulfilmentSettlement().through == 1, "the next run plans after A1")

        world.clock.advance(by: .seconds(60))
        try cancel(world, "c1.csv", order: "A1", quantity: 2)
        let second = try world.cycle()
        #expect(second.failures.isEmpty)
        let document = try #require(second.documentsWritten.first)
        #expect(second.documentsWritten.count == 1)
        #expect(document.kind.rawValue == "fulfilment_cancellation")
        #expect(document.number.hasPrefix("FC-DC-1-"))
        #expect((document.path as NSString).lastPathComponent.hasPrefix("cancel-FO-DC-1-"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: document.path)))
                as? [String: Any])
        #expect(json["type"] as? String == "fulfilment_cancellation")
        let lines = try #require(json["lines"] as? [[String: Any]])
        #expect(
            lines.map { [$0["order"] as? String, $0["qty"] as? String, $0["reason"] as? String] } == [
                ["A1", "2", "customer changed mind"]
            ])

        world.clock.advance(by: .seconds(60))
        #expect(
            try world.cycle().documentsWritten.isEmpty,
            "the cancellation is sent once, and no unit is handed over again")
        let store = try world.store()
        #expect(try store.stock.reserved(sku: "TSHIRT-WHT-M") == ["DC-1": 1])
        let order = try #require(try store.orders.list(limit: 10).first)
        #expect(
            try store.outbox.documents(orderID: order.id).map(\.kind.rawValue) == [
                "fulfilment_order", "fulfilment_cancellation",
            ])
    }

    @Test("cancelling units reserved but not yet handed over sends no cancellation; the rest are handed over")
    func cancellationBeforeHandover() throws {
        let world = try world()
        let withFormats = try withoutFormats(world)
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1", quantity: "3", price: "59.97")))
        #expect(try world.cycle().reservations.map(\.quantity) == [3])
        world.clock.advance(by: .seconds(60))
        try cancel(world, "c1.csv", order: "A1", quantity: 1)
        #expect(try world.cycle().documentsWritten.isEmpty)

        try withFormats.write(to: world.configFile, atomically: true, encoding: .utf8)
        world.clock.advance(by: .seconds(60))
        let report = try world.cycle()
        #expect(report.documentsWritten.map(\.kind.rawValue) == ["fulfilment_order"])
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: try #require(report.documentsWritten.first).path)))
            as? [String: Any]
        #expect((json?["lines"] as? [[String: Any]])?.map { $0["qty"] as? String } == ["2"])
    }

    /// Five orders of two units each, imported and sourced at DC-1 while the nodes had no formats;
    /// the formats are back in the configuration on return, so the next emit hands the units over.
    func fiveOrdersSourced() throws -> (TestWorld, CycleReport) {
        let world = try world()
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,20\n")
        let rows = (1...5).map { AmazonReport.row(order: "A\($0)", item: "\($0)", quantity: "2", price: "39.98") }
        try world.drop("orders.tsv", AmazonReport.file(rows[0], rows[1], rows[2], rows[3], rows[4]))
        let withFormats = try withoutFormats(world)
        let sourced = try world.cycle()
        try withFormats.write(to: world.configFile, atomically: true, encoding: .utf8)
        return (world, sourced)
    }

    @Test("a large wave reaches the node in parts of at most so many orders, each order whole, each unit once")
    func waveInParts() throws {
        // Import and source with no formats, then emit with parts of two orders.
        let (world, sourced) = try fiveOrdersSourced()
        #expect(sourced.reservations.count == 5, "\(sourced.outcomes) \(sourced.failures)")
        let emitter = OutboxEmitter(
            configuration: try world.configuration(), store: try world.store(), logger: .init(label: "t"), partSize: 2)
        let outcome = try emitter.emit(at: world.clock.now())
        #expect(outcome.failures.isEmpty, "\(outcome.failures.map(\.message))")
        let parts = outcome.written.filter { $0.kind.rawValue == "fulfilment_order" }
        #expect(parts.map { String($0.number.suffix(2)) } == ["-1", "-2", "-3"])
        let files = try outbox(world, "DC-1")
        #expect(files.map { String($0.lastPathComponent.suffix(7)) } == ["-1.json", "-2.json", "-3.json"])
        let orders = try files.map { file in
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
            return (json?["lines"] as? [[String: Any]] ?? []).map { "\($0["order"] ?? "")x\($0["qty"] ?? "")" }
        }
        #expect(orders == [["A1x2", "A2x2"], ["A3x2", "A4x2"], ["A5x2"]])
        #expect(try emitter.emit(at: world.clock.now()).written.isEmpty, "every unit is handed over once")
    }

    @Test("a stop requested once a node has its first part leaves the rest of the wave to the next run, each unit once")
    func stopBetweenParts() throws {
        let (world, sourced) = try fiveOrdersSourced()
        #expect(sourced.reservations.count == 5)
        // The stop comes as soon as the DC has its first file; the next parts are read ahead by then.
        let folder = world.root.appendingPathComponent("outbox/DC-1").path
        let stopping = OutboxEmitter(
            configuration: try world.configuration(), store: try world.store(), logger: .init(label: "t"), partSize: 2,
            stopRequested: { !((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).isEmpty })
        let stopped = try stopping.emit(at: world.clock.now())
        #expect(stopped.failures.isEmpty, "\(stopped.failures.map(\.message))")
        #expect(stopped.written.filter { $0.kind.rawValue == "fulfilment_order" }.count == 1)
        let emitter = OutboxEmitter(
            configuration: try world.configuration(), store: try world.store(), logger: .init(label: "t"), partSize: 2)
        let rest = try emitter.emit(at: world.clock.now())
        #expect(rest.written.filter { $0.kind.rawValue == "fulfilment_order" }.count == 2)
        let orders = try outbox(world, "DC-1").flatMap { file in
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
            return (json?["lines"] as? [[String: Any]] ?? []).map { "\($0["order"] ?? "")x\($0["qty"] ?? "")" }
        }
        #expect(orders.sorted() == (1...5).map { "A\($0)x2" }, "every order handed over once")
        #expect(try emitter.emit(at: world.clock.now()).written.isEmpty)
    }

    @Test("a wave larger than a planning window is planned window by window, its parts numbered on")
    func waveInWindows() throws {
        let world = try world()
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,100\n")
        let rows = (1...25).map { AmazonReport.row(order: "A\($0)", item: "\($0)") }
        try world.drop(
            "orders.tsv", ([AmazonReport.columns.joined(separator: "\t")] + rows).joined(separator: "\n") + "\n")
        let withFormats = try withoutFormats(world)
        #expect(try world.cycle().reservations.count == 25)
        try withFormats.write(to: world.configFile, atomically: true, encoding: .utf8)
        // Parts of one order, so windows of twenty: the 25 orders take two windows.
        let emitter = OutboxEmitter(
            configuration: try world.configuration(), store: try world.store(), logger: .init(label: "t"), partSize: 1)
        let outcome = try emitter.emit(at: world.clock.now())
        #expect(outcome.failures.isEmpty, "\(outcome.failures.map(\.message))")
        let parts = outcome.written.filter { $0.kind.rawValue == "fulfilment_order" }.map(\.number)
        #expect(parts.map { $0.split(separator: "-").last.map(String.init) } == (1...25).map { "\($0)" })
        let orders = try outbox(world, "DC-1").flatMap { file in
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
            return (json?["lines"] as? [[String: Any]] ?? []).map { "\($0["order"] ?? "")" }
        }
        #expect(orders.sorted() == (1...25).map { "A\($0)" }.sorted(), "every order handed over once")
        #expect(try emitter.emit(at: world.clock.now()).written.isEmpty)
    }
}
