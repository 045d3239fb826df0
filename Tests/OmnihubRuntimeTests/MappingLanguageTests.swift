import Foundation
import OmnihubCore
import OmnihubRuntime
import Testing

@Suite("The mapping language, from YAML to canonical documents")
struct MappingLanguageTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-mapping-\(UUID().uuidString)")

    func map(_ yaml: String, _ feed: [UInt8]) throws -> (documents: [CanonicalDocument], issues: [MappingIssue]) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mapping = try MappingFile.parse(yaml, file: "test.yaml", folder: folder.path)
        var documents: [CanonicalDocument] = []
        var issues: [MappingIssue] = []
        try FeedMapper(mapping: mapping, fileName: "feed").map(InMemoryBytes(feed)) { outcome in
            switch outcome {
            case .document(let document): documents.append(document)
            case .rejected(let rejection): issues += rejection.issues
            }
        }
        return (documents, issues)
    }

    func map(_ yaml: String, _ feed: String) throws -> (documents: [CanonicalDocument], issues: [MappingIssue]) {
        try map(yaml, Array(feed.utf8))
    }

    func orders(_ documents: [CanonicalDocument]) -> [Order] {
        documents.compactMap { if case .order(let order) = $0 { order } else { nil } }
    }

    static let orderHeader = """
        mapping: t
        document: order
        format: {type: csv, delimiter: ';'}

        """

    static func orderMapping(_ extraOrder: String = "", lines: String = "", top: String = "") -> String {
        orderHeader + top + """
            order:
              channel: {const: shop}
              external_id: {path: id, required: true}
              placed_at: {path: date, zone: Europe/Berlin}
              currency: {const: EUR}
              ship_to.country: {const: DE}
            \(extraOrder)
            lines:
              sku: sku
              quantity: qty
              unit_price: {path: price, decimal_separator: ','}
            \(lines)
            """
    }

    @Test("lookups translate values: inline, named, from a CSV file, with each missing policy")
    func lookups() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "partner_sku,sku\nP-1,TSHIRT\nP-2,SOCKS\n".write(
            to: folder.appendingPathComponent("skus.csv"), atomically: true, encoding: .utf8)
        let yaml = Self.orderMapping(
            """
              delivery.method: {path: service, lookup: {Standard: ship, Abholung: collect}, missing: {value: ship}}
              delivery.service: {path: service, lookup: services}
              delivery.pickup_node: {path: store, lookup: {B1: store-berlin}, missing: pass}
            """,
            top: """
                lookups:
                  services: {values: {Standard: standard, Abholung: pickup}, missing: error}
                  skus: {file: skus.csv, key: partner_sku, value: sku, missing: pass}

                """
        ).replacingOccurrences(of: "  sku: sku", with: "  sku: {path: sku, lookup: skus}")
        let feed = """
            id;date;service;store;sku;qty;price
            1;2026-11-20T10:00:00;Abholung;B1;P-1;1;9,99
            2;2026-11-20T10:00:00;Standard;;P-9;1;9,99
            3;2026-11-20T10:00:00;Express;;P-2;1;9,99

            """
        let (documents, issues) = try map(yaml, feed)
        let mapped = orders(documents)
        #expect(mapped.map(\.delivery.method) == [.collect, .ship])
        #expect(mapped.map(\.delivery.pickupNode) == ["store-berlin", nil])
        #expect(mapped.map(\.lines[0].sku) == ["TSHIRT", "P-9"], "missing: pass keeps an unknown partner SKU")
        #expect(issues.map(\.code) == [.lookupMissing])
        #expect(issues.first?.value == "Express")
        #expect(issues.first?.field == "delivery.service")
        #expect(issues.first?.message.contains("'services'") == true)
    }

    @Test("an order's discount read from each of its rows is summed with aggregate: sum")
    func summedDiscount() throws {
        let yaml = Self.orderMapping(
            "  discounts:\n    - {code: voucher, amount: {path: off, aggregate: sum, decimal_separator: ','}}",
            top: "group_by: id\n")
        let feed = """
            id;date;sku;qty;price;voucher;off
            1;2026-11-20T10:00:00;A;1;10,00;WELCOME;1,50
            1;2026-11-20T10:00:00;B;1;20,00;WELCOME;3,00

            """
        let (documents, issues) = try map(yaml, feed)
        #expect(issues.isEmpty, "\(issues)")
        #expect(orders(documents).first?.discounts.map(\.amount) == [Amount(parsing: "4.50")!])
        #expect(orders(documents).first?.discounts.map(\.code) == ["WELCOME"])
    }

    @Test("a record with a failed lookup still has every other broken rule reported")
    func everyBrokenRule() throws {
        let yaml = Self.orderMapping(
            "  delivery.service: {path: svc, lookup: {standard: standard}, missing: error}",
            lines: "  gtin: ean")
        let feed = """
            id;date;svc;sku;qty;price;ean
            1;2026-11-20T10:00:00;teleport;A;0;-1,00;4006381333932

            """
        let (documents, issues) = try map(yaml, feed)
        #expect(documents.isEmpty)
        #expect(
            Set(issues.map(\.code)) == [.lookupMissing, .quantityBelowOne, .negativePrice, .invalidGTIN],
            "\(issues.map(\.code))")
        #expect(issues.allSatisfy { $0.record == 1 })
    }

    @Test("a records path that matches nothing in the file is reported, not taken for an empty file")
    func recordsPathMatchesNothing() throws {
        let json = """
            mapping: t
            document: order
            format: {type: json, records: data/orders}
            order: {channel: {const: shop}, external_id: id, placed_at: date, currency: {const: EUR}}
            lines: {from: items, sku: sku, quantity: qty, unit_price: price}
            """
        let wrongPath = try #require(throws: MappingIssue.self) {
            try map(json, #"{"orders": [{"id": "1"}]}"#)
        }
        #expect(wrongPath.code == .recordsNotFound)
        #expect(wrongPath.message.contains("'data/orders'"), "\(wrongPath.message)")
        #expect(try map(json, #"{"data": {"orders": []}}"#).issues.isEmpty, "an empty list is a file without orders")

        let xml = """
            mapping: t
            document: order
            format: {type: xml, records: /Orders/Order}
            order: {channel: {const: shop}, external_id: Id, placed_at: Date, currency: {const: EUR}}
            lines: {from: Line, sku: Sku, quantity: Qty, unit_price: Price}
            """
        let nothing = try #require(throws: MappingIssue.self) {
            try map(xml, "<Bestellungen><Bestellung><Id>1</Id></Bestellung></Bestellungen>")
        }
        #expect(nothing.code == .recordsNotFound)
        #expect(nothing.message.contains("'/Orders/Order'"), "\(nothing.message)")
    }

    @Test("checks: pattern, range and one_of each name the rule that failed")
    func checks() throws {
        let yaml = Self.orderMapping(
            "  ship_to.postal_code: {path: zip, pattern: '[0-9]{5}'}\n  delivery.service: {path: svc, one_of: [standard, express]}",
            lines: "  tax_rate: {path: vat, range: {min: 0, max: 25}}")
        let feed = """
            id;date;zip;svc;sku;qty;price;vat
            1;2026-11-20T10:00:00;10115;standard;A;1;1,00;19
            2;2026-11-20T10:00:00;1011;standard;A;1;1,00;19
            3;2026-11-20T10:00:00;10115;overnight;A;1;1,00;19
            4;2026-11-20T10:00:00;10115;standard;A;1;1,00;77

            """
        let (documents, issues) = try map(yaml, feed)
        #expect(documents.count == 1)
        #expect(issues.map(\.code) == [.checkFailed, .checkFailed, .checkFailed])
        #expect(issues.map(\.field) == ["ship_to.postal_code", "delivery.service", "lines[1].tax_rate"])
        #expect(issues[0].message.contains("[0-9]{5}"))
        #expect(issues[1].message.contains("'express'"))
        #expect(issues[2].message.contains("maximum 25"))
        #expect(issues.map(\.line) == [3, 4, 5])
    }

    @Test("fill-down completes continuation rows; conditions set fields when they hold")
    func fillDownAndConditions() throws {
        let yaml = Self.orderMapping(
            """
              when:
                - if: "{type} = 'C&C'"
                  set:
                    delivery.method: {const: collect}
                    delivery.pickup_node: {path: store}
            """, top: "group_by: id\nfill_down: [id, date, type, store]\n")
        let feed = """
            id;date;type;store;sku;qty;price
            1;2026-11-20T10:00:00;C&C;store-7;A;1;1,00
            ;;;;B;2;2,00
            2;2026-11-20T11:00:00;Post;;C;1;3,00
            ;;;;D;1;4,00

            """
        let (documents, issues) = try map(yaml, feed)
        #expect(issues.isEmpty)
        let mapped = orders(documents)
        #expect(mapped.map(\.externalID) == ["1", "2"])
        #expect(mapped.map { $0.lines.map(\.sku) } == [["A", "B"], ["C", "D"]])
        #expect(mapped.map(\.delivery.method) == [.collect, .ship])
        #expect(mapped[0].delivery.pickupNode == "store-7")
    }

    @Test("a new value for an enum is an error unless the mapping gives a default")
    func enumValues() throws {
        let strict = Self.orderMapping("  delivery.method: method")
        let feed = "id;date;method;sku;qty;price\n1;2026-11-20T10:00:00;drone;A;1;1,00\n"
        let (_, issues) = try map(strict, feed)
        #expect(issues.map(\.code) == [.unknownEnumValue])
        #expect(issues.first?.message.contains("ship, collect, reserve") == true)
        let lenient = Self.orderMapping(
            "  delivery.method: {path: method, lookup: {drone: ship}, missing: {value: ship}}")
        #expect(try map(lenient, feed).issues.isEmpty)
    }

    @Test("a stock snapshot in Windows-1252 with a title row, semicolons and decimal commas")
    func stockSnapshot() throws {
        let yaml = """
            mapping: wms-stock
            document: stock_snapshot
            format: {type: csv, delimiter: semicolon, skip_rows: 1}
            encoding: windows-1252
            group_by: Lager
            fields:
              node: Lager
              as_of: {path: Stand, formats: ["dd.MM.yyyy HH:mm"], zone: Europe/Berlin}
            lines:
              sku: Artikel
              quantity: {path: Bestand, decimal_separator: ','}
            """
        let feed: [UInt8] =
            Array("Bestandsliste Zentrallager\nLager;Stand;Artikel;Bezeichnung;Bestand\n".utf8)
            + Array("DC-1;26.11.2026 06:00;TSHIRT;M".utf8) + [0xFC] + Array("tze;12,0\n".utf8)
            + Array("DC-1;26.11.2026 06:00;SOCKS;Socken;0\n".utf8)
        let (documents, issues) = try map(yaml, feed)
        #expect(issues.isEmpty)
        guard case .notice(let stock) = try #require(documents.first) else { throw Failure("not a notice") }
        #expect(stock.kind == .stockSnapshot)
        #expect(stock.node == "DC-1")
        #expect(stock.occurredAt?.description == "2026-11-26T05:00:00Z")
        #expect(stock.lines.map(\.sku) == ["TSHIRT", "SOCKS"])
        #expect(stock.lines.map(\.quantity) == [12, 0])
    }

    @Test("a shipment confirmation from a WMS as XML")
    func shipmentConfirmation() throws {
        let yaml = """
            mapping: wms-shipments
            document: shipment_confirmation
            format: {type: xml, records: Shipment}
            fields:
              channel: Order/@channel
              external_id: Order
              reference: "@id"
              node: {const: DC-1}
              shipped_at: ShippedAt
              carrier: {path: Carrier, transforms: [lower]}
              tracking_number: Tracking
            lines:
              from: Package/Item
              sku: "@sku"
              quantity: "@qty"
            """
        let feed = """
            <Shipments>
              <Shipment id="SH-1"><Order channel="amazon-de">302-1</Order><ShippedAt>2026-11-26T09:00:00Z</ShippedAt>
                <Carrier>DHL</Carrier><Tracking>00340434161094000000</Tracking>
                <Package><Item sku="TSHIRT" qty="2"/></Package><Package><Item sku="SOCKS" qty="1"/></Package>
              </Shipment>
              <Shipment id="SH-2"><Order channel="amazon-de">302-2</Order><ShippedAt>2026-11-26T09:05:00Z</ShippedAt>
                <Package><Item sku="JACKET" qty="0"/></Package>
              </Shipment>
            </Shipments>
            """
        let (documents, issues) = try map(yaml, feed)
        guard case .notice(let shipment) = try #require(documents.first) else { throw Failure("not a notice") }
        #expect(documents.count == 1)
        #expect(shipment.kind == .shipmentConfirmation)
        #expect(shipment.channel == "amazon-de")
        #expect(shipment.externalID == "302-1")
        #expect(shipment.reference == "SH-1")
        #expect(shipment.carrier == "dhl")
        #expect(shipment.lines.map(\.sku) == ["TSHIRT", "SOCKS"])
        #expect(issues.map(\.code) == [.quantityBelowOne])
        #expect(issues.first?.line == 7)
    }

    @Test("returns as JSON Lines, cancellations without lines")
    func returnsAndCancellations() throws {
        let returns = """
            mapping: returns
            document: return_notice
            format: {type: json, layout: lines}
            fields:
              channel: {const: webshop}
              external_id: order
              reference: rma
              received_at: received
            lines:
              from: items
              sku: sku
              quantity: qty
              reason: reason
              condition: {path: state, lookup: {A: resellable, B: damaged}, missing: error}
            """
        let feed = """
            {"order": "#1042", "rma": "R-1", "received": "2026-11-28T10:00:00Z", "items": [{"sku": "BEANIE-GRY", "qty": 1, "reason": "too small", "state": "A"}]}
            {"order": "#1043", "rma": "R-2", "received": "2026-11-28T11:00:00Z", "items": [{"sku": "JACKET", "qty": 1, "state": "Z"}]}
            """
        let (documents, issues) = try map(returns, feed)
        #expect(documents.count == 1)
        guard case .notice(let notice) = try #require(documents.first) else { throw Failure("not a notice") }
        #expect(notice.lines.first?.condition == "resellable")
        #expect(notice.lines.first?.reason == "too small")
        #expect(issues.map(\.code) == [.lookupMissing])
        #expect(issues.first?.line == 2)

        let cancellations = """
            mapping: cancellations
            document: cancellation_request
            format: {type: csv}
            fields:
              channel: {const: amazon-de}
              external_id: order-id
              requested_at: date
              reason: reason
            """
        let (cancelled, problems) = try map(
            cancellations, "order-id,date,reason\n302-1,2026-11-26T08:00:00Z,buyer asked\n")
        #expect(problems.isEmpty)
        guard case .notice(let cancellation) = try #require(cancelled.first) else { throw Failure("not a notice") }
        #expect(cancellation.lines.isEmpty, "no lines means the whole order")
        #expect(cancellation.reason == "buyer asked")
    }

    @Test(
        "mapping mistakes in the new constructs are named before any feed is read",
        arguments: [
            ("  delivery.method: {path: m, lookup: nowhere}", "order.delivery.method.lookup"),
            ("  delivery.method: {expr: '{m} +'}", "order.delivery.method.expr"),
            ("  delivery.method: {path: m, pattern: '[a-'}", "order.delivery.method.pattern"),
            ("  delivery.method: {path: 'a[b'}", "order.delivery.method.path"),
            ("  delivery.method: {const: ship, missing: pass}", "order.delivery.method.missing"),
            ("  when:\n    - if: '{x} ='\n      set: {delivery.method: {const: collect}}", "order.when[1].if"),
        ])
    func mistakes(extra: String, key: String) throws {
        #expect {
            try MappingFile.parse(Self.orderMapping(extra), file: "test.yaml")
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
