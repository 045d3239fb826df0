import Foundation
import OmnihubCore
import OmnihubStore
import Testing

@Suite("A dropshipper's rejection on the sample world: released, sourced again, shipped and invoiced")
struct DropshipRejectionTests {
    @Test("Nordic Home rejects the book of the B2B order: a store ships it, and the books balance")
    func rejectionAndResourcing() throws {
        let care = OrderCareCommandTests()
        let world = try TestWorld.shippedSampleWorld()
        let config = ["--config", world.configFile.path, "--log-level", "warning"]
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        let store = try OrderStore(path: world.root.appendingPathComponent("var/omnihub.sqlite").path)
        let order = try #require(try store.orders.matching("PO-2026-11-0042").first)
        func reservedAt(_ node: String) throws -> Int {
            try store.stock.reserved(sku: "BOOK-WINTER")[node] ?? 0
        }
        #expect(try reservedAt("dropship-nordic") == 1, "the book goes to the dropshipper first")

        func drop(_ partner: String, _ name: String, _ text: String) throws {
            let url = world.root.appendingPathComponent("inbox/\(partner)/\(name)")
            try text.write(to: url, atomically: false, encoding: .utf8)
            try world.setModified(url, secondsBeforeNow: 60)
        }
        try drop(
            "dropship-nordic", "reject-20261127.csv",
            "customer_order,rejected_at,reason,sku,quantity\nPO-2026-11-0042,2026-11-27T09:00:00Z,damaged,BOOK-WINTER,1\n"
        )
        let run = try OmnihubProcess.run(["run", "--once", "--json"] + config)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try reservedAt("dropship-nordic") == 0, "released")
        #expect(try reservedAt("store-hamburg-city") == 1, "sourced again at the store that has it")
        let picklists = try FileManager.default.contentsOfDirectory(
            atPath: world.root.appendingPathComponent("outbox/store-hamburg-city").path)
        #expect(picklists.count == 1, "the store gets its pick list: \(picklists)")

        // The warehouse ships the T-shirts and the jacket, the store hands the book to the carrier.
        try drop(
            "wms-central", "VERSAND_20261127_1100.csv",
            "Paket;Lager;Kanal;Auftrag;Position;Artikel;Menge;Versand;Spediteur;Versandart;Sendungsnummer\n"
                + "PK-1100;DC-CENTRAL;ubl-marketplace;PO-2026-11-0042;1;TSHIRT-WHT-M;2;27.11.2026 11:00;DHL;"
                + "Standard;00340434161099991100\n"
                + "PK-1100;DC-CENTRAL;ubl-marketplace;PO-2026-11-0042;2;JACKET-NVY-M;1;27.11.2026 11:00;DHL;"
                + "Standard;00340434161099991100\n")
        try drop(
            "store-system", "handover-2026-11-27.json",
            """
            {"exportedAt": "2026-11-27T12:00:00+01:00", "handovers": [{"handover": "HH-2711-01",
              "store": "store-hamburg-city", "channel": "ubl-marketplace", "order": "PO-2026-11-0042",
              "at": "2026-11-27T11:30:00+01:00", "carrier": "DHL", "service": "Paket", "tracking": "00340434161099991101",
              "items": [{"line": "3", "sku": "BOOK-WINTER", "qty": 1}]}]}
            """)
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        let lines = try store.care.lines(orderID: order.id)
        #expect(lines.map(\.shipped) == [2, 1, 1], "everything shipped: \(lines)")
        let (documents, money) = try care.balances("PO-2026-11-0042", config)
        #expect(documents == money, "invoices − credit notes = paid − refunded")
        #expect(documents > .zero)
        let history = try OmnihubProcess.run(["order", "history", "PO-2026-11-0042"] + config)
        #expect(history.standardOutput.contains("fulfilment_rejection"), "\(history.standardOutput)")

        let erp = world.root.appendingPathComponent("outbox/erp")
        let invoices = try FileManager.default.contentsOfDirectory(atPath: erp.path).filter { $0.hasPrefix("RE-") }
            .map { erp.appendingPathComponent($0).path }
            .filter { (try? String(contentsOfFile: $0, encoding: .utf8))?.contains("PO-2026-11-0042") == true }
        #expect(!invoices.isEmpty)
        let validate = try EInvoiceTests.validator()
        for invoice in invoices {
            let verdict = try EInvoiceTests.run(validate, [invoice])
            #expect(verdict.contains("fatal=0 warning=0"), "\(invoice): \(verdict)")
        }
    }
}
