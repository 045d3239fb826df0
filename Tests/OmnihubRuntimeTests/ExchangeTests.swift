import Foundation
import OmnihubCore
import OmnihubStore
import Testing

@Suite("Exchanges: another size or colour, sourced, shipped and invoiced as a replacement order")
struct ExchangeTests {
    let care = OrderCareCommandTests()

    func listing(_ world: TestWorld, _ folder: String) throws -> [String] {
        let path = world.root.appendingPathComponent("outbox/\(folder)").path
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func contents(_ world: TestWorld, _ folder: String, _ name: String) throws -> String {
        try String(contentsOf: world.root.appendingPathComponent("outbox/\(folder)/\(name)"), encoding: .utf8)
    }

    @Test("a colour exchange before shipment: the old unit cancelled, the new one shipped, the difference owed")
    func exchangeBeforeShipment() throws {
        let (world, config) = try care.settledWorld()
        let order = "302-1111111-2000003"  // 3 × TSHIRT-BLK-S at 19.99, reserved at DC-CENTRAL, paid to Amazon
        let exchange = try OmnihubProcess.run(
            [
                "order", "exchange", order, "--line", "10000000000004", "--sku", "TSHIRT-WHT-M", "--price", "24.99",
                "--by", "kim", "--json",
            ] + config)
        #expect(exchange.status == 0, "\(exchange.standardError)")
        let result = try care.json(exchange.standardOutput)
        #expect(result["replacement"] as? String == "\(order)-X1")
        #expect(result["cancelled"] as? Int == 1)
        #expect(result["old_worth"] as? String == "19.99")
        #expect(result["new_total"] as? String == "24.99")
        #expect(result["pay_out"] as? String == "-5.00", "the customer owes the difference")
        let archived = try FileManager.default.subpathsOfDirectory(
            atPath: world.root.appendingPathComponent("archive").path)
        #expect(archived.contains { $0.hasSuffix("care/\(order)-X1.json") }, "the replacement is on file: \(archived)")

        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        let store = try OrderStore(path: world.root.appendingPathComponent("var/omnihub.sqlite").path)
        let replacement = try #require(try store.orders.matching("\(order)-X1").first)
        let lines = try store.care.lines(orderID: replacement.id)
        #expect(lines.map(\.sku) == ["TSHIRT-WHT-M"])
        #expect(lines.first.map { $0.reserved + $0.handedOver } == 1, "the new unit is sourced and reserved")
        let original = try #require(try store.orders.matching(order).first)
        #expect(try store.care.lines(orderID: original.id).first?.cancelled == 1)
        #expect(
            try world.mailerMessages().contains { $0.event == "order_exchanged" && $0.order == "\(order)-X1" })
        #expect(
            !(try listing(world, "mailer").contains { $0.hasPrefix("N-\(original.id)-order_cancelled") }),
            "the exchange's refund is not told as a cancellation")
        let payments = try listing(world, "payments")
        #expect(payments.count == 1, "\(payments)")
        let refund = try care.json(try contents(world, "payments", payments[0]))
        #expect(refund["exchange_order"] as? String == "\(order)-X1")
        #expect(refund["amount"] as? String == "19.99")
        #expect(refund["pay_out"] as? String == "-5.00")
        #expect(
            !(try listing(world, "amazon-de").contains {
                (try? contents(world, "amazon-de", $0))?.contains("\(order)-X1") == true
            }), "the marketplace never hears of the replacement")

        // The warehouse ships the two T-shirts left and the exchanged one.
        let shipment = world.root.appendingPathComponent("inbox/wms-central/VERSAND_20261127_1000.csv")
        try
            ("Paket;Lager;Kanal;Auftrag;Position;Artikel;Menge;Versand;Spediteur;Versandart;Sendungsnummer\n"
            + "PK-1000;DC-CENTRAL;amazon-de;\(order);10000000000004;TSHIRT-BLK-S;2;27.11.2026 10:00;DHL;Standard;"
            + "00340434161099990010\n"
            + "PK-1001;DC-CENTRAL;amazon-de;\(order)-X1;10000000000004;TSHIRT-WHT-M;1;27.11.2026 10:00;DHL;Standard;"
            + "00340434161099990011\n").write(to: shipment, atomically: false, encoding: .utf8)
        try world.setModified(shipment, secondsBeforeNow: 60)
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        #expect(
            try world.mailerMessages().contains {
                $0.event == "exchange_shipped" && $0.fields["tracking_number"] as? String == "00340434161099990011"
            })
        #expect(
            !(try listing(world, "amazon-de").contains {
                (try? contents(world, "amazon-de", $0))?.contains("\(order)-X1") == true
            }), "no shipping confirmation for the replacement either")
        for number in [order, "\(order)-X1"] {
            let (documents, money) = try care.balances(number, config)
            #expect(documents == money, "\(number): invoices − credit notes = paid − refunded")
            #expect(documents > .zero)
        }
        let invoice = try #require(
            try listing(world, "erp").first {
                $0.hasPrefix("RE-") && (try? contents(world, "erp", $0))?.contains("\(order)-X1") == true
            })
        let validate = try EInvoiceTests.validator()
        let verdict = try EInvoiceTests.run(validate, [world.root.appendingPathComponent("outbox/erp/\(invoice)").path])
        #expect(verdict.contains("fatal=0 warning=0"), "\(verdict)")

        let history = try OmnihubProcess.run(["order", "history", order] + config)
        #expect(history.standardOutput.contains("for 1 × TSHIRT-WHT-M in replacement order \(order)-X1"))
    }

    @Test("a size exchange in a store after shipment: taken back, credited, and only the difference paid out")
    func exchangeAfterReturnInStore() throws {
        let (world, config) = try care.settledWorld()
        let order = "#1044"  // 1 × JACKET-NVY-L, shipped from store-berlin-mitte, 93.95 with shipping
        let notShipped = try OmnihubProcess.run(
            ["order", "exchange", order, "--line", "1", "--sku", "JACKET-NVY-M"] + config)
        #expect(notShipped.status == 1, "a shipped unit is not cancelled")
        #expect(notShipped.standardError.contains("--returned"), "\(notShipped.standardError)")

        let exchange = try OmnihubProcess.run(
            [
                "order", "exchange", order, "--line", "1", "--sku", "JACKET-NVY-M", "--returned", "--store",
                "store-berlin-mitte", "--json",
            ] + config)
        #expect(exchange.status == 0, "\(exchange.standardError)")
        let result = try care.json(exchange.standardOutput)
        #expect(result["returned"] as? Int == 1)
        #expect(result["restocked"] as? Int == 1)
        #expect(result["credit_note"] as? String == "GS-2026-000001")
        #expect(result["new_total"] as? String == result["old_worth"] as? String, "a size swap costs the same")
        #expect(result["pay_out"] as? String == "4.95", "the shipping charge came back with the only unit")

        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        let mailer = try listing(world, "mailer")
        #expect(mailer.contains { $0.contains("return_received") }, "\(mailer)")
        let payments = try listing(world, "payments")
        let refund = try care.json(try contents(world, "payments", try #require(payments.first)))
        #expect(refund["cause"] as? String == "credit_note")
        #expect(refund["exchange_order"] as? String == "#1044-X1")
        #expect(refund["pay_out"] as? String == "4.95")
        let (documents, money) = try care.balances(order, config)
        #expect(documents == money)

        let again = try OmnihubProcess.run(
            ["order", "exchange", order, "--line", "1", "--sku", "JACKET-NVY-M", "--returned"] + config)
        #expect(again.status == 1, "the unit came back already")
        #expect(again.standardError.contains("shipped 1 and got 1 back"), "\(again.standardError)")
        let store = try OrderStore(path: world.root.appendingPathComponent("var/omnihub.sqlite").path)
        #expect(try store.orders.matching("#1044-X2").isEmpty, "a refused exchange leaves nothing behind")
    }
}
