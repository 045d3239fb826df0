import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Sourcing stored orders reserves stock, never more than is available")
struct OrderSourcingTests {
    /// The Amazon feed, a stock snapshot feed, one DC and one store, and a sourcing section.
    func world() throws -> TestWorld {
        let world = try TestWorld(stableAfterSeconds: 0)
        try """
        mapping: snapshot
        document: stock_snapshot
        format: {type: csv}
        group_by: node
        fields: {node: node, as_of: as_of}
        lines: {sku: sku, quantity: qty}
        """.write(
            to: world.root.appendingPathComponent("mappings/snapshot.yaml"), atomically: true, encoding: .utf8)
        try "country,prefix,lat,lon\nDE,10,52.52,13.40\n".write(
            to: world.root.appendingPathComponent("areas.csv"), atomically: true, encoding: .utf8)
        try """
        store: {path: var/omnihub.sqlite}
        inbox: {stable_after_seconds: 0}
        network:
          safety_stock: {store: 1}
          nodes:
            - {id: DC-1, type: dc, location: {lat: 51.31, lon: 9.48}, unit_cost: 0.8, parcel_cost: 1.0}
            - {id: STORE-1, type: store, location: {lat: 52.52, lon: 13.41}, unit_cost: 2.5, parcel_cost: 3.0,
               capacity_parcels: 5}
        sourcing:
          rate_card: [{max_km: 100, cost: 4.5}, {max_km: null, cost: 9.0}]
          split_penalty: 2.0
          unfilled_penalty: 60.0
          postal_areas: areas.csv
        partners:
          - id: amazon-de
            feeds: [{name: orders, folder: inbox/amazon-de, pattern: "*.tsv", mapping: mappings/amazon-de-orders.yaml}]
          - id: wms
            feeds: [{name: stock, folder: inbox/wms, pattern: "*.csv", mapping: mappings/snapshot.yaml}]
          - id: store-app
            feeds: [{name: rejections, folder: inbox/store-app, pattern: "*.csv", mapping: mappings/rejections.yaml}]
          - id: amazon-cancellations
            feeds: [{name: cancellations, folder: inbox/cancel, pattern: "*.csv", mapping: mappings/cancellations.yaml}]
        """.write(to: world.configFile, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: world.root.appendingPathComponent("inbox/wms"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: world.root.appendingPathComponent("inbox/store-app"), withIntermediateDirectories: true)
        try """
        mapping: rejections
        document: fulfilment_rejection
        format: {type: csv}
        fields: {channel: {const: amazon-de}, external_id: order, node: node, rejected_at: at, reason: reason}
        lines: {sku: sku, quantity: qty}
        """.write(
            to: world.root.appendingPathComponent("mappings/rejections.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: world.root.appendingPathComponent("inbox/cancel"), withIntermediateDirectories: true)
        try """
        mapping: cancellations
        document: cancellation_request
        format: {type: csv}
        fields: {channel: {const: amazon-de}, external_id: order, requested_at: at, reason: reason}
        lines: {sku: sku, quantity: qty}
        """.write(
            to: world.root.appendingPathComponent("mappings/cancellations.yaml"), atomically: true, encoding: .utf8)
        return world
    }

    func stock(_ world: TestWorld, _ name: String, _ rows: String) throws {
        let url = world.root.appendingPathComponent("inbox/wms/\(name)")
        try ("node,as_of,sku,qty\n" + rows).write(to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
    }

    @Test("scarce stock goes to one order, the other waits as a backorder and is sourced when stock arrives")
    func backorder() throws {
        let world = try world()
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,1\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(AmazonReport.row(order: "A1", item: "1"), AmazonReport.row(order: "A2", item: "2")))
        let first = try world.cycle()
        #expect(first.reservations.map(\.quantity) == [1])
        let store = try world.store()
        #expect(try store.stock.reserved(sku: "TSHIRT-WHT-M") == ["DC-1": 1])
        #expect(try store.orders.list(limit: 10).map(\.status.rawValue).sorted() == ["open", "sourced"])
        #expect(try world.cycle().reservations.isEmpty, "no stock arrived: the backorder waits")

        try stock(world, "s3.csv", "DC-1,2026-11-26T07:00:00Z,TSHIRT-WHT-M,5\n")
        let third = try world.cycle()
        #expect(third.reservations.map(\.quantity) == [1], "only the backorder is sourced, nothing twice")
        #expect(try store.stock.reserved(sku: "TSHIRT-WHT-M") == ["DC-1": 2])
        #expect(try store.orders.list(limit: 10).allSatisfy { $0.status.rawValue == "sourced" })
        #expect(try world.cycle().reservations.isEmpty)
    }

    @Test("store safety stock is kept back; the DC ships what the store may not")
    func safetyStock() throws {
        let world = try world()
        try stock(
            world, "s1.csv", "STORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,1\nDC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,1\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        let report = try world.cycle()
        #expect(report.reservations.map(\.node) == ["DC-1"], "the store's only unit is its safety stock")
    }

    @Test("two processes sourcing the same store at once never reserve more than is there")
    func concurrentRuns() throws {
        let world = try world()
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,3\n")
        let rows = (1...8).map { AmazonReport.row(order: "A\($0)", item: "\($0)") }
        try world.drop(
            "orders.tsv", ([AmazonReport.columns.joined(separator: "\t")] + rows).joined(separator: "\n") + "\n")
        // Import without sourcing: a configuration without the sourcing section, same store.
        let plain = world.root.appendingPathComponent("plain.yaml")
        let text = try String(contentsOf: world.configFile, encoding: .utf8)
        let withoutSourcing =
            text.components(separatedBy: "\nsourcing:")[0] + "\npartners:"
            + text.components(separatedBy: "\npartners:")[1]
        try withoutSourcing.write(to: plain, atomically: true, encoding: .utf8)
        let imported = try OmnihubProcess.run(["run", "--once", "--config", plain.path])
        #expect(imported.status == 0, "\(imported.standardError)")

        let runs = try [0, 1].map { _ in
            let process = Process()
            process.executableURL = OmnihubProcess.executable
            process.arguments = ["source", "--config", world.configFile.path, "--json"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for run in runs { run.waitUntilExit() }
        #expect(runs.allSatisfy { $0.terminationStatus == 0 })
        let store = try world.store()
        #expect(try store.stock.reserved(sku: "TSHIRT-WHT-M") == ["DC-1": 3])
        let sourced = try store.orders.list(limit: 20).filter { $0.status.rawValue == "sourced" }
        #expect(sourced.count == 3)
    }

    @Test("explain shows the chosen parcel's cost and why each other node was not chosen")
    func explain() throws {
        let world = try world()
        try stock(
            world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,5\nSTORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,3\n")
        try world.drop(
            "orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1", quantity: "2", price: "39.98")))
        _ = try world.cycle()
        let result = try OmnihubProcess.run(["explain", "order", "A1", "--json", "--config", world.configFile.path])
        #expect(result.status == 0, "\(result.standardError)")
        let explanation = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let parcels = try #require(explanation?["parcels"] as? [[String: Any]])
        let alternatives = try #require(explanation?["alternatives"] as? [[String: Any]])
        // Berlin's store is next door: 2 × 2.50 + 3.00 handling + 4.50 shipping = 12.50; the DC in
        // Kassel ships for 2 × 0.80 + 1.00 + 9.00 (beyond 100 km) = 11.60, which is cheaper.
        #expect(parcels.map { $0["node"] as? String } == ["DC-1"])
        #expect(explanation?["total"] as? String == "11.60")
        #expect(alternatives.map { $0["node"] as? String } == ["STORE-1"])
        #expect(alternatives.first?["cost"] as? String == "12.50")
        #expect((alternatives.first?["reason"] as? String)?.contains("0.90 more") == true)
    }

    @Test("explain names the price the batch put on scarce stock, and the order that holds it")
    func explainScarcityPrices() throws {
        let world = try world()
        // The store's units are dear: both customers would rather have the DC's one shirt. Bob's
        // postal area is unknown (the farthest rate band), so the store is far dearer for him.
        let text = try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "unit_cost: 2.5, parcel_cost: 3.0", with: "unit_cost: 5.0, parcel_cost: 3.0")
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        try stock(
            world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,1\nSTORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,3\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "ALICE", item: "1"),
                AmazonReport.row(order: "BOB", item: "2", ["ship-postal-code": "99999"])))
        let reservations = try world.cycle().reservations
        #expect(reservations.map(\.node).sorted() == ["DC-1", "STORE-1"])
        let result = try OmnihubProcess.run(["explain", "order", "ALICE", "--json", "--config", world.configFile.path])
        #expect(result.status == 0, "\(result.standardError)")
        let explanation = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let parcels = try #require(explanation?["parcels"] as? [[String: Any]])
        #expect(parcels.map { $0["node"] as? String } == ["STORE-1"])
        let alternatives = try #require(explanation?["alternatives"] as? [[String: Any]])
        let dc = try #require(alternatives.first { $0["node"] as? String == "DC-1" })
        let prices = try #require(dc["batch_prices"] as? [[String: Any]])
        #expect(prices.count == 1)
        #expect(prices.first?["sku"] as? String == "TSHIRT-WHT-M")
        #expect(prices.first?["held_for"] as? [String] == ["BOB"])
        // Alice's next best costs 12.50 - 10.80 = 1.70 more, Bob's 17.00 - 10.80 = 6.20: a price
        // between them sends the shirt to Bob.
        let surcharge = try #require((prices.first?["surcharge"] as? String).flatMap { Amount(parsing: $0) })
        #expect(surcharge > Amount(parsing: "1.70")! && surcharge < Amount(parsing: "6.20")!)
        let reason = try #require(dc["reason"] as? String)
        #expect(reason.contains("TSHIRT-WHT-M at \(surcharge) a unit (reserved for BOB)"), "\(reason)")
        let plain = try OmnihubProcess.run(["explain", "order", "ALICE", "--config", world.configFile.path])
        #expect(plain.standardOutput.contains("reserved for BOB"))
    }

    @Test("a store that rejects a line gets it released, and the line is sourced again elsewhere")
    func rejection() throws {
        let world = try world()
        try stock(
            world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,5\nSTORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,3\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        // One unit to Berlin: the store next door (2.50 + 3.00 + 4.50) beats the DC (0.80 + 1.00 + 9.00).
        #expect(try world.cycle().reservations.map(\.node) == ["STORE-1"])

        let url = world.root.appendingPathComponent("inbox/store-app/rejections.csv")
        try "order,node,at,reason,sku,qty\nA1,STORE-1,2026-11-26T10:00:00Z,not found on the shelf,TSHIRT-WHT-M,1\n"
            .write(to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
        let report = try world.cycle()
        #expect(report.outcomes.map(\.file.status) == [.imported])
        #expect(report.reservations.map(\.node) == ["DC-1"], "sourced again, never at the store that rejected it")
        let store = try world.store()
        #expect(try store.stock.reserved(sku: "TSHIRT-WHT-M") == ["DC-1": 1, "STORE-1": 0])
        #expect(try store.orders.list(limit: 5).map(\.status.rawValue) == ["sourced"])

        let explained = try OmnihubProcess.run(["explain", "order", "A1", "--config", world.configFile.path])
        #expect(explained.standardOutput.contains("not allowed: it rejected this order"))
        #expect(!explained.standardOutput.contains("channel"), "one reason, not a list of possible ones")
    }

    @Test("a cancellation releases the order's reservations; a cancelled backorder is not sourced later")
    func cancellation() throws {
        let world = try world()
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,1\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(AmazonReport.row(order: "A1", item: "1"), AmazonReport.row(order: "A2", item: "2")))
        _ = try world.cycle()
        let store = try world.store()
        let sourced = try #require(try store.orders.list(limit: 5).first { $0.status.rawValue == "sourced" })
        let waiting = try #require(try store.orders.list(limit: 5).first { $0.status.rawValue == "open" })

        let url = world.root.appendingPathComponent("inbox/cancel/cancel.csv")
        try
            "order,at,reason,sku,qty\n\(sourced.externalID),2026-11-26T11:00:00Z,buyer asked,,\n\(waiting.externalID),2026-11-26T11:00:00Z,buyer asked,,\n"
            .write(to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
        _ = try world.cycle()
        #expect(try store.stock.reserved(sku: "TSHIRT-WHT-M") == ["DC-1": 0], "the sourced order's unit is free again")
        #expect(try store.orders.list(limit: 5).map(\.status.rawValue) == ["cancelled", "cancelled"])
        let refunds = try store.refunds.refunds(orderID: sourced.id)
        #expect(refunds.map(\.amount) == [Amount(parsing: "24.94")!], "19.99 and the shipping charge: nothing shipped")

        // The same order cancelled again: nothing is left, nothing more comes back.
        let again = world.root.appendingPathComponent("inbox/cancel/cancel-again.csv")
        try "order,at,reason,sku,qty\n\(sourced.externalID),2026-11-26T11:30:00Z,asked twice,,\n"
            .write(to: again, atomically: false, encoding: .utf8)
        try world.setModified(again, secondsBeforeNow: 60)
        #expect(try world.cycle().outcomes.first?.issues.isEmpty == true, "a whole order asked again: nothing open")
        #expect(try store.refunds.refunds(orderID: sourced.id).count == 1)

        // A request for units that are not open any more is reported, and changes nothing.
        let more = world.root.appendingPathComponent("inbox/cancel/cancel-more.csv")
        try "order,at,reason,sku,qty\n\(sourced.externalID),2026-11-26T11:40:00Z,asked again,TSHIRT-WHT-M,1\n"
            .write(to: more, atomically: false, encoding: .utf8)
        try world.setModified(more, secondsBeforeNow: 60)
        let reported = try #require(try world.cycle().outcomes.first)
        #expect(reported.issues.map(\.code.rawValue) == ["event_refused"])
        #expect(
            reported.issues.first?.message.contains("0 unit(s) cancelled; units asked for that had shipped") == true,
            "\(reported.issues.map(\.message))")
        #expect(try store.refunds.refunds(orderID: sourced.id).count == 1)

        try stock(world, "s2.csv", "DC-1,2026-11-26T12:00:00Z,TSHIRT-WHT-M,9\n")
        #expect(try world.cycle().reservations.isEmpty, "nothing is sourced for cancelled orders")
    }

    @Test("a node that serves only some channels never ships the others' orders")
    func channels() throws {
        let world = try world()
        let text = try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "capacity_parcels: 5}", with: "capacity_parcels: 5, channels: [webshop]}")
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        try stock(world, "s1.csv", "STORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,5\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        #expect(try world.cycle().reservations.isEmpty, "the Berlin store serves the web shop only")
        #expect(try world.store().orders.list(limit: 5).map(\.status.rawValue) == ["open"])
        let explained = try OmnihubProcess.run(["explain", "order", "A1", "--config", world.configFile.path])
        #expect(explained.standardOutput.contains("not allowed: it does not serve amazon-de (channels: webshop)"))
    }

    @Test("stock ring-fenced for one channel is never promised to another")
    func ringFences() throws {
        let world = try world()
        let text = try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "  safety_stock: {store: 1}\n",
            with:
                "  safety_stock: {store: 1}\n  ring_fences: [{channel: webshop, node: DC-1, sku: TSHIRT-WHT-M, units: 2}]\n"
        )
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        try stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,3\n")
        let rows = (1...3).map { AmazonReport.row(order: "A\($0)", item: "\($0)") }
        try world.drop(
            "orders.tsv", ([AmazonReport.columns.joined(separator: "\t")] + rows).joined(separator: "\n") + "\n")
        #expect(try world.cycle().reservations.map(\.quantity) == [1], "two of the three units are the web shop's")

        for (channel, available) in [("amazon-de", 0), ("webshop", 2)] {
            let result = try OmnihubProcess.run([
                "stock", "show", "TSHIRT-WHT-M", "--channel", channel, "--json", "--config", world.configFile.path,
            ])
            let rows = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]]
            let dc = rows?.first { $0["node"] as? String == "DC-1" }
            #expect(dc?["available"] as? Int == available, "\(channel)")
            #expect(dc?["ring_fenced"] as? Int == 2)
        }
    }

