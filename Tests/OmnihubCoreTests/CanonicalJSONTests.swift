import Foundation
import OmnihubCore
import Testing

@Suite("Canonical JSON: the fast writer agrees with JSONEncoder")
struct CanonicalJSONTests {
    static func order(tricky: Bool) -> Order {
        var order = OrderValidationTests.validOrder()
        order.source = SourceLocation(file: "amazon-de/a.tsv", record: 3, line: 4)
        if tricky {
            order.customer = Customer(name: "Zoë \"Q\" O'Brien\\", email: nil, phone: "+49\t30\n")
            order.billTo = Address(name: "Ünïcødé 😀", company: "/slash/", country: "DE")
            order.payment = Payment(method: "card", reference: "\u{01}ctl", amount: Amount(parsing: "39.92"))
            order.discounts = [Discount(code: nil, amount: Amount(parsing: "5.00")!)]
            order.delivery = Delivery(method: .collect, service: "pickup", pickupNode: "store-1")
        }
        return order
    }

    @Test("byte for byte what JSONEncoder writes with sorted keys", arguments: [false, true])
    func sameAsEncoder(tricky: Bool) throws {
        let order = Self.order(tricky: tricky)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(
            String(decoding: order.canonicalJSON(), as: UTF8.self)
                == String(decoding: try encoder.encode(order), as: UTF8.self))
    }

    @Test("the compact stored form leaves out nulls and decodes back to the same order", arguments: [false, true])
    func compactRoundTrip(tricky: Bool) throws {
        let order = Self.order(tricky: tricky)
        let compact = order.canonicalJSON(includingSource: false, compact: true)
        #expect(!String(decoding: compact, as: UTF8.self).contains("null"))
        var decoded = try JSONDecoder().decode(Order.self, from: Data(compact))
        decoded.source = order.source
        #expect(decoded == order)
    }

    /// What the fast reader makes of `bytes`, or `nil`.
    static func read(_ bytes: [UInt8]) -> Order? {
        bytes.withUnsafeBytes { Order(canonicalJSON: $0) }
    }

    @Test("the fast reader reads every form the writer makes as JSONDecoder does", arguments: [false, true])
    func fastReader(tricky: Bool) throws {
        var order = Self.order(tricky: tricky)
        if tricky {
            order.prices = .net
            order.shipping = ShippingCharge(amount: Amount(parsing: "4.95")!, discount: Amount(parsing: "1.00"))
            order.lines[0].discounts = [Discount(code: "X", amount: Amount(parsing: "0.50")!)]
            order.delivery.promisedBy = Timestamp(millisecondsSince1970: 1_764_000_000_000)
        }
        for (source, compact) in [(true, false), (false, true), (false, false), (true, true)] {
            let bytes = order.canonicalJSON(includingSource: source, compact: compact)
            let expected = try JSONDecoder().decode(Order.self, from: Data(bytes))
            #expect(Self.read(bytes) == expected, "source \(source), compact \(compact)")
        }
        // Pretty-printed the way JSONEncoder writes it: still read.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let pretty = Array(try encoder.encode(order))
        #expect(Self.read(pretty) == (try JSONDecoder().decode(Order.self, from: Data(pretty))))
    }

