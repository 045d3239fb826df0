import Foundation
import FoundationXML
import OmnihubCore
import Testing

/// A fulfilment order carrying everything an attacker put into a feed, rendered by CSV and XML
/// formats: every file stays well-formed, inert and creatable.
@Suite("Hostile values are written inert")
struct HostileOutputTests {
    static let hostile = [
        "=CMD|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
        "\tTAB", "\rCR", "=1+1", "NUL\u{0}ESC\u{1B}VT\u{0B}SOH\u{01}", "\u{FFFE}\u{FFFF}",
    ]

    static func order(_ value: String, number: String = "FO-1") -> FulfilmentOrder {
        FulfilmentOrder(
            number: number, node: "DC-1", wave: Timestamp(millisecondsSince1970: 1_795_680_000_000),
            lines: [
                FulfilmentOrder.Line(
                    channel: "webshop", orderNumber: value, lineID: "1", sku: value, title: value, quantity: 2,
                    delivery: "ship", pickupNode: nil,
                    shipTo: Address(name: value, line1: value, postalCode: "80331", city: value, country: "DE"))
            ])
    }

    static let columns: [OutputFormat.Column] = [
        .init(name: "Order", field: "order_number"), .init(name: "SKU", field: "sku"),
        .init(name: "Title", field: "title"), .init(name: "Name", field: "ship_to.name"),
        .init(name: "Qty", field: "quantity"),
    ]

    @Test("CSV: a value a spreadsheet would run gets a quote in front and quotes around", arguments: hostile)
    func csv(value: String) throws {
        let format = OutputFormat(name: "po", type: .csv, fileName: "po.csv", columns: Self.columns)
        let text = String(decoding: try format.render(Self.order(value)), as: UTF8.self)
        let row = text.components(separatedBy: "\r\n")[1]
        let cells = row.split(separator: ",", omittingEmptySubsequences: false).dropLast().filter { !$0.isEmpty }
        #expect(cells.count == 3, "sku, title and name carry the value: \(row)")
        for cell in cells {
            #expect(!["=", "+", "-", "@", "\t", "\r"].contains(cell.first.map(String.init) ?? ""), "\(cell)")
            if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                #expect(cell.hasPrefix("\"'"), "\(cell)")
            }
        }
    }

    @Test("CSV: plain negative numbers stay numbers")
    func negativeNumbers() {
        #expect(OutputEncoding.inertCSVCell("-4.50") == "-4.50")
        #expect(OutputEncoding.inertCSVCell("-4,50", decimalSeparator: ",") == "-4,50")
        #expect(OutputEncoding.inertCSVCell("-2+3") == "'-2+3")
    }

    @Test("CSV: control characters no reader takes as text are replaced; tab and line breaks are quoted")
    func csvControlCharacters() {
        #expect(OutputEncoding.inertCSVCell("A\u{0}B\u{1B}C\u{7F}") == "A\u{FFFD}B\u{FFFD}C\u{FFFD}")
        #expect(OutputEncoding.inertCSVCell("A\u{0}B", replacement: "?") == "A?B")
        #expect(OutputEncoding.inertCSVCell("A\tB\nC") == "A\tB\nC")
    }

    @Test(
        "XML: characters XML 1.0 forbids never reach the file; it stays well-formed",
        arguments: [TextEncoding.utf8, .iso8859Latin1])
    func xml(encoding: TextEncoding) throws {
        let format = OutputFormat(
            name: "po", type: .xml, encoding: encoding, fileName: "po.xml",
            header: [.init(name: "@number", field: "number")], columns: Self.columns,
            xml: .init(root: "Order", lines: "Lines", line: "Line"))
        for value in Self.hostile {
            let bytes = try format.render(Self.order(value))
            #expect(throws: Never.self) { _ = try XMLDocument(data: Data(bytes)) }
            #expect(!bytes.contains(0), "no NUL byte in \(value.debugDescription)")
        }
    }

    @Test("file names from data are bounded, have no path separators and no leading dot")
    func fileNames() {
        let format = OutputFormat(name: "msg", type: .csv, fileName: "shipped-{number}.json", columns: Self.columns)
        let long = format.fileName(for: Self.order("x", number: String(repeating: "1Z999", count: 61)))
        #expect(long.utf8.count <= OutputEncoding.longestFileName)
        #expect(long.hasSuffix(".json"))
        let other = format.fileName(for: Self.order("x", number: String(repeating: "1Z999", count: 60) + "12345"))
        #expect(long != other, "two long names stay apart")
        let traversal = format.fileName(for: Self.order("x", number: "../../etc/x\u{0}y"))
        #expect(!traversal.contains("/"))
        #expect(!traversal.unicodeScalars.contains { $0.value < 0x20 })
        #expect(OutputEncoding.safeFileName("../x") == "_x")
        #expect(OutputEncoding.safeFileName(".hidden") == "hidden")
        for character in ["/", "\\", ":", "*", "?", "\"", "<", ">", "|", "\u{7F}", "\u{1F}", "\t"] {
            #expect(OutputEncoding.safeFileName("a\(character)b.xml") == "a_b.xml", "\(character.debugDescription)")
        }
        #expect(OutputEncoding.safeFileName("RE-000001 (Kopie).xml") == "RE-000001 (Kopie).xml")
        #expect(OutputEncoding.safeFileName("Lieferschein-Müller.csv") == "Lieferschein-Müller.csv")
        #expect(OutputEncoding.safeFileName("") == "_")
    }
}
