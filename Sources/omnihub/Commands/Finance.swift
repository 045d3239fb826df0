import ArgumentParser
import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

/// `omnihub finance`: an order's invoices and credit notes.
struct Finance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Invoices and credit notes of an order.", subcommands: [Show.self, CreditNote.self])

    /// What an order was invoiced and credited, as the command prints it.
    struct Summary: Encodable {
        let order: String
        let channel: String
        let currency: String
        let paid: String
        let invoiced: String
        let credited: String
        /// Refunded for cancelled units and by credit notes.
        let refunded: String
        let lines: [Line]

        struct Line: Encodable {
            let position: Int
            let sku: String
            let ordered: Int
            let invoiced: Int
            let credited: Int
        }

        init(
            _ stored: StoredOrder, _ history: FinanceHistory, refunds: [RefundLedger.Refund],
            settlement: OrderSettlement
        ) {
            let order = stored.order
            self.order = order.externalID
            channel = order.channel
            currency = order.currency.code
            paid = settlement.amount(settlement.total).description
            let minor = order.currency.minorUnits
            invoiced = history.invoicedTotal.rounded(toScale: minor).description
            credited = history.creditedTotal.rounded(toScale: minor).description
            refunded = refunds.reduce(Amount.zero) { $0 + $1.amount }.rounded(toScale: minor).description
            lines = order.lines.enumerated().map { index, line in
                Line(
                    position: index + 1, sku: line.sku, ordered: line.quantity,
                    invoiced: history.invoicedUnits[index + 1] ?? 0, credited: history.creditedUnits[index + 1] ?? 0)
            }
        }
    }

    static func print(_ summary: Summary) {
        say(
            "order \(summary.order) (\(summary.channel)): paid \(summary.paid) \(summary.currency), "
                + "invoiced \(summary.invoiced), credited \(summary.credited), refunded \(summary.refunded)")
        var table = TextTable("LINE", "SKU", "ORDERED", "INVOICED", "CREDITED")
        for line in summary.lines {
            table.add(
                String(line.position), line.sku, String(line.ordered), String(line.invoiced), String(line.credited))
        }
        say(table.rendered)
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What an order was paid, invoiced and credited, line by line.",
            discussion: "Exit code 4 when no order matches, 78 when the configuration has no finance section.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "The channel, when two channels use the same order number.")
        var channel: String?

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @Argument(help: "omnihub's order id or the channel's order number.")
        var id: String

        func run() throws {
            let configuration = try global.loadConfiguration()
            guard let finance = configuration.finance else {
                throw CommandFailure.configuration("\(configuration.file) has no finance section; see docs/outbound.md")
            }
            let store = try global.openStore(configuration)
            let stored = try global.singleOrder(id, channel: channel, in: store)
            let summary = Summary(
                stored, try store.finance.history(orderID: stored.id),
                refunds: try store.refunds.refunds(orderID: stored.id),
                settlement: OrderSettlement(order: stored.order, defaultTaxRate: finance.defaultTaxRate))
            if json {
                try JSONOutput.print(summary)
            } else {
                Finance.print(summary)
            }
        }
    }

    /// What `credit-note --json` prints: the credit note, the files written, and the order after it.
    struct Issued: Encodable {
        let creditNote: String
        let amount: String
        let currency: String
        let corrects: String?
        let files: [String]
        let order: Summary

        enum CodingKeys: String, CodingKey {
            case amount, currency, corrects, files, order
            case creditNote = "credit_note"
        }
    }

    struct CreditNote: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "credit-note",
            abstract: "Issue a credit note for invoiced units that came back, and write it with its bookings.",
            discussion: """
                Units are counted on from those already credited, priced as the invoices priced them, so
                invoices minus credit notes stay what the customer paid minus what was refunded.
                Exit code 1 when the units were not invoiced (nothing is issued), 3 when the credit note
                was issued but a file could not be written yet (it is written by the next run), 4 when no
                order matches, 78 when the configuration has no finance section.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: "The channel, when two channels use the same order number.")
        var channel: String?

        @Option(
            name: .customLong("line"),
            help: "POSITION=UNITS: units of the order line at POSITION (from 1) to credit; repeat for more lines.")
        var lines: [String]

        @Option(help: "Why, e.g. returned, damaged, goodwill.")
        var reason: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        @Argument(help: "omnihub's order id or the channel's order number.")
        var id: String

        func validate() throws {
            guard !lines.isEmpty else { throw ValidationError("name at least one --line POSITION=UNITS") }
            for line in lines where parse(line) == nil {
                throw ValidationError("'\(line)' is not POSITION=UNITS with two whole numbers above 0, e.g. 1=2")
            }
        }

        private func parse(_ text: String) -> (position: Int, units: Int)? {
            let parts = text.split(separator: "=")
            guard parts.count == 2, let position = Int(parts[0]), let units = Int(parts[1]), position > 0, units > 0
            else { return nil }
            return (position, units)
        }

        func run() throws {
            let logger = global.logger()
            let configuration = try global.loadConfiguration()
            guard let finance = configuration.finance else {
                throw CommandFailure.configuration("\(configuration.file) has no finance section; see docs/outbound.md")
            }
            let store = try global.openStore(configuration)
            let stored = try global.singleOrder(id, channel: channel, in: store)
            var units: [Int: Int] = [:]
            for line in lines.compactMap(parse) { units[line.position, default: 0] += line.units }
            let emitter = OutboxEmitter(configuration: configuration, store: store, logger: logger)
            let result = try emitter.issueCreditNote(
                orderID: stored.id, units: units, reason: reason, at: SystemClock.now())
            let summary = Summary(
                stored, try store.finance.history(orderID: stored.id),
                refunds: try store.refunds.refunds(orderID: stored.id),
                settlement: OrderSettlement(order: stored.order, defaultTaxRate: finance.defaultTaxRate))
            if json {
                try JSONOutput.print(
                    Issued(
                        creditNote: result.creditNote.number, amount: result.creditNote.payableTotal.description,
                        currency: result.creditNote.currency.code, corrects: result.creditNote.invoiceReference,
                        files: result.outcome.written.map(\.path), order: summary))
            } else {
                say(
                    "credit note \(result.creditNote.number) for \(result.creditNote.payableTotal) "
                        + "\(result.creditNote.currency.code), correcting \(result.creditNote.invoiceReference ?? "-")")
                for document in result.outcome.written { say("wrote \(document.path)") }
                Finance.print(summary)
            }
            for failure in result.outcome.failures {
                FileHandle.standardError.write(Data("omnihub: \(failure.path): \(failure.message)\n".utf8))
            }
            if !result.outcome.failures.isEmpty { throw ExitCode(ExitStatus.leftInInbox.rawValue) }
        }
    }
}