    @Test("channels are sourced together: the Amazon order takes its fenced unit, the web shop the shared one")
    func ringFencesJointly() throws {
        let world = try world()
        // A web shop feed in the Amazon report's shape.
        let amazonMapping = try String(
            contentsOf: world.root.appendingPathComponent("mappings/amazon-de-orders.yaml"), encoding: .utf8)
        try amazonMapping.replacingOccurrences(of: "channel: {const: amazon-de}", with: "channel: {const: webshop}")
            .write(
                to: world.root.appendingPathComponent("mappings/webshop-orders.yaml"), atomically: true, encoding: .utf8
            )
        let webshopInbox = world.root.appendingPathComponent("inbox/webshop")
        try FileManager.default.createDirectory(at: webshopInbox, withIntermediateDirectories: true)
        // Kassel's one shirt is fenced for Amazon; Berlin's store has one to share (and one kept
        // back as safety stock). Both customers live in Berlin, where the store is cheaper.
        let text = try String(contentsOf: world.configFile, encoding: .utf8)
            .replacingOccurrences(
                of: "  safety_stock: {store: 1}\n",
                with:
                    "  safety_stock: {store: 1}\n  ring_fences: [{channel: amazon-de, node: DC-1, sku: TSHIRT-WHT-M, units: 1}]\n"
            )
            .replacingOccurrences(
                of: "partners:\n",
                with:
                    "partners:\n  - id: webshop\n    feeds: [{name: orders, folder: inbox/webshop, pattern: \"*.tsv\", mapping: mappings/webshop-orders.yaml}]\n"
            )
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        try stock(
            world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,1\nSTORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,2\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        let web = webshopInbox.appendingPathComponent("orders.tsv")
        try AmazonReport.file(AmazonReport.row(order: "W1", item: "1")).write(
            to: web, atomically: false, encoding: .utf8)
        try world.setModified(web, secondsBeforeNow: 60)
        let reservations = try world.cycle().reservations
        let orders = try world.store().orders.list(limit: 5)
        let placed = Dictionary(
            uniqueKeysWithValues: reservations.map { reservation in
                (orders.first { $0.id == reservation.orderID }?.externalID ?? "?", reservation.node)
            })
        // In turn by name, Amazon would take the store's shirt and the web shop's customer would
        // wait: the fenced shirt is not theirs.
        #expect(placed == ["A1": "DC-1", "W1": "STORE-1"])
    }

    @Test("a node's parcel capacity counts per day across runs")
    func capacityPerDay() throws {
        let world = try world()
        let text = try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "capacity_parcels: 5}", with: "capacity_parcels: 1}")
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        try stock(
            world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,9\nSTORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,9\n")
        try world.drop("a.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        #expect(try world.cycle().reservations.map(\.node) == ["STORE-1"])
        try world.drop("b.tsv", AmazonReport.file(AmazonReport.row(order: "A2", item: "2")))
        #expect(try world.cycle().reservations.map(\.node) == ["DC-1"], "the store packed its one parcel today")
        world.clock.advance(by: .seconds(86_400))
        try world.drop("c.tsv", AmazonReport.file(AmazonReport.row(order: "A3", item: "3")))
        #expect(try world.cycle().reservations.map(\.node) == ["STORE-1"], "a new day, a new parcel")
    }

    @Test("a day larger than a batch is sourced in batches, oldest first, each on what the ones before left")
    func batches() throws {
        let world = try world()
        let text = try String(contentsOf: world.configFile, encoding: .utf8)
            .replacingOccurrences(of: "capacity_parcels: 5}", with: "capacity_parcels: 2}")
            .replacingOccurrences(of: "  split_penalty: 2.0\n", with: "  split_penalty: 2.0\n  batch_orders: 2\n")
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        // Five units in the DC and store parcels for two orders today; safety stock keeps one in the store.
        try stock(
            world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,5\nSTORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,9\n")
        let rows = (1...9).map { AmazonReport.row(order: "A\($0)", item: "\($0)") }
        try world.drop(
            "orders.tsv",
            AmazonReport.file(rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7], rows[8]))
        let report = try world.cycle()
        #expect(report.failures.isEmpty)
        let store = try world.store()
        let byOrder = Dictionary(
            try store.orders.list(limit: 20).map { ($0.externalID, $0.status.rawValue) }
        ) { first, _ in first }
        #expect((1...7).allSatisfy { byOrder["A\($0)"] == "sourced" }, "\(byOrder)")
        #expect(
            byOrder["A8"] == "open" && byOrder["A9"] == "open", "the newest wait: two store parcels and five DC units")
        #expect(Set(report.reservations.map(\.orderID)).count == 7)
        #expect(try store.stock.reserved(sku: "TSHIRT-WHT-M") == ["DC-1": 5, "STORE-1": 2])
    }

    @Test("batch_orders below 1 is refused with what to write")
    func batchOrdersRefused() throws {
        let world = try world()
        let text = try String(contentsOf: world.configFile, encoding: .utf8)
            .replacingOccurrences(of: "  split_penalty: 2.0\n", with: "  split_penalty: 2.0\n  batch_orders: 0\n")
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigurationError.self) { try world.configuration() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("batch_orders must be at least 1"))
    }

