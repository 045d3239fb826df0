import Foundation
import FoundationXML
import OmnihubCore
import OmnihubStore
import Testing

/// An Amazon order whose every text field is an attack, through the shipped sample world and
/// every shipped format that carries it: each file omnihub writes is well-formed and inert.
@Suite("A hostile order through every shipped format")
struct HostileOrderOutboxTests {
    static let attacks = [
        "=CMD|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
        "Zo\u{0}e\u{1B}[31m\u{0B}\u{01}",
    ]

    /// Cells of a delimited line; quotes around a cell are taken off.
    func cells(_ line: Substring, delimiter: Character) -> [String] {
        line.split(separator: delimiter, omittingEmptySubsequences: false).map { cell in
            var text = String(cell)
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 {
                text = String(text.dropFirst().dropLast())
            }
            return text
        }
    }

    @Test("CSV and text files hold no formula, XML files are well-formed, JSON parses, names are safe")
    func hostileOrder() throws {
        let world = try TestWorld.shippedSampleWorld()
        let header = AmazonReport.columns.joined(separator: "\t")
        let row = AmazonReport.row(
            order: "=1+1", item: "1", sku: "TSHIRT-BLK-S",
            [
                "buyer-name": Self.attacks[0], "buyer-email": "erika@example.com", "product-name": Self.attacks[3],
                "recipient-name": Self.attacks[4],
                "ship-address-1": Self.attacks[1], "ship-address-2": Self.attacks[2], "ship-city": Self.attacks[2],
            ])
        // Two more that source to the dropshippers (a CSV purchase order and an ISO-8859-1 XML one);
        // the Berlin store's pick list is the same CSV writer, and its stock is the sample world's.
        let others = [("@cmd", "MUG-ALPINE"), ("-2+3+cmd", "MUG-NORDIC")].map { number, sku in
            AmazonReport.row(
                order: number, item: "1", sku: sku,
                [
                    "buyer-name": Self.attacks[4], "buyer-email": "x@example.com", "product-name": Self.attacks[0],
                    "recipient-name": Self.attacks[1], "ship-address-1": Self.attacks[4],
                    "ship-city": Self.attacks[3],
                ])
        }
        try ([header, row] + others).joined(separator: "\n").appending("\n").write(
            to: world.root.appendingPathComponent("inbox/amazon-de/hostile.tsv"), atomically: false, encoding: .utf8)
        let first = try OmnihubProcess.run(["run", "--once", "--config", world.configFile.path])
        #expect(first.status == 0, "\(first.standardError)")
        let order = try #require(try world.store().orders.matching("=1+1").first)
        #expect(order.order.customer.name == Self.attacks[0], "the value is stored as the partner sent it")
        // The warehouse ships it, with a tracking number of 304 characters: the shipping
        // confirmation, the invoice, the bookings and the shipped message follow.
        try world.dropLaterFiles()
        let tracking = String(repeating: "1Z999AA1", count: 38)
        let shipment =
            "Paket;Lager;Kanal;Auftrag;Position;Artikel;Menge;Versand;Spediteur;Versandart;Sendungsnummer\r\n"
            + "PK-9;DC-CENTRAL;amazon-de;=1+1;1;TSHIRT-BLK-S;1;26.11.2026 15:00;DHL;Standard;\(tracking)\r\n"
        try shipment.write(
            to: world.root.appendingPathComponent("inbox/wms-central/VERSAND_20261126_1500.csv"), atomically: false,
            encoding: .utf8)
        let second = try OmnihubProcess.run(["run", "--once", "--config", world.configFile.path])
        #expect(second.status == 0, "\(second.standardError)")
        #expect(try world.store().outbox.pendingDocuments().isEmpty, "no document waits on a name it cannot have")
        // The customer sends it back: a credit note, its bookings and the refund message.
        let credit = try OmnihubProcess.run(
            [
                "finance", "credit-note", "=1+1", "--line", "1=1", "--reason", "=HYPERLINK(\"x\")", "--config",
                world.configFile.path,
            ])
        #expect(credit.status == 0, "\(credit.standardError)")

        let outbox = world.root.appendingPathComponent("outbox")
        var carried: [String] = []
        let walker = FileManager.default.enumerator(at: outbox, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard !url.hasDirectoryPath else { continue }
            let name = url.lastPathComponent
            #expect(!name.hasPrefix(".") && name.utf8.count <= 200, "\(name)")
            #expect(!name.unicodeScalars.contains { $0.value < 0x20 }, "\(name)")
            let data = try Data(contentsOf: url)
            let text = String(decoding: data, as: UTF8.self)
            if text.contains("calc") || text.contains("SUM(1+1)") || text.contains("=1+1") { carried.append(name) }
            switch url.pathExtension {
            case "xml":
                #expect(throws: Never.self, "\(name) is well-formed") { _ = try XMLDocument(data: data) }
            case "json":
                #expect(throws: Never.self, "\(name) parses") { _ = try JSONSerialization.jsonObject(with: data) }
            case "jsonl":
                #expect(text.hasSuffix("\n"), "\(name) ends its last line")
                for line in data.split(separator: UInt8(ascii: "\n")) {
                    #expect(throws: Never.self, "\(name): each line parses") {
                        _ = try JSONSerialization.jsonObject(with: Data(line))
                    }
                }
            case "csv", "txt":
                #expect(!data.contains(0), "\(name) holds no NUL byte")
                let delimiter: Character = text.contains("\t") ? "\t" : (text.contains(";") ? ";" : ",")
                for line in text.split(whereSeparator: \.isNewline) {
                    for cell in cells(line, delimiter: delimiter) {
                        guard let first = cell.first, "=+-@".contains(first) else { continue }
                        #expect(
                            Double(cell.replacingOccurrences(of: ",", with: ".")) != nil,
                            "\(name): '\(cell)' would run as a formula")
                    }
                }
            default:
                Issue.record("\(name): a kind of file this test does not check")
            }
        }
        // Acknowledgement, three fulfilment orders, the order confirmations (one JSON Lines file);
        // shipping confirmation, invoice, bookings, shipped message; credit note, its bookings,
        // refund message.
        #expect(carried.count >= 11, "the files that carry the orders: \(carried.sorted())")
    }
}
