import Foundation
import FoundationXML
import OmnihubCore
import Testing

@Suite("Output formats render a fulfilment order as the destination's file")
struct OutputFormatTests {
    let order = FulfilmentOrder(
        number: "FO-DC-1-20261126080000", node: "DC-1", wave: Timestamp(millisecondsSince1970: 1_795_680_000_000),
        lines: [
            FulfilmentOrder.Line(
                channel: "webshop", orderNumber: "#1043", lineID: "1", sku: "MUG-<BLUE>", title: "Tasse \"Öko\" & Co",
                quantity: 2, delivery: "ship", pickupNode: nil,
                shipTo: Address(
                    name: "Jürgen Groß", line1: "Hauptstr. 5", postalCode: "80331", city: "München", country: "DE")),
            FulfilmentOrder.Line(
                channel: "webshop", orderNumber: "#1044", lineID: "2", sku: "JACKET-NVY-L", title: nil, quantity: 1,
                delivery: "collect", pickupNode: "STORE-1", shipTo: nil),
        ])

    /// A fulfilment order of `count` lines, line `n` for order `#n` with the given SKU, title and
    /// quantity: long enough to be made in chunks.
    func longOrder(
        _ count: Int, sku: (Int) -> String = { "SKU-\($0)" }, title: (Int) -> String? = { _ in nil },
        quantity: (Int) -> Int = { _ in 1 }
    ) -> FulfilmentOrder {
        FulfilmentOrder(
            number: "FO-DC-1-LONG", node: "DC-1", wave: order.wave,
            lines: (1...count).map { index in
                FulfilmentOrder.Line(
                    channel: "webshop", orderNumber: "#\(index)", lineID: "1", sku: sku(index), title: title(index),
                    quantity: quantity(index), delivery: "ship", pickupNode: nil, shipTo: nil)
            })
    }

    /// An attribute's value, looked up in the element's attribute list (swift-corelibs-foundation's
    /// `attribute(forName:)` does not find attributes of an element in a default namespace).
    func attribute(_ name: String, of element: XMLElement) -> String? {
        element.attributes?.first { $0.localName == name || $0.name == name }?.stringValue
    }

    @Test("XML: namespace, attributes, a lines wrapper, escaped text, empty values left out, ISO-8859-1 bytes")
    func xml() throws {
        let format = OutputFormat(
            name: "po", type: .xml, encoding: .iso8859Latin1, fileName: "PO-{node}.xml",
            header: [.init(name: "@number", field: "number"), .init(name: "Supplier", field: "node")],
            columns: [
                .init(name: "@pos", field: "position"), .init(name: "SKU", field: "sku"),
                .init(name: "Title", field: "title"), .init(name: "Qty", field: "quantity"),
                .init(name: "City", field: "ship_to.city"), .init(name: "Source", field: "", constant: "omnihub"),
            ],
            xml: .init(root: "Order", namespace: "urn:example:po", lines: "Lines", line: "Line"))
        let bytes = try format.render(order)
        #expect(bytes.contains(0xFC), "ü is one ISO-8859-1 byte")
        let document = try XMLDocument(data: Data(bytes))
        let root = try #require(document.rootElement())
        #expect(root.name == "Order")
        #expect(root.uri == "urn:example:po")
        #expect(attribute("number", of: root) == "FO-DC-1-20261126080000")
        #expect(root.elements(forName: "Supplier").first?.stringValue == "DC-1")
        let lines = try #require(root.elements(forName: "Lines").first).elements(forName: "Line")
        #expect(lines.map { attribute("pos", of: $0) } == ["1", "2"])
        #expect(lines[0].elements(forName: "SKU").first?.stringValue == "MUG-<BLUE>")
        #expect(lines[0].elements(forName: "Title").first?.stringValue == "Tasse \"Öko\" & Co")
        #expect(lines[0].elements(forName: "City").first?.stringValue == "München")
        #expect(lines[1].elements(forName: "Title").isEmpty, "an empty value writes no element")
        #expect(lines[1].elements(forName: "Source").first?.stringValue == "omnihub")
        #expect(format.fileName(for: order) == "PO-DC-1.xml")
    }