    @Test("a partner switched off switches its nodes off; back on, they promise their stock again")
    func partnerSwitchedOff() throws {
        let world = try world()
        let original = try String(contentsOf: world.configFile, encoding: .utf8)
        let run = original.replacingOccurrences(
            of: "capacity_parcels: 5}", with: "capacity_parcels: 5, partner: store-app}")
        try run.replacingOccurrences(
            of: "  - id: store-app\n", with: "  - id: store-app\n    enabled: false\n"
        ).write(to: world.configFile, atomically: true, encoding: .utf8)
        try stock(world, "s1.csv", "STORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,5\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        #expect(try world.cycle().reservations.isEmpty, "the store's partner is off: nothing is promised there")

        try run.write(to: world.configFile, atomically: true, encoding: .utf8)
        let config = ["--config", world.configFile.path]
        let disabled = try OmnihubProcess.run(["partner", "disable", "store-app"] + config)
        #expect(disabled.status == 0, "\(disabled.standardError)")
        #expect(try world.cycle().reservations.isEmpty, "disabled by command: still off")

        #expect(try OmnihubProcess.run(["partner", "enable", "store-app"] + config).status == 0)
        #expect(try world.cycle().reservations.map(\.node) == ["STORE-1"], "back on")
    }

    @Test("a node's partner must be one of the partners")
    func unknownNodePartner() throws {
        let world = try world()
        try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "capacity_parcels: 5}", with: "capacity_parcels: 5, partner: nobody}"
        ).write(to: world.configFile, atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigurationError.self) { try world.configuration() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("'nobody' is not one of the partners"))
    }

