import Foundation
import OmnihubCore
import OmnihubStore
import Testing

@Suite("Customer care and store staff on the command line: cancel, return, note, history")
struct OrderCareCommandTests {
    /// The shipped sample world after both of its batches ran, and the options that point at it.
    func settledWorld() throws -> (world: TestWorld, config: [String]) {
        let world = try TestWorld.shippedSampleWorld()
        let config = ["--config", world.configFile.path, "--log-level", "warning"]
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        try world.dropLaterFiles()
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        return (world, config)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Invoiced − credited and paid − refunded of an order, as `finance show --json` prints them.
    func balances(_ order: String, _ config: [String]) throws -> (documents: Amount, money: Amount) {
        let show = try OmnihubProcess.run(["finance", "show", order, "--json"] + config)
        #expect(show.status == 0, "\(show.standardError)")
        let summary = try json(show.standardOutput)
        func amount(_ key: String) -> Amount { Amount(parsing: summary[key] as? String ?? "") ?? Amount(-999_999) }
        return (amount("invoiced") - amount("credited"), amount("paid") - amount("refunded"))
    }

    @Test("a partial cancellation by customer care: released, refunded, told to channel, node and customer")
    func partialCancellation() throws {
        let (world, config) = try settledWorld()
        let order = "302-1111111-2000003"  // 3 × TSHIRT-BLK-S at 19.99, reserved at DC-CENTRAL
        let cancel = try OmnihubProcess.run(
            [
                "order", "cancel", order, "--line", "10000000000004", "--qty", "1", "--reason", "customer asked",
                "--json",
            ]
                + config)
        #expect(cancel.status == 0, "\(cancel.standardError)")
        let cancelled = try json(cancel.standardOutput)
        #expect(cancelled["units"] as? Int == 1)
        #expect(cancelled["released"] as? Int == 1)
        #expect(cancelled["refunded"] as? String == "19.99")

        let tooMany = try OmnihubProcess.run(
            ["order", "cancel", order, "--line", "1", "--qty", "3", "--reason", "x"] + config)
        #expect(tooMany.status == 1)
        #expect(tooMany.standardError.contains("line 10000000000004 (TSHIRT-BLK-S) has 2 of 3 units open"))

        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        let outbox = world.root.appendingPathComponent("outbox")
        let mailer = try FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("mailer").path)
        let message = try #require(mailer.first { $0.hasPrefix("N-3-order_cancelled") })
        let sent = try json(String(contentsOf: outbox.appendingPathComponent("mailer/\(message)"), encoding: .utf8))
        #expect(sent["refund_amount"] as? String == "19.99")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("amazon-de").path)
                .contains { $0.hasPrefix("ordercancel-") }, "the marketplace is told")
        let refunds = try FileManager.default.contentsOfDirectory(
            atPath: outbox.appendingPathComponent("payments").path)
        #expect(refunds.count == 1, "one refund for the payment provider: \(refunds)")
        let refund = try json(
            String(contentsOf: outbox.appendingPathComponent("payments/\(refunds[0])"), encoding: .utf8))
        #expect(refund["amount"] as? String == "19.99")
        #expect(refund["cause"] as? String == "cancellation")
        #expect(refund["order"] as? String == order)

        // The warehouse ships the other two: the invoices and the refund add up to what was paid.
        let shipment = world.root.appendingPathComponent("inbox/wms-central/VERSAND_20261127_0900.csv")
        try
            ("Paket;Lager;Kanal;Auftrag;Position;Artikel;Menge;Versand;Spediteur;Versandart;Sendungsnummer\n"
            + "PK-0900;DC-CENTRAL;amazon-de;302-1111111-2000003;10000000000004;TSHIRT-BLK-S;2;27.11.2026 09:00;DHL;"
            + "Standard;00340434161099990000\n").write(to: shipment, atomically: false, encoding: .utf8)
        try world.setModified(shipment, secondsBeforeNow: 60)
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        let (documents, money) = try balances(order, config)
        #expect(documents == money, "invoices − credit notes = paid − refunded")
        #expect(documents > .zero)