    /// Orders with every optional part present or absent, picked by a fixed generator so a
    /// failure names the same order on every run.
    static func variedOrders(count: Int) -> [Order] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func coin() -> Bool {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 63 == 1
        }
        func text(_ plain: String) -> String? {
            guard coin() else { return nil }
            return coin() ? plain : plain + " \"ü\"\\/\t😀"
        }
        func amount(_ text: String) -> Amount? { coin() ? Amount(parsing: text) : nil }
        return (0..<count).map { number in
            var order = Self.order(tricky: false)
            order.externalID = "303-\(number)"
            order.placedAt = Timestamp(millisecondsSince1970: 1_764_000_000_000 + Int64(number) * (coin() ? 1 : 1000))
            order.customer = Customer(
                name: text("Erika"), email: text("e@x.de"), phone: text("+49"), language: text("de"))
            order.shipTo =
                coin()
                ? nil
                : Address(
                    name: text("Erika"), company: text("ACME"), line1: text("Hauptstr. 5"), line2: text("Hof"),
                    postalCode: text("10115"), city: text("Berlin"), region: text("BE"), country: text("DE"))
            order.billTo = coin() ? nil : Address(name: text("Max"), country: "AT")
            order.delivery = Delivery(
                method: coin() ? .ship : .collect, service: text("express"), pickupNode: text("store-1"),
                promisedBy: coin() ? Timestamp(millisecondsSince1970: 1_764_100_000_000) : nil)
            order.lines = (0..<(coin() ? 1 : 3)).map { position in
                OrderLine(
                    lineID: "\(position + 1)", sku: "SKU-\(position)", gtin: text("4006381333931"),
                    title: text("T-Shirt"), quantity: position + 1, unitPrice: Amount(parsing: "19.99")!,
                    taxRate: amount("19"),
                    discounts: coin() ? [] : [Discount(code: text("LINE"), amount: Amount(parsing: "1.50")!)])
            }
            order.shipping =
                coin()
                ? nil
                : ShippingCharge(amount: Amount(parsing: "4.95")!, taxRate: amount("19"), discount: amount("0.95"))
            order.discounts = coin() ? [] : [Discount(code: text("ORDER"), amount: Amount(parsing: "2.00")!)]
            order.payment =
                coin() ? nil : Payment(method: text("card"), reference: text("ref"), amount: amount("39.92"))
            order.source =
                coin() ? nil : SourceLocation(file: "amazon-de/a.tsv", record: number, line: coin() ? nil : 7)
            order.prices = coin() ? .gross : .net
            return order
        }
    }

    @Test("the fast reader and JSONDecoder read 200 varied orders alike, in every form the writer makes")
    func fastReaderOnVariedOrders() throws {
        for order in Self.variedOrders(count: 200) {
            for (source, compact) in [(true, false), (false, true), (false, false), (true, true)] {
                let bytes = order.canonicalJSON(includingSource: source, compact: compact)
                let expected = try JSONDecoder().decode(Order.self, from: Data(bytes))
                let fast = try #require(Self.read(bytes), "order \(order.externalID) not read")
                #expect(fast == expected, "order \(order.externalID), source \(source), compact \(compact)")
            }
        }
    }

    @Test(
        "the fast reader gives up on anything not in the canonical shape, and JSONDecoder decides",
        arguments: [
            #"{"channel":"a"}"#,
            #"{"channel":"a","unknown":1}"#,
            #"{"channel":1}"#,
            #"{"channel":"a""#,
            #"[1,2]"#,
            #"{"channel":"a"} x"#,
            #"{"channel":"a",}"#,
            #"{"channel":"a","customer":{"name":1}}"#,
            #"{"channel":"a","customer":{"name":"x","extra":{"deep":[1]}}}"#,
            #"{"channel":null}"#,
            #"{"lines":[{"line_id":"1",}]}"#,
            #"{"lines":[{"line_id":"1"},]}"#,
            #"{"lines":{"line_id":"1"}}"#,
            #"{"source":{"file":"a","record":1,"line":"2"}}"#,
            #"{"placed_at":"2026-11-20T09:15:00"}"#,
            #"{"lines":[{"quantity":1.5}]}"#,
            #"{"channel":"\ud800"}"#,
            "{\"channel\":\"a\u{01}\"}",
            "",
        ])
    func fastReaderRefuses(text: String) {
        #expect(Self.read(Array(text.utf8)) == nil)
    }

    @Test(
        "a string that is not UTF-8 is refused, in plain text and beside an escape, in the order and in a line",
        arguments: [[0xFF], [0xC3]])
    func invalidUTF8(bytes invalid: [UInt8]) throws {
        for (name, inLine) in [("A~B", false), ("A\\n~B", false), ("A~B", true), ("A\\n~B", true)] {
            var order = Self.order(tricky: false)
            if inLine { order.lines[0].title = name } else { order.customer.name = name }
            var bytes = order.canonicalJSON()
            let at = try #require(bytes.firstIndex(of: UInt8(ascii: "~")))
            bytes.replaceSubrange(at...at, with: invalid)
            #expect(Self.read(bytes) == nil, "\(name)")
        }
    }

    @Test("a string with every escape reads as JSONDecoder reads it")
    func escapes() throws {
        var order = Self.order(tricky: false)
        order.customer.name = "\"\\/\u{08}\u{0C}\n\r\t\u{1F}é😀"
        let text = String(decoding: order.canonicalJSON(), as: UTF8.self)
            .replacingOccurrences(of: "é", with: #"\u00e9"#)
            .replacingOccurrences(of: "😀", with: #"\ud83d\ude00"#)
        let bytes = Array(text.utf8)
        #expect(Self.read(bytes)?.customer.name == order.customer.name)
        #expect(Self.read(bytes) == (try JSONDecoder().decode(Order.self, from: Data(bytes))))
    }

    /// Notices as bare as a stock line and as full as a return with every field, hostile text included.
    static let notices: [InboundNotice] = [
        InboundNotice(kind: .stockDelta, node: "DC-CENTRAL", lines: [DocumentLine(sku: "A-1", quantity: -3)]),
        InboundNotice(
            kind: .returnNotice, channel: "amazon-de", externalID: "303-1", reference: "RET/7 \"x\"",
            node: "store-1", occurredAt: Timestamp(millisecondsSince1970: 1_764_000_000_123), carrier: "DHL",
            service: "Paket\tExpress", trackingNumber: "0034\u{01}", trackingURL: "https://t.example/a?b=c&d=/e",
            reason: "Zoë 😀\n",
            lines: [
                DocumentLine(
                    lineID: "1", sku: "A-1", gtin: "4006381333931", quantity: 2, reason: "zu groß",
                    condition: "resellable"),
                DocumentLine(sku: "B\\2"),
            ],
            source: SourceLocation(file: "wms/r.csv", record: 4, line: nil)),
        InboundNotice(
            kind: .shipmentConfirmation, externalID: "", source: SourceLocation(file: "x", record: 1, line: 9)),
    ]

    @Test("a notice's JSON is byte for byte what JSONEncoder writes with sorted keys")
    func noticeSameAsEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for notice in Self.notices {
            #expect(
                String(decoding: notice.canonicalJSON(), as: UTF8.self)
                    == String(decoding: try encoder.encode(notice), as: UTF8.self))
            #expect(try JSONDecoder().decode(InboundNotice.self, from: Data(notice.canonicalJSON())) == notice)
        }
    }
}