    @Test("a node whose parcels take longer than the promised delivery does not ship the order")
    func promisedDelivery() throws {
        let world = try world()
        var text = try String(contentsOf: world.configFile, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "rate_card: [{max_km: 100, cost: 4.5}, {max_km: null, cost: 9.0}]",
            with: "rate_card: [{max_km: 100, cost: 4.5, transit_days: 1}, {max_km: null, cost: 9.0, transit_days: 2}]")
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        // The channel promised delivery a day and a bit after the test clock's now (2026-11-18 07:06 UTC).
        let mapping = world.root.appendingPathComponent("mappings/amazon-de-orders.yaml")
        try (try String(contentsOf: mapping, encoding: .utf8)).replacingOccurrences(
            of: "  delivery.method: {const: ship}",
            with: "  delivery.method: {const: ship}\n  delivery.promised_by: {const: \"2026-11-19T12:00:00Z\"}"
        ).write(to: mapping, atomically: true, encoding: .utf8)
        try stock(world, "s1.csv", "DC-1,2026-11-18T05:00:00Z,TSHIRT-WHT-M,9\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        #expect(try world.cycle().reservations.isEmpty, "Kassel to Berlin takes two days; one is left")
        let stored = try #require(try world.store().orders.matching("A1").first)
        #expect(stored.order.delivery.promisedBy?.description == "2026-11-19T12:00:00Z")

        try stock(world, "s2.csv", "STORE-1,2026-11-18T06:00:00Z,TSHIRT-WHT-M,5\n")
        #expect(try world.cycle().reservations.map(\.node) == ["STORE-1"], "the Berlin store delivers in a day")
    }

    @Test("a zone rate replaces the distance bands for orders in the zone")
    func zoneRates() throws {
        let world = try world()
        let text = try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "  postal_areas: areas.csv",
            with:
                "  postal_areas: areas.csv\n  zone_rates: [{country: DE, postal_prefix: \"10\", cost: 3.0, transit_days: 1}]"
        )
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        try stock(
            world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,5\nSTORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,5\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        // Without the zone the Berlin store wins (10.00 against 10.80); at the zone's flat 3.00 the
        // DC's lower handling wins (0.80 + 1.00 + 3.00 against 2.50 + 3.00 + 3.00).
        #expect(try world.cycle().reservations.map(\.node) == ["DC-1"])
        let explained = try OmnihubProcess.run(["explain", "order", "A1", "--json", "--config", world.configFile.path])
        let explanation = try JSONSerialization.jsonObject(with: Data(explained.standardOutput.utf8)) as? [String: Any]
        #expect(explanation?["total"] as? String == "4.80")
    }

    @Test("a store that may only hand over click & collect orders does not ship parcels")
    func capabilities() throws {
        let world = try world()
        let text = try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "capacity_parcels: 5}", with: "capacity_parcels: 5, can: [collect, reserve]}")
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        try stock(world, "s1.csv", "STORE-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,5\n")
        try world.drop("orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1")))
        #expect(try world.cycle().reservations.isEmpty, "the store ships no parcels, and the DC has nothing")
        let explained = try OmnihubProcess.run(["explain", "order", "A1", "--config", world.configFile.path])
        #expect(explained.standardOutput.contains("STORE-1"))
        #expect(explained.standardOutput.contains("not allowed: it does not ship parcels"))
    }
}
