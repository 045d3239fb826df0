import Foundation
import FoundationXML
import OmnihubCore
import Testing

@Suite("Output format options: templates, prefixes, lookups, dates, decimal commas, a preamble")
struct OutputFormatOptionsTests {
    static let order = OrderSettlementTests.order(
        lines: [
            OrderSettlementTests.line("1", 2, "19.99", discounts: ["4.00"]),
            OrderSettlementTests.line("2", 1, "10.70", rate: "7"),
        ], shipping: "4.95", shippingRate: "19")

    /// An invoice for the whole order, issued 2026-11-26 23:30 UTC (already the 27th in Berlin).
    static func invoice() -> Invoice {
        let settlement = OrderSettlement(order: order, defaultTaxRate: Amount(19))
        return Invoice(
            kind: .invoice, number: "RE-1", destination: "erp",
            issuedAt: Timestamp(year: 2026, month: 11, day: 26, hour: 23, minute: 30, second: 0, offsetSeconds: 0),
            order: order, settlement: settlement,
            units: [
                Invoice.Units(orderLine: 1, quantity: 2, value: settlement.shipped(line: 0, from: 0, to: 2)),
                Invoice.Units(orderLine: 2, quantity: 1, value: settlement.shipped(line: 1, from: 0, to: 1)),
            ], withShipping: true)
    }

    func column(_ name: String, _ field: String, _ configure: (inout OutputFormat.Column) -> Void = { _ in })
        -> OutputFormat.Column
    {
        var column = OutputFormat.Column(name: name, field: field)
        configure(&column)
        return column
    }

    @Test("a template repeats per entry, writes prefixed names with their namespaces, and leaves out what is empty")
    func template() throws {
        var format = OutputFormat(name: "t", type: .xml, fileName: "{number}.xml", columns: [])
        format.namespaces = [("", "urn:example:invoice"), ("cbc", "urn:example:basic")]
        var discount = OutputFormat.XMLElement(
            name: "Discount", value: column("Discount", "discount"),
            attributes: [column("currency", "currency")])
        discount.when = "discount"
        format.template = OutputFormat.XMLElement(
            name: "Invoice",
            children: [
                OutputFormat.XMLElement(name: "cbc:ID", value: column("cbc:ID", "number")),
                OutputFormat.XMLElement(
                    name: "Tax", children: [OutputFormat.XMLElement(name: "cbc:Rate", value: column("r", "tax_rate"))],
                    each: "taxes"),
                OutputFormat.XMLElement(
                    name: "Line",
                    children: [OutputFormat.XMLElement(name: "cbc:SKU", value: column("s", "sku")), discount],
                    each: "lines"),
                OutputFormat.XMLElement(name: "Empty", value: column("e", "invoice_reference")),
            ])
        let document = try XMLDocument(data: Data(try format.render(Self.invoice())))
        let root = try #require(document.rootElement())
        #expect(root.uri == "urn:example:invoice")
        #expect(root.elements(forName: "cbc:ID").first?.uri == "urn:example:basic")
        #expect(
            root.elements(forName: "Tax").map { $0.elements(forName: "cbc:Rate").first?.stringValue } == ["7", "19"])
        let lines = root.elements(forName: "Line")
        #expect(lines.map { $0.elements(forName: "cbc:SKU").first?.stringValue } == ["SKU-1", "SKU-2"])
        #expect(lines[0].elements(forName: "Discount").first?.stringValue == "4.00")
        #expect(lines[1].elements(forName: "Discount").isEmpty, "when: a line without a discount has no element")
        #expect(root.elements(forName: "Empty").isEmpty)
    }

    @Test("CSV with a preamble line, quoting always, a decimal comma on money only, dates in Berlin, lookups")
    func datevLike() throws {
        let bookings = FinanceBookings(
            number: "BS-1", destination: "erp", createdAt: Self.invoice().wave, documents: [Self.invoice()])
        var format = OutputFormat(
            name: "d", type: .csv, delimiter: ";", fileName: "x.csv",
            columns: [
                column("Umsatz", "amount"),
                column("S/H", "side") { $0.quoted = true },
                column("Konto", "tax_rate") { $0.lookup = ["19": "8400", "7.0": "8300"] },
                column("Datum", "issued_at") { $0.dateFormat = try? DateTimeFormat(pattern: "ddMM") },
                column("Beleg", "document_number") { $0.quoted = true },
                column("Leer", "") {
                    $0.constant = ""; $0.quoted = true
                },
            ])
        format.decimalSeparator = ","
        format.timeZone = TimeZone(identifier: "Europe/Berlin")!
        format.preamble = [
            column("", "") {
                $0.constant = "EXTF"; $0.quoted = true
            },
            column("", "period_start") { $0.dateFormat = try? DateTimeFormat(pattern: "yyyyMMdd") },
        ]
        let text = String(decoding: try format.render(bookings), as: UTF8.self)
        #expect(
            text == "\"EXTF\";20261127\r\nUmsatz;S/H;Konto;Datum;Beleg;Leer\r\n"
                + "10,70;\"S\";8300;2711;\"RE-1\";\"\"\r\n40,93;\"S\";8400;2711;\"RE-1\";\"\"\r\n")

        format.columns[2].lookup = ["19": "8400"]
        #expect {
            try format.render(bookings)
        } throws: { error in
            "\(error)".contains("tax_rate '7' has no entry in the lookup of 'Konto'")
        }
        format.columns[2].lookupDefault = "8999"
        #expect(String(decoding: try format.render(bookings), as: UTF8.self).contains("10,70;\"S\";8999;"))
    }

    @Test("a batch made at 00:30 on New Year's Day in Berlin belongs to the new fiscal year")
    func fiscalYearInTheLedgersZone() throws {
        let settlement = OrderSettlement(order: Self.order, defaultTaxRate: Amount(19))
        let newYear = Timestamp(year: 2026, month: 12, day: 31, hour: 23, minute: 30, second: 0, offsetSeconds: 0)
        let invoice = Invoice(
            kind: .invoice, number: "RE-9", destination: "erp", issuedAt: newYear, order: Self.order,
            settlement: settlement,
            units: [Invoice.Units(orderLine: 2, quantity: 1, value: settlement.shipped(line: 1, from: 0, to: 1))],
            withShipping: false)
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let bookings = FinanceBookings(
            number: "BS-RE-9", destination: "erp", createdAt: newYear, documents: [invoice], zone: berlin)
        var format = OutputFormat(
            name: "d", type: .csv, delimiter: ";", fileName: "x.csv", columns: [column("Umsatz", "amount")])
        format.timeZone = berlin
        format.headerRow = false
        format.preamble = ["fiscal_year_start", "period_start", "period_end"].map { field in
            column("", field) { $0.dateFormat = try? DateTimeFormat(pattern: "yyyyMMdd") }
        }
        let text = String(decoding: try format.render(bookings), as: UTF8.self)
        #expect(text == "20270101;20270101;20270101\r\n10.70\r\n")
    }
}
