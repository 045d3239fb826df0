import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

/// The European e-invoicing rules (EN 16931, the European Commission's UBL schematron) run by
/// `shared/tools/einvoice/validate` with Java and Saxon-HE, which `scripts/setup-test-servers.sh`
/// installs.
@Suite("Invoices and credit notes pass EN 16931 with no fatal error and no warning")
struct EInvoiceTests {
    /// The validator: `OMNIHUB_EINVOICE_VALIDATE`, else the shared tools beside the repository.
    static func validator() throws -> String {
        let candidates =
            [ProcessInfo.processInfo.environment["OMNIHUB_EINVOICE_VALIDATE"]].compactMap { $0 } + [
                repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/tools/einvoice/validate")
                    .path,
                "/work/shared/tools/einvoice/validate",
            ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ValidatorMissing(
                description: "no EN 16931 validator at \(candidates.joined(separator: ", ")); set "
                    + "OMNIHUB_EINVOICE_VALIDATE to shared/tools/einvoice/validate")
        }
        return found
    }

    struct ValidatorMissing: Error, CustomStringConvertible {
        let description: String
    }

    /// An order in canonical JSON, with `lines` and the order's other parts given.
    func order(
        _ id: String, lines: String, shipping: String = "null", discounts: String = "[]", payment: String = "card",
        prices: String = "gross"
    ) throws -> Order {
        let json = """
            {"channel": "webshop", "external_id": "\(id)", "placed_at": "2026-11-20T09:15:00Z", "currency": "EUR",
             "customer": {"name": "Erika Mustermann", "email": "erika@example.com"},
             "ship_to": {"name": "Erika Mustermann", "line1": "Hauptstr. 5", "postal_code": "10115",
                         "city": "Berlin", "country": "DE"},
             "delivery": {"method": "ship"}, "lines": [\(lines)], "shipping": \(shipping), "discounts": \(discounts),
             "payment": {"method": "\(payment)", "reference": "PAY-\(id)", "amount": null}, "prices": "\(prices)"}
            """
        return try JSONDecoder().decode(Order.self, from: Data(json.utf8))
    }

    func line(_ id: String, _ sku: String, quantity: Int, price: String, rate: String, discount: String? = nil)
        -> String
    {
        let discounts = discount.map { "[{\"code\": \"PROMO\", \"amount\": \"\($0)\"}]" } ?? "[]"
        return """
            {"line_id": "\(id)", "sku": "\(sku)", "title": "Article \(sku)", "quantity": \(quantity),
             "unit_price": "\(price)", "tax_rate": "\(rate)", "discounts": \(discounts)}
            """
    }

    /// Writes `document` in the shipped format `format` into `folder`.
    func write(_ document: Invoice, format: String, into folder: URL) throws -> String {
        try write(document, format: format, named: document.number, into: folder)
    }

