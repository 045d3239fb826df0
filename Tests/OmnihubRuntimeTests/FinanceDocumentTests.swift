import Foundation
import FoundationXML
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Invoices when goods ship, credit notes, and their DATEV bookings for the ERP")
struct FinanceDocumentTests {
    let shipments = ShipmentConfirmationTests()

    /// The shipments world with a `finance:` section and the shipped UBL and DATEV formats.
    func world() throws -> TestWorld {
        let world = try shipments.world()
        try world.linkSchemas()
        for name in ["ubl-invoice", "ubl-credit-note", "datev-buchungsstapel"] {
            try FileManager.default.copyItem(
                at: repositoryRoot.appendingPathComponent("mappings/\(name).format.yaml"),
                to: world.root.appendingPathComponent("mappings/\(name).format.yaml"))
        }
        let config = try String(contentsOf: world.configFile, encoding: .utf8)
        try config.replacingOccurrences(
            of: "partners:\n",
            with: """
                finance:
                  destination: erp
                  invoice_prefix: "RE-"
                  credit_note_prefix: "GS-"
                  default_tax_rate: 19
                  invoice_format: mappings/ubl-invoice.format.yaml
                  credit_note_format: mappings/ubl-credit-note.format.yaml
                  bookings_format: mappings/datev-buchungsstapel.format.yaml
                partners:

                """
        ).write(to: world.configFile, atomically: true, encoding: .utf8)
        return world
    }