        let history = try OmnihubProcess.run(["order", "history", order, "--json"] + config)
        let trail = try json(history.standardOutput)
        let events = try #require(trail["events"] as? [[String: Any]])
        let line = try #require((trail["lines"] as? [[String: Any]])?.first)
        #expect(
            ["ordered", "shipped", "cancelled", "waiting", "reserved"].map { line[$0] as? Int } == [3, 2, 1, 0, 0],
            "\(line)")
        let kinds = events.compactMap { $0["event"] as? String }
        for kind in ["imported", "reserved", "cancelled", "refund", "order_cancellation", "shipped", "invoice"] {
            #expect(kinds.contains(kind), "\(kind) is in the history: \(kinds)")
        }

        // One shipped unit comes back by mail: Amazon, which holds the buyer's money, is told to refund it.
        let returned = try OmnihubProcess.run(
            ["order", "return", order, "--line", "1", "--qty", "1", "--reason", "too small"] + config)
        #expect(returned.status == 0, "\(returned.standardError)")
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        let amazon = outbox.appendingPathComponent("amazon-de")
        let adjustments = try FileManager.default.contentsOfDirectory(atPath: amazon.path).filter {
            $0.hasPrefix("adjustment-")
        }
        #expect(adjustments.count == 1, "\(adjustments)")
        let adjustment = try String(
            contentsOf: amazon.appendingPathComponent(try #require(adjustments.first)), encoding: .utf8)
        let rows = adjustment.split(whereSeparator: \.isNewline).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false)
        }
        #expect(
            rows.first?.prefix(5) == [
                "order-id", "order-item-id", "adjustment-reason-code", "currency", "item-price-adj",
            ])
        #expect(
            rows.dropFirst().first?.prefix(6) == [
                "302-1111111-2000003", "10000000000004", "CustomerReturn", "EUR", "19.99", "1",
            ])
        #expect(rows.count == 2, "one returned part")
        #expect(
            try OmnihubProcess.run(["run", "--once"] + config).status == 0
                && (try FileManager.default.contentsOfDirectory(atPath: amazon.path).filter {
                    $0.hasPrefix("adjustment-")
                }.count) == 1, "told once")
    }

    @Test("a cancellation of an order paid on account refunds nothing, and the customer hears which units went")
    func cancellationOfUnpaidOrder() throws {
        let world = try TestWorld.shippedSampleWorld()
        let export = world.root.appendingPathComponent("inbox/webshop/orders-export-2026-11-22.json")
        var text = try String(contentsOf: export, encoding: .utf8)
        // #1045 (2 mugs) is paid on account instead of by PayPal.
        let paypal = try #require(text.range(of: "\"paypal\"", options: .backwards))
        text.replaceSubrange(paypal, with: "\"invoice\"")
        try text.write(to: export, atomically: false, encoding: .utf8)
        try world.setModified(export, secondsBeforeNow: 60)
        let config = ["--config", world.configFile.path, "--log-level", "warning"]
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        let store = try OrderStore(path: world.root.appendingPathComponent("var/omnihub.sqlite").path)
        let order = try #require(try store.orders.matching("#1045").first)
        #expect(order.order.payment?.method == "invoice")

        let cancel = try OmnihubProcess.run(
            ["order", "cancel", "#1045", "--line", "1", "--qty", "1", "--reason", "customer asked", "--json"] + config)
        #expect(cancel.status == 0, "\(cancel.standardError)")
        #expect(try json(cancel.standardOutput)["refunded"] as? String == "0.00")
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        let mailer = world.root.appendingPathComponent("outbox/mailer")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: mailer.path).first {
                $0.hasPrefix("N-\(order.id)-order_cancelled")
            })
        let message = try json(String(contentsOf: mailer.appendingPathComponent(name), encoding: .utf8))
        #expect(message["refund_amount"] is NSNull, "nothing was paid, nothing comes back: \(message)")
        let lines = try #require(message["lines"] as? [[String: Any]])
        #expect(lines.map { $0["sku"] as? String } == ["MUG-ALPINE"])
        #expect(lines.map { $0["quantity"] as? String } == ["1"])
        #expect(
            !FileManager.default.fileExists(atPath: world.root.appendingPathComponent("outbox/payments").path),
            "no refund for the payment side")
    }

    @Test("a return in a store: back into the store's stock, paid out at once, refused a second time")
    func returnInStore() throws {
        let (world, config) = try settledWorld()
        let order = "#1044"  // 1 jacket, shipped from store-berlin-mitte, 93.95 with shipping
        let store = try OrderStore(path: world.root.appendingPathComponent("var/omnihub.sqlite").path)
        func onHand() throws -> Int {
            try store.stock.levels(sku: "JACKET-NVY-L").first { $0.node == "store-berlin-mitte" }?.onHand ?? 0
        }
        let before = try onHand()
        let returned = try OmnihubProcess.run(
            ["order", "return", order, "--line", "1", "--qty", "1", "--store", "store-berlin-mitte", "--json"]
                + config)
        #expect(returned.status == 0, "\(returned.standardError)")
        let result = try json(returned.standardOutput)
        #expect(result["pay_out"] as? String == "93.95", "the only unit came back: the shipping charge too")
        #expect(result["credit_note"] as? String == "GS-2026-000001")
        #expect(try onHand() == before + 1)
        #expect(
            FileManager.default.fileExists(
                atPath: world.root.appendingPathComponent("outbox/erp/GS-2026-000001.xml").path))
        let (documents, money) = try balances(order, config)
        #expect(documents == money)

        let again = try OmnihubProcess.run(["order", "return", order, "--line", "1", "--qty", "1"] + config)
        #expect(again.status == 1)
        #expect(again.standardError.contains("shipped 1 and got 1 back"))
        #expect(try onHand() == before + 1)

        #expect(
            try OmnihubProcess.run(["run", "--once"] + config).status == 0, "the credit note is not issued twice")
        #expect(
            try store.finance.history(orderID: try #require(store.orders.matching(order).first).id).creditedUnits == [
                1: 1
            ])
    }

    @Test("a damaged return by mail is booked out; a note shows in the history")
    func damagedReturnAndNote() throws {
        let (world, config) = try settledWorld()
        let order = "#1044"
        let store = try OrderStore(path: world.root.appendingPathComponent("var/omnihub.sqlite").path)
        let before = try store.stock.levels(sku: "JACKET-NVY-L")
        let returned = try OmnihubProcess.run(
            [
                "order", "return", order, "--line", "1", "--qty", "1", "--store", "store-berlin-mitte",
                "--condition", "damaged", "--reason", "zip broken",
            ] + config)
        #expect(returned.status == 0, "\(returned.standardError)")
        #expect(returned.standardOutput.contains("0 into stock"))
        #expect(try store.stock.levels(sku: "JACKET-NVY-L") == before, "a damaged unit is booked out")

        let note = try OmnihubProcess.run(
            ["order", "note", order, "photo of the zip received", "--by", "kim"] + config)
        #expect(note.status == 0, "\(note.standardError)")
        let history = try OmnihubProcess.run(["order", "history", order] + config)
        #expect(history.standardOutput.contains("kim: photo of the zip received"))
        #expect(history.standardOutput.contains("damaged, booked out"))
        let missing = try OmnihubProcess.run(["order", "history", "no-such-order"] + config)
        #expect(missing.status == 4)
        let nowhere = try OmnihubProcess.run(
            ["order", "return", order, "--line", "1", "--qty", "1", "--store", "store-nowhere"] + config)
        #expect(nowhere.status == 4)
        #expect(nowhere.standardError.contains("'store-nowhere' is not a node"))
    }
}