    func write(_ document: Invoice, format: String, named name: String, into folder: URL) throws -> String {
        let output = try OutputFormatFile.load(repositoryRoot.appendingPathComponent("mappings/\(format)").path)
        let path = folder.appendingPathComponent("\(name).xml").path
        try Data(try output.render(document)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("19/7/0 % and mixed VAT, shipping, discounts, a partial invoice, its credit note, XRechnung on account")
    func representativeSet() throws {
        let validate = try Self.validator()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-einvoice-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let at = Timestamp(millisecondsSince1970: 1_795_000_000_000)
        var files: [String] = []
        var sequence = 0
        func issue(_ kind: Invoice.Kind, _ order: Order, units: [Int: Int], history: FinanceHistory = .init()) throws
            -> Invoice
        {
            sequence += 1
            let document = Invoice.issue(
                kind, number: (kind == .invoice ? "RE-" : "GS-") + String(sequence), destination: "erp", at: at,
                order: order, units: units, history: history, defaultTaxRate: Amount(19))
            files.append(
                try write(
                    document, format: kind == .invoice ? "ubl-invoice.format.yaml" : "ubl-credit-note.format.yaml",
                    into: folder))
            return document
        }
        let standard = try order(
            "E-19", lines: line("1", "SHIRT", quantity: 2, price: "19.99", rate: "19", discount: "4.00"),
            shipping: #"{"amount": "4.95", "tax_rate": "19"}"#)
        _ = try issue(.invoice, standard, units: [1: 2])
        let reduced = try order("E-7", lines: line("1", "BOOK", quantity: 1, price: "24.00", rate: "7"))
        _ = try issue(.invoice, reduced, units: [1: 1])
        let zero = try order("E-0", lines: line("1", "NEWSPAPER", quantity: 3, price: "2.50", rate: "0"))
        _ = try issue(.invoice, zero, units: [1: 3])
        let mixed = try order(
            "E-MIX",
            lines: line("1", "SHIRT", quantity: 1, price: "29.99", rate: "19") + ","
                + line("2", "BOOK", quantity: 2, price: "12.90", rate: "7", discount: "1.00"),
            shipping: #"{"amount": "4.95", "tax_rate": null}"#, discounts: #"[{"code": "WELCOME5", "amount": "5.00"}]"#)
        _ = try issue(.invoice, mixed, units: [1: 1, 2: 2])
        // Two of three units ship first: a partial invoice, then one of them comes back.
        let partial = try order(
            "E-PART", lines: line("1", "MUG", quantity: 3, price: "9.99", rate: "19"),
            shipping: #"{"amount": "3.90", "tax_rate": "19"}"#, discounts: #"[{"code": "TEN", "amount": "2.00"}]"#)
        let first = try issue(.invoice, partial, units: [1: 2])
        var history = FinanceHistory()
        history.invoicedUnits = [1: 2]
        history.shippingInvoiced = true
        history.lastInvoiceNumber = first.number
        _ = try issue(.creditNote, partial, units: [1: 1], history: history)

        // A business customer at net prices paying on account, in the XRechnung format: the net
        // prices as they are, VAT added on the net total, nothing prepaid, all due.
        let business = try order(
            "E-B2B", lines: line("1", "BLAZER", quantity: 5, price: "100.00", rate: "19", discount: "25.00"),
            shipping: #"{"amount": "9.90", "tax_rate": "19"}"#, payment: "invoice", prices: "net")
        #expect(business.prices == .net)
        let onAccount = try issue(.invoice, business, units: [1: 5])
        #expect(onAccount.prepaidTotal.isZero && onAccount.dueTotal == onAccount.payableTotal)
        #expect(onAccount.value("unit_net_price", line: 0) == "100.0000", "the order's net price, as it is")
        #expect(onAccount.lines[0].net == Amount(parsing: "475.00")!, "5 × 100.00 less 25.00")
        #expect(onAccount.taxTotal == Amount(parsing: "92.13")!, "19 % of 484.90, rounded")
        #expect(onAccount.payableTotal == Amount(parsing: "577.03")!)
        #expect(
            OrderSettlement(order: business, defaultTaxRate: Amount(19)).total == 57703, "what the customer owes")
        files.append(
            try write(onAccount, format: "xrechnung-invoice.format.yaml", named: "XR-\(onAccount.number)", into: folder)
        )

        let result = try Self.run(validate, files)
        let lines = result.split(separator: "\n").filter { $0.contains("fatal=") }
        #expect(lines.count == files.count, "one verdict per file:\n\(result)")
        for line in lines {
            #expect(line.contains("fatal=0 warning=0"), "\(line)")
        }
    }

    @Test("the sample world's UBL order at net prices is invoiced at those prices, and passes EN 16931")
    func netPricedSampleOrder() throws {
        let validate = try Self.validator()
        let world = try TestWorld.shippedSampleWorld()
        #expect(try world.cycle().failures.isEmpty)
        let store = try world.store()
        let order = try #require(try store.orders.matching("PO-2026-11-0042").first)
        #expect(order.order.prices == .net)
        // The central warehouse ships the two lines it holds: 2 T-shirts at 16.80 and the jacket at
        // 63.03 (less its 11.25 allowance), net.
        let shipment = world.root.appendingPathComponent("inbox/wms-central/VERSAND_20261127_0800.csv")
        try
            ("Paket;Lager;Kanal;Auftrag;Position;Artikel;Menge;Versand;Spediteur;Versandart;Sendungsnummer\n"
            + "PK-0800;DC-CENTRAL;ubl-marketplace;PO-2026-11-0042;1;TSHIRT-WHT-M;2;27.11.2026 08:00;DHL;Standard;"
            + "00340434161099990001\n"
            + "PK-0800;DC-CENTRAL;ubl-marketplace;PO-2026-11-0042;2;JACKET-NVY-M;1;27.11.2026 08:00;DHL;Standard;"
            + "00340434161099990001\n").write(to: shipment, atomically: false, encoding: .utf8)
        try world.setModified(shipment, secondsBeforeNow: 60)
        world.clock.advance(by: .seconds(600))
        let report = try world.cycle()
        #expect(report.failures.isEmpty, "\(report.failures.map(\.message))")
        let erp = world.root.appendingPathComponent("outbox/erp")
        let invoices = try FileManager.default.contentsOfDirectory(atPath: erp.path).filter { $0.hasPrefix("RE-") }
        let path = try #require(
            invoices.map { erp.appendingPathComponent($0).path }.first {
                (try? String(contentsOfFile: $0, encoding: .utf8))?.contains("PO-2026-11-0042") == true
            })
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(#"<cbc:PriceAmount currencyID="EUR">16.8000</cbc:PriceAmount>"#), "the order's net price")
        #expect(text.contains(#"<cbc:PriceAmount currencyID="EUR">63.0300</cbc:PriceAmount>"#))
        let history = try store.finance.history(orderID: order.id)
        #expect(history.invoicedUnits == [1: 2, 2: 1])
        let verdict = try Self.run(validate, [path])
        #expect(verdict.contains("fatal=0 warning=0"), "\(verdict)")
    }

    /// Runs the validator on `files` (verbose, so a failure names its rules) and returns what it printed.
    static func run(_ validate: String, _ files: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: validate)
        process.arguments = ["-v"] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