    func erpFiles(_ world: TestWorld) throws -> [String] {
        let folder = world.root.appendingPathComponent("outbox/erp")
        return (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
    }

    func read(_ world: TestWorld, _ name: String) throws -> Data {
        try Data(contentsOf: world.root.appendingPathComponent("outbox/erp/\(name)"))
    }

    /// A world with order A1 (3 × 19.99, shipping 4.95) reserved at DC-1.
    func orderedWorld() throws -> TestWorld {
        let world = try world()
        try shipments.outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1", quantity: "3", price: "59.97")))
        _ = try world.cycle()
        return world
    }

    /// The ordered world after the warehouse shipped `units` of A1 in one parcel and a cycle ran:
    /// with its store, the order, and an emitter to issue credit notes with.
    func shipped(units: Int) throws -> (
        world: TestWorld, store: OrderStore, order: OrderSummary, emitter: OutboxEmitter
    ) {
        let world = try orderedWorld()
        world.clock.advance(by: .seconds(60))
        try shipments.ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,\(units)\n")
        _ = try world.cycle()
        let store = try world.store()
        let order = try #require(try store.orders.list(limit: 1).first)
        let emitter = OutboxEmitter(configuration: try world.configuration(), store: store, logger: .init(label: "t"))
        return (world, store, order, emitter)
    }

    @Test(
        "a partial shipment is invoiced with the shipping charge, the rest later without it; together the order total")
    func partialShipments() throws {
        let world = try orderedWorld()
        #expect(try erpFiles(world).isEmpty, "nothing is invoiced before it ships")

        world.clock.advance(by: .seconds(60))
        try shipments.ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,2\n")
        let first = try world.cycle()
        #expect(first.failures.isEmpty, "\(first.failures.map(\.message))")
        #expect(
            first.documentsWritten.map(\.kind.rawValue).sorted() == ["bookings", "invoice", "shipping_confirmation"])
        let one = try UBLInvoice(read(world, "RE-000001.xml"))
        #expect(one.payable == "44.93", "2 × 19.99 + 4.95 shipping")
        #expect([one.prepaid, one.due] == ["44.93", "0.00"], "a marketplace order is paid before it ships")
        #expect(one.lines.map(\.quantity) == ["2"])
        #expect(one.chargeTotal == "4.16")

        world.clock.advance(by: .seconds(60))
        _ = try world.cycle()
        #expect(try erpFiles(world).count == 2, "a cycle without shipments issues nothing")

        world.clock.advance(by: .seconds(60))
        try shipments.ship(world, "sh2.csv", "SH-2,A1,DC-1,2026-11-26T11:00:00Z,DHL,T2,TSHIRT-WHT-M,1\n")
        _ = try world.cycle()
        let two = try UBLInvoice(read(world, "RE-000002.xml"))
        #expect(two.payable == "19.99")
        #expect(two.chargeTotal == "0.00", "the shipping charge is invoiced once")
        #expect(
            Amount(parsing: one.payable)! + Amount(parsing: two.payable)! == Amount(parsing: "64.92")!,
            "the invoices add up to what the customer paid")
        let store = try world.store()
        let order = try #require(try store.orders.list(limit: 1).first)
        let history = try store.finance.history(orderID: order.id)
        #expect(history.invoicedUnits == [1: 3])
        #expect(history.invoicedTotal == Amount(parsing: "64.92")!)
        #expect(try store.outbox.documents(orderID: order.id).filter { $0.kind.rawValue == "invoice" }.count == 2)
    }

    @Test("a free-shipping promotion takes the shipping charge off what is invoiced")
    func shippingPromotion() throws {
        let world = try world()
        try shipments.outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(
                AmazonReport.row(
                    order: "A1", item: "1", quantity: "2", price: "39.98", ["ship-promotion-discount": "-4.95"])))
        _ = try world.cycle()
        let store = try world.store()
        let order = try #require(try store.orders.matching("A1").first)
        #expect(order.order.shipping?.discount == Amount(parsing: "4.95"))
        world.clock.advance(by: .seconds(60))
        try shipments.ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,2\n")
        _ = try world.cycle()
        let invoice = try UBLInvoice(read(world, "RE-000001.xml"))
        #expect(invoice.payable == "39.98", "the goods alone: shipping was free")
        #expect(invoice.chargeTotal == "0.00")
    }

    @Test("the UBL invoice and credit note follow UBL 2.1's element order, and their totals add up")
    func ublStructure() throws {
        let (world, store, order, emitter) = try shipped(units: 3)
        let (creditNote, outcome) = try emitter.issueCreditNote(
            orderID: order.id, units: [1: 1], reason: "returned", at: world.clock.now())
        #expect(outcome.failures.isEmpty)
        #expect(creditNote.number == "GS-000001")
        #expect(creditNote.invoiceReference == "RE-000001")
        #expect(creditNote.payableTotal == Amount(parsing: "19.99")!)

        for (name, root) in [("RE-000001.xml", "Invoice"), ("GS-000001.xml", "CreditNote")] {
            let data = try read(world, name)
            let document = try XMLDocument(data: data)
            let element = try #require(document.rootElement())
            #expect(element.localName == root)
            #expect(element.uri == "urn:oasis:names:specification:ubl:schema:xsd:\(root)-2")
            for problem in UBLOrder.problems(in: element) { Issue.record("\(name): \(problem)") }
            let ubl = try UBLInvoice(data)
            #expect(ubl.lineExtension == ubl.lines.map(\.net).reduce(Amount.zero, +), "\(name)")
            #expect(ubl.taxExclusive == ubl.lineExtension + Amount(parsing: ubl.chargeTotal)!, "\(name)")
            #expect(ubl.taxInclusive == ubl.taxExclusive + ubl.taxTotal, "\(name)")
            #expect(ubl.taxableSum == ubl.taxExclusive, "\(name): the rates' taxable amounts add up")
        }
        let history = try store.finance.history(orderID: order.id)
        #expect(
            history.invoicedTotal - history.creditedTotal == Amount(parsing: "44.93")!,
            "64.92 paid, 19.99 refunded for the returned unit")
    }

    @Test("a credit note for more units than were invoiced is refused, saying how many are open")
    func creditBeyondInvoiced() throws {
        let (world, _, order, emitter) = try shipped(units: 1)
        #expect {
            try emitter.issueCreditNote(orderID: order.id, units: [1: 2], reason: "returned", at: world.clock.now())
        } throws: { error in
            "\(error)".contains("line 1 has 1 invoiced units not credited yet")
        }
        #expect(try erpFiles(world).filter { $0.hasPrefix("GS-") }.isEmpty)
    }

    @Test("when everything delivered comes back, the last credit note refunds the shipping charge too")
    func fullReturn() throws {
        let (world, store, order, emitter) = try shipped(units: 3)
        let first = try emitter.issueCreditNote(
            orderID: order.id, units: [1: 2], reason: "returned", at: world.clock.now())
        #expect(first.creditNote.charges.isEmpty, "one unit is still with the customer")
        #expect(first.creditNote.payableTotal == Amount(parsing: "39.98")!)
        let last = try emitter.issueCreditNote(
            orderID: order.id, units: [1: 1], reason: "returned", at: world.clock.now())
        #expect(last.creditNote.charges.map(\.gross) == [Amount(parsing: "4.95")!])
        #expect(last.creditNote.payableTotal == Amount(parsing: "24.94")!)
        let history = try store.finance.history(orderID: order.id)
        #expect(history.invoicedTotal - history.creditedTotal == .zero, "everything paid came back")
    }

    @Test("two credit notes in the same second each get their file and their own bookings batch")
    func creditNotesInOneSecond() throws {
        let (world, _, order, emitter) = try shipped(units: 3)
        let now = world.clock.now()
        let first = try emitter.issueCreditNote(orderID: order.id, units: [1: 1], reason: "returned", at: now)
        let second = try emitter.issueCreditNote(orderID: order.id, units: [1: 1], reason: "returned", at: now)
        #expect(first.outcome.failures.isEmpty && second.outcome.failures.isEmpty)
        #expect(
            try erpFiles(world).filter { $0.hasPrefix("GS-") || $0.contains("BS-GS") } == [
                "EXTF_Buchungsstapel_BS-GS-000001.csv", "EXTF_Buchungsstapel_BS-GS-000002.csv", "GS-000001.xml",
                "GS-000002.xml",
            ])
    }

    @Test("the DATEV batch keeps EXTF's header and column rules: Windows-1252, decimal comma, DDMM dates")
    func datevRules() throws {
        let world = try orderedWorld()
        world.clock.advance(by: .seconds(60))
        try shipments.ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,3\n")
        _ = try world.cycle()
        let name = try #require(try erpFiles(world).first { $0.hasPrefix("EXTF_") })
        let bytes = try read(world, name)
        let problems = DATEVCheck.problems(in: bytes)
        #expect(problems.isEmpty, "\(problems)")
        let rows = try #require(String(data: bytes, encoding: .windowsCP1252)).components(separatedBy: "\r\n")
        let booking = rows[2].components(separatedBy: ";")
        #expect(Array(booking[0...2]) == ["64,92", "\"S\"", "\"EUR\""])
        #expect(booking[6] == "10000" && booking[7] == "8400", "Amazon's debtor against revenue at 19%")
        #expect(booking[9] == "1811", "the invoice date (the test clock: 2026-11-18 09:26 in Berlin), as DDMM")
        #expect(booking[10] == "\"RE-000001\"")
    }

    @Test("an order whose bookings cannot be written is not invoiced yet and is reported; the others are")
    func oneOrderFailsAlone() throws {
        let world = try world()
        try shipments.outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "A1", item: "1"),
                // Ł is not in Windows-1252, and the DATEV booking text names the order.
                AmazonReport.row(order: "Ł2", item: "2")))
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try shipments.ship(
            world, "sh1.csv",
            "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,1\nSH-2,Ł2,DC-1,2026-11-26T10:00:00Z,DHL,T2,TSHIRT-WHT-M,1\n"
        )
        let cycle = try world.cycle()
        #expect(cycle.failures.contains { $0.message.contains("invoice for order Ł2") }, "\(cycle.failures)")
        #expect(try erpFiles(world).filter { $0.hasPrefix("RE-") } == ["RE-000001.xml"])
        let store = try world.store()
        let waiting = try #require(try store.orders.matching("Ł2").first)
        #expect(try store.finance.history(orderID: waiting.id).invoicedUnits.isEmpty)
        #expect(try UBLInvoice(read(world, "RE-000001.xml")).payable == "24.94", "A1: 19.99 and 4.95 shipping")
    }

    @Test("an order that fails before others takes no number: the ones after it are numbered on without a gap")
    func failedOrderFirst() throws {
        let world = try world()
        try shipments.outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        try world.drop(
            "orders.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "Ł1", item: "1"), AmazonReport.row(order: "A2", item: "2"),
                AmazonReport.row(order: "A3", item: "3")))
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try shipments.ship(
            world, "sh1.csv",
            ["Ł1", "A2", "A3"].enumerated().map {
                "SH-\($0),\($1),DC-1,2026-11-26T10:00:00Z,DHL,T\($0),TSHIRT-WHT-M,1\n"
            }
            .joined())
        let cycle = try world.cycle()
        #expect(cycle.failures.contains { $0.message.contains("invoice for order Ł1") }, "\(cycle.failures)")
        #expect(try erpFiles(world).filter { $0.hasPrefix("RE-") } == ["RE-000001.xml", "RE-000002.xml"])
        #expect(try UBLInvoice(read(world, "RE-000001.xml")).payable == "24.94")
        let store = try world.store()
        for (number, invoice) in [("A2", "RE-000001"), ("A3", "RE-000002")] {
            let order = try #require(try store.orders.matching(number).first)
            #expect(
                try store.outbox.documents().contains { $0.number == invoice }
                    && !(try store.finance.history(orderID: order.id).invoicedUnits.isEmpty), "\(number)")
        }
    }

    @Test("an invoice file in the way is never overwritten; it waits, and the same bytes are written once it is free")
    func blockedInvoiceWaits() throws {
        let world = try orderedWorld()
        let folder = world.root.appendingPathComponent("outbox/erp")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("someone else's".utf8).write(to: folder.appendingPathComponent("RE-000001.xml"))
        world.clock.advance(by: .seconds(60))
        try shipments.ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,3\n")
        let blocked = try world.cycle()
        #expect(blocked.failures.contains { $0.message.contains("never overwrites") })
        #expect(blocked.documentsWritten.map(\.kind.rawValue).contains("bookings"), "the other files are still written")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("RE-000001.xml"))
        world.clock.advance(by: .seconds(60))
        let freed = try world.cycle()
        #expect(freed.documentsWritten.map(\.number) == ["RE-000001"])
        #expect(try UBLInvoice(read(world, "RE-000001.xml")).payable == "64.92")
        #expect(try erpFiles(world).filter { $0.hasPrefix("RE-") } == ["RE-000001.xml"], "one invoice, not two")
    }
}