    @Test("XML: a long document's lines, written on every core in chunks, come in line order")
    func xmlLongDocument() throws {
        let count = OutputFormat.xmlLinesPerChunk * 4 + 5
        let long = longOrder(count, sku: { $0 == 7 ? "A&B" : "SKU-\($0)" })
        let format = OutputFormat(
            name: "po", type: .xml, fileName: "PO-{node}.xml", header: [.init(name: "@number", field: "number")],
            columns: [.init(name: "@pos", field: "position"), .init(name: "SKU", field: "sku")],
            xml: .init(root: "Order", lines: "Lines", line: "Line"))
        let bytes = try format.render(long)
        let root = try #require(try XMLDocument(data: Data(bytes)).rootElement())
        let lines = try #require(root.elements(forName: "Lines").first).elements(forName: "Line")
        #expect(lines.map { attribute("pos", of: $0) } == (1...count).map { String($0) })
        #expect(lines[6].elements(forName: "SKU").first?.stringValue == "A&B")
        #expect(lines[count - 1].elements(forName: "SKU").first?.stringValue == "SKU-\(count)")

        var looked = OutputFormat.Column(name: "SKU", field: "sku")
        looked.lookup = (1...count).reduce(into: [:]) { table, index in
            if index != 100 && index != 250 { table["SKU-\(index)"] = "ok" }
        }
        looked.lookup?["A&B"] = "ok"
        var failing = format
        failing.columns = [looked]
        let failure = #expect(throws: ConversionFailure.self) { try failing.render(long) }
        #expect(failure?.message.contains("SKU-100") == true, "the first line that fails, in line order")
    }

    @Test("CSV: header row, delimiter, quoting of delimiter and quotes, CRLF")
    func csv() throws {
        let format = OutputFormat(
            name: "pick", type: .csv, delimiter: ";", fileName: "x.csv",
            columns: [
                .init(name: "Pos", field: "position"), .init(name: "Titel", field: "title"),
                .init(name: "Abholung", field: "pickup_node"),
            ])
        let text = String(decoding: try format.render(order), as: UTF8.self)
        #expect(text == "Pos;Titel;Abholung\r\n1;\"Tasse \"\"Öko\"\" & Co\";\r\n2;;STORE-1\r\n")
    }