@Suite(
    "The DATEV check against DATEV-shaped files from outside omnihub",
    .enabled(if: publicSamplesPresent, "../shared/samples is not beside the repository"))
struct DATEVCheckTests {
    @Test("a published EXTF Buchungsstapel passes the check; a UTF-8 file with a byte order mark does not")
    func publishedBatch() throws {
        let good = try Data(contentsOf: publicSamples.appendingPathComponent("datev/EXTF_Buchungsstapel_ledermann.csv"))
        #expect(DATEVCheck.problems(in: good).isEmpty, "\(DATEVCheck.problems(in: good))")
        let bad = try Data(contentsOf: publicSamples.appendingPathComponent("datev/datevlint_encoding_utf8_bom.csv"))
        #expect(DATEVCheck.problems(in: bad).contains("a UTF-8 byte order mark"))
    }
}

@Suite("Invoices against OASIS's UBL 2.1 schemas")
struct UBLSchemaTests {
    let finance = FinanceDocumentTests()

    @Test(
        "every invoice and credit note the shipped formats write is valid; a format that breaks the schema writes nothing"
    )
    func schemaValid() throws {
        let world = try finance.orderedWorld()
        world.clock.advance(by: .seconds(60))
        try finance.shipments.ship(world, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,3\n")
        let shipped = try world.cycle()
        #expect(shipped.failures.isEmpty, "\(shipped.failures.map(\.message))")
        let store = try world.store()
        let order = try #require(try store.orders.list(limit: 1).first)
        let emitter = OutboxEmitter(configuration: try world.configuration(), store: store, logger: .init(label: "t"))
        _ = try emitter.issueCreditNote(orderID: order.id, units: [1: 2], reason: "returned", at: world.clock.now())
        let schemas = repositoryRoot.appendingPathComponent("schemas/ubl-2.1/maindoc")
        for (name, schema) in [("RE-000001.xml", "UBL-Invoice-2.1.xsd"), ("GS-000001.xml", "UBL-CreditNote-2.1.xsd")] {
            let check = try XMLSchema(path: schemas.appendingPathComponent(schema).path)
            #expect(check.problems(in: Array(try finance.read(world, name))) == [], "\(name)")
        }

        // The same invoice with its lines before the totals, as a careless format might write it.
        let path = world.root.appendingPathComponent("mappings/ubl-invoice.format.yaml")
        let text = try String(contentsOf: path, encoding: .utf8)
        let lines = try #require(text.range(of: "      - element: cac:InvoiceLine"))
        let totals = try #require(text.range(of: "      - element: cac:LegalMonetaryTotal"))
        let broken =
            String(text[..<totals.lowerBound]) + String(text[lines.lowerBound...])
            + String(text[totals.lowerBound..<lines.lowerBound])
        let other = try finance.orderedWorld()
        try broken.write(
            to: other.root.appendingPathComponent("mappings/ubl-invoice.format.yaml"), atomically: true, encoding: .utf8
        )
        other.clock.advance(by: .seconds(60))
        try finance.shipments.ship(other, "sh1.csv", "SH-1,A1,DC-1,2026-11-26T10:00:00Z,DHL,T1,TSHIRT-WHT-M,1\n")
        let refused = try other.cycle()
        #expect(refused.failures.contains { $0.message.contains("does not keep the schema") }, "\(refused.failures)")
        #expect(try finance.erpFiles(other).isEmpty, "nothing is written, and no invoice number is used")
        #expect(try other.store().finance.history(orderID: 1).invoicedUnits.isEmpty)
    }
}

@Suite("A large batch of invoices and messages is made in parts")
struct OutboundPartsTests {
    let finance = FinanceDocumentTests()

    @Test("five orders in parts of two: every order invoiced and told once, numbers in order, a batch per part")
    func parts() throws {
        let world = try fiveOrdersShipped()
        let store = try world.store()
        let emitter = OutboxEmitter(
            configuration: try world.configuration(), store: store, logger: .init(label: "t"), partSize: 2)
        let outcome = try emitter.emit(at: world.clock.now())
        #expect(outcome.failures.isEmpty, "\(outcome.failures.map(\.message))")
        let written = outcome.written
        #expect(written.filter { $0.kind.rawValue == "invoice" }.map(\.number) == (1...5).map { "RE-00000\($0)" })
        #expect(
            written.filter { $0.kind.rawValue == "bookings" }.map(\.number) == [
                "BS-RE-000001", "BS-RE-000003", "BS-RE-000005",
            ])
        // The shipped mailer format is JSON Lines: a file per part and kind, named after its first message.
        let files = written.filter { $0.kind.rawValue == "customer_notification" }.map(\.number)
        #expect(
            files == [
                "N-1-order_confirmed", "N-3-order_confirmed", "N-5-order_confirmed", "N-1-shipped-T1", "N-3-shipped-T3",
                "N-5-shipped-T5",
            ])
        let told = try world.mailerMessages()
        #expect(
            Set(told.map { "\($0.order ?? "")/\($0.event ?? "")" })
                == Set(
                    (1...5).flatMap { ["A\($0)/order_confirmed", "A\($0)/shipped"] }),
            "a confirmation and a shipped message per order")
        #expect(told.count == 10, "each once")
        #expect(told.filter { $0.file == "N-1-order_confirmed.jsonl" }.compactMap(\.order) == ["A1", "A2"])
        #expect(try emitter.emit(at: world.clock.now()).written.isEmpty, "nothing is made twice")
    }

    @Test("a stop after the first part of invoices: that part is recorded and written, the next run numbers on")
    func stopAfterFirstInvoicePart() throws {
        let world = try fiveOrdersShipped()
        let invoicing = TestFlag()
        // The stop comes with the first question once invoicing has begun: after its first part.
        let stopping = OutboxEmitter(
            configuration: try world.configuration(), store: try world.store(), logger: .init(label: "t"), partSize: 2,
            stopRequested: { invoicing.isSet },
            progress: { progress in
                if case .writing("invoices", _) = progress { invoicing.set() }
            })
        let stopped = try stopping.emit(at: world.clock.now())
        #expect(stopped.failures.isEmpty, "\(stopped.failures.map(\.message))")
        #expect(
            stopped.written.filter { ["invoice", "bookings"].contains($0.kind.rawValue) }.map(\.number) == [
                "RE-000001", "RE-000002", "BS-RE-000001",
            ])
        #expect(try finance.erpFiles(world).count == 3, "the part recorded is written before the run ends")
        #expect(try world.store().outbox.pendingDocuments().isEmpty)

        let emitter = OutboxEmitter(
            configuration: try world.configuration(), store: try world.store(), logger: .init(label: "t"), partSize: 2)
        let rest = try emitter.emit(at: world.clock.now())
        #expect(rest.failures.isEmpty, "\(rest.failures.map(\.message))")
        #expect(
            rest.written.filter { $0.kind.rawValue == "invoice" }.map(\.number) == [
                "RE-000003", "RE-000004", "RE-000005",
            ])
        #expect(try finance.erpFiles(world).count == 8, "five invoices and three bookings batches, each once")
    }

    /// Five orders, each shipped, that no invoice or message covers yet: imported, sourced and
    /// shipped without the finance and notification sections, which are then put back.
    private func fiveOrdersShipped() throws -> TestWorld {
        let world = try finance.world()
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("mappings/customer-notification.format.yaml"),
            to: world.root.appendingPathComponent("mappings/customer-notification.format.yaml"))
        let withFinance = try String(contentsOf: world.configFile, encoding: .utf8).replacingOccurrences(
            of: "partners:\n",
            with: "notifications: {format: mappings/customer-notification.format.yaml, languages: [en]}\npartners:\n")
        // Import, source and ship without the finance and notification sections, so that the
        // emitter below finds all five orders waiting at once.
        let withoutFinance =
            String(withFinance[..<withFinance.range(of: "finance:")!.lowerBound]) + "partners:\n"
            + String(withFinance[withFinance.range(of: "partners:\n")!.upperBound...])
        try withoutFinance.write(to: world.configFile, atomically: true, encoding: .utf8)
        try finance.shipments.outbox.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,10\n")
        let orders = (1...5).map {
            AmazonReport.row(order: "A\($0)", item: "\($0)", ["buyer-email": "c\($0)@example.com"])
        }
        try world.drop("orders.tsv", AmazonReport.file(orders[0], orders[1], orders[2], orders[3], orders[4]))
        _ = try world.cycle()
        world.clock.advance(by: .seconds(60))
        try finance.shipments.ship(
            world, "sh1.csv",
            (1...5).map { "SH-\($0),A\($0),DC-1,2026-11-26T10:00:00Z,DHL,T\($0),TSHIRT-WHT-M,1\n" }.joined())
        #expect(try world.cycle().failures.isEmpty)
        try withFinance.write(to: world.configFile, atomically: true, encoding: .utf8)
        return world
    }
}