    @Test("CSV: a long document's rows, made on every core in chunks, come in line order, as one by one")
    func csvLongDocument() throws {
        let count = OutputFormat.csvRowsPerChunk * 5 + 3
        let long = longOrder(
            count, title: { $0 % 2 == 0 ? "Tasse; \($0)" : nil }, quantity: { $0 % 7 + 1 })
        var fixed = OutputFormat.Column(name: "Art", field: "", constant: "Ware")
        fixed.quoted = true
        let format = OutputFormat(
            name: "pick", type: .csv, delimiter: ";", fileName: "x.csv",
            columns: [
                .init(name: "Pos", field: "position"), .init(name: "Auftrag", field: "order"),
                .init(name: "Titel", field: "title"), .init(name: "Menge", field: "quantity"), fixed,
            ])
        let text = String(decoding: try format.render(long), as: UTF8.self)
        let expected = (1...count).map { index in
            "\(index);#\(index);\(index % 2 == 0 ? "\"Tasse; \(index)\"" : "");\(index % 7 + 1);\"Ware\""
        }
        #expect(text == (["Pos;Auftrag;Titel;Menge;Art"] + expected).joined(separator: "\r\n") + "\r\n")
    }

    @Test("CSV: of a long document's lines that cannot be written, the first in line order is the one reported")
    func csvLongDocumentFirstFailure() throws {
        let count = OutputFormat.csvRowsPerChunk * 4
        // Lines 200 and 400 have SKUs the lookup does not know; 200 comes first whichever chunk is
        // made first.
        let long = longOrder(count, sku: { $0 == 200 || $0 == 400 ? "UNKNOWN-\($0)" : "KNOWN" })
        var looked = OutputFormat.Column(name: "Artikel", field: "sku")
        looked.lookup = ["KNOWN": "4711"]
        let format = OutputFormat(name: "pick", type: .csv, delimiter: ";", fileName: "x.csv", columns: [looked])
        let failure = #expect(throws: ConversionFailure.self) { try format.render(long) }
        #expect(failure?.message.contains("UNKNOWN-200") == true)
    }

    @Test("CSV: a fixed value is in every row, quoted, looked up and made inert as a field's value would be")
    func csvConstants() throws {
        var quoted = OutputFormat.Column(name: "Art", field: "", constant: "Ware; lose")
        quoted.quoted = true
        var looked = OutputFormat.Column(name: "Konto", field: "", constant: "19")
        looked.lookup = ["19": "8400"]
        let format = OutputFormat(
            name: "pick", type: .csv, delimiter: ";", fileName: "x.csv",
            columns: [
                .init(name: "Pos", field: "position"), quoted, .init(name: "Formel", field: "", constant: "=1+1"),
                looked, .init(name: "Knoten", field: "", constant: "DC;1"),
            ])
        let text = String(decoding: try format.render(order), as: UTF8.self)
        #expect(
            text
                == "Pos;Art;Formel;Konto;Knoten\r\n"
                + "1;\"Ware; lose\";\"'=1+1\";8400;\"DC;1\"\r\n"
                + "2;\"Ware; lose\";\"'=1+1\";8400;\"DC;1\"\r\n")
    }

    @Test("Windows-1252 and ISO-8859-1: umlauts one byte each; the euro sign and typographic quotes in Windows-1252")
    func singleByteEncodings() throws {
        var other = order
        other.lines[0].title = "Grüße „Öko“ 5 €"
        let columns: [OutputFormat.Column] = [.init(name: "Titel", field: "title")]
        var format = OutputFormat(
            name: "pick", type: .csv, encoding: .windows1252, fileName: "x.csv", columns: columns)
        format.headerRow = false
        #expect(
            try format.render(other)
                == Array("Gr".utf8) + [0xFC, 0xDF, 0x65, 0x20, 0x84, 0xD6] + Array("ko".utf8) + [0x93]
                + Array(" 5 ".utf8) + [0x80, 0x0D, 0x0A] + Array("\r\n".utf8))
        other.lines[0].title = "Grüße"
        format.encoding = .iso8859Latin1
        #expect(try format.render(other) == Array("Gr".utf8) + [0xFC, 0xDF, 0x65, 0x0D, 0x0A, 0x0D, 0x0A])
        other.lines[0].title = "5 €"
        #expect(throws: ConversionFailure.self, "ISO-8859-1 has no euro sign") { try format.render(other) }
    }

    @Test("every character of Windows-1252 and ISO-8859-1 is written as the byte Foundation writes for it")
    func singleByteTables() throws {
        for encoding in [TextEncoding.windows1252, .iso8859Latin1] {
            let foundation: String.Encoding = encoding == .windows1252 ? .windowsCP1252 : .isoLatin1
            for byte in UInt8.min...UInt8.max {
                let text = [byte].withUnsafeBufferPointer { bytes in try? encoding.decode(bytes) }
                guard let text, let written = encoding.singleByteEncoded(text) else { continue }
                #expect(written == [byte], "\(encoding) byte \(byte)")
                #expect(text.data(using: foundation).map(Array.init) == written, "\(encoding) byte \(byte)")
            }
        }
        #expect(TextEncoding.windows1252.singleByteEncoded("5 €")?.count == 3)
        #expect(TextEncoding.iso8859Latin1.singleByteEncoded("5 €") == nil)
        #expect(TextEncoding.windows1252.singleByteEncoded("Becher 🍵") == nil)
    }

    @Test("a value the encoding cannot hold fails the render with the reason")
    func unencodable() throws {
        var other = order
        other.lines[0].title = "Becher 🍵"
        let format = OutputFormat(
            name: "pick", type: .csv, encoding: .windows1252, fileName: "x.csv",
            columns: [.init(name: "Titel", field: "title")])
        #expect(throws: ConversionFailure.self) { try format.render(other) }
    }
}
