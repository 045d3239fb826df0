import ArgumentParser
import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

/// `omnihub order`: what customer care and store staff do to one order.
struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Cancel, take back, exchange, annotate and trace one order (customer care and store staff).",
        discussion: """
            ID is omnihub's order id or the channel's order number; --line is the order line's id as
            `omnihub orders show` prints it (or its position, from 1). Every change follows the same
            rules as the partners' files: a change that does not fit the order is refused (exit 1) and
            nothing changes. Documents for the nodes, the channel and the customer go out with the
            next run. Exit code 4 when no order matches.
            """,
        subcommands: [Cancel.self, Return.self, Exchange.self, Note.self, History.self])

    /// The options that name the order and who acts.
    struct Target: ParsableArguments {
        @Option(help: "The channel, when two channels use the same order number.")
        var channel: String?

        @Option(help: "Who does it, for the order's history (default: the login name).")
        var by: String = ProcessInfo.processInfo.environment["USER"] ?? "care"

        @Argument(help: "omnihub's order id or the channel's order number.")
        var id: String
    }

    /// The order line `text` names: by line id, else by position.
    static func line(_ text: String, of order: Order) throws -> OrderLine {
        if let line = order.lines.first(where: { $0.lineID == text }) { return line }
        if let position = Int(text), position >= 1, position <= order.lines.count { return order.lines[position - 1] }
        throw CommandFailure.notFound(
            "order \(order.externalID) has no line '\(text)'; its lines are "
                + order.lines.map(\.lineID).joined(separator: ", "))
    }

    /// The position (from 1) of `line` in `order`.
    static func position(of line: OrderLine, in order: Order) -> Int {
        (order.lines.firstIndex { $0.lineID == line.lineID } ?? 0) + 1
    }

    /// Issues the credit note for `units` of line `position` just taken back, at once (a store
    /// pays out at the counter), with the files that could not be written yet; `nil` without a
    /// finance section.
    static func creditNow(
        _ global: GlobalOptions, _ configuration: Configuration, _ store: OrderStore, orderID: Int64, position: Int,
        units: Int, reason: String, returns: [Int64], at time: Timestamp
    ) throws -> (creditNote: Invoice, failures: [CycleReport.Failure])? {
        guard configuration.finance != nil else { return nil }
        let issued = try OutboxEmitter(configuration: configuration, store: store, logger: global.logger())
            .issueCreditNote(orderID: orderID, units: [position: units], reason: reason, returns: returns, at: time)
        return (issued.creditNote, issued.outcome.failures)
    }

    /// Refuses (exit 4) a `--store` the network does not know, naming the nodes it does.
    static func requireNode(_ node: String?, in configuration: Configuration) throws {
        guard let node, configuration.network.node(node) == nil else { return }
        throw CommandFailure.notFound(
            "'\(node)' is not a node of \(configuration.file)'s network; its nodes are "
                + configuration.network.nodes.map(\.id).joined(separator: ", "))
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel units that have not shipped: the whole order, or --qty units of one --line.",
            discussion: """
                The units' reservations are released, what they were worth is refunded when the
                customer paid up front (the shipping charge too when nothing is left), the node is told
                when it was handed them, and the channel and the customer are told. Shipped units cannot be cancelled: take them back
                with `omnihub order return`.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target

        @Option(help: "The order line to cancel units of; without it every open unit is cancelled.")
        var line: String?

        @Option(help: "How many units of --line (default: every open one).")
        var qty: Int?

        @Option(help: "Why, as the channel and the customer are told.")
        var reason: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            if qty != nil && line == nil { throw ValidationError("--qty needs --line") }
            if let qty, qty < 1 { throw ValidationError("--qty must be at least 1") }
        }

        func run() throws {
            let configuration = try global.loadConfiguration()
            let store = try global.openStore(configuration)
            let stored = try global.singleOrder(target.id, channel: target.channel, in: store)
            let lines = try line.map {
                [DocumentLine(lineID: try OrderCommand.line($0, of: stored.order).lineID, quantity: qty)]
            }
            let outcome = try store.care.cancel(
                orderID: stored.id, lines: lines ?? [], reason: reason, by: target.by, at: SystemClock.now())
            guard case .cancelled(let units, let released, let whole, let refunded, _) = outcome else {
                throw CommandFailure.notFound("no order matches '\(target.id)'")
            }
            if json {
                try JSONOutput.print(
                    Cancelled(
                        order: stored.order.externalID, units: units, released: released, wholeOrder: whole,
                        refunded: refunded.description, currency: stored.order.currency.code))
            } else {
                say(
                    "cancelled \(units) unit(s) of order \(stored.order.externalID)"
                        + (whole ? " (nothing left to ship)" : "") + "; \(released) reserved unit(s) released; "
                        + "refund \(refunded) \(stored.order.currency.code)")
            }
        }

        struct Cancelled: Encodable {
            let order: String
            let units: Int
            let released: Int
            let wholeOrder: Bool
            let refunded: String
            let currency: String

            enum CodingKeys: String, CodingKey {
                case order, units, released, refunded, currency
                case wholeOrder = "whole_order"
            }
        }
    }

    struct Return: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take back shipped units, by mail or in a store (--store), and refund them.",
            discussion: """
                Units in a resellable condition (returns.resellable_conditions; no --condition counts as
                resellable) go back into --store's stock; others are booked out. With a finance section
                the credit note is issued at once and the amount to pay out is printed; exit code 3 when
                it was issued but a file could not be written yet.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target

        @Option(help: "The order line the units belong to.")
        var line: String

        @Option(help: "How many units came back.")
        var qty: Int

        @Option(help: "The store or DC that took the units back.")
        var store: String?

        @Option(help: "The state they came back in, e.g. resellable or damaged.")
        var condition: String?

        @Option(help: "Why the customer gave them back.")
        var reason: String?

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            if qty < 1 { throw ValidationError("--qty must be at least 1") }
        }

        func run() throws {
            let configuration = try global.loadConfiguration()
            let orderStore = try global.openStore(configuration)
            let stored = try global.singleOrder(target.id, channel: target.channel, in: orderStore)
            let orderLine = try OrderCommand.line(line, of: stored.order)
            try OrderCommand.requireNode(store, in: configuration)
            let now = SystemClock.now()
            let outcome = try orderStore.care.receiveReturn(
                orderID: stored.id,
                lines: [DocumentLine(lineID: orderLine.lineID, quantity: qty, reason: reason, condition: condition)],
                node: store, by: target.by, at: now, resellable: configuration.resellableConditions)
            guard case .received(let units, let restocked, let returns) = outcome else {
                throw CommandFailure.notFound("no order matches '\(target.id)'")
            }
            let credited = try OrderCommand.creditNow(
                global, configuration, orderStore, orderID: stored.id,
                position: OrderCommand.position(of: orderLine, in: stored.order), units: units,
                reason: reason ?? "returned", returns: returns, at: now)
            let creditNote = credited?.creditNote
            let failures = credited?.failures ?? []
            let currency = stored.order.currency.code
            if json {
                try JSONOutput.print(
                    Returned(
                        order: stored.order.externalID, units: units, restocked: restocked, store: store,
                        creditNote: creditNote?.number,
                        payOut: store == nil ? nil : creditNote?.payableTotal.description,
                        refund: creditNote?.payableTotal.description, currency: currency))
            } else {
                say(
                    "took back \(units) unit(s) of order \(stored.order.externalID)"
                        + (store.map { " at \($0)" } ?? "") + ", \(restocked) into stock")
                if let creditNote {
                    if store != nil {
                        say(
                            "pay out \(creditNote.payableTotal) \(currency) to the customer (credit note \(creditNote.number))"
                        )
                    } else {
                        say("refund \(creditNote.payableTotal) \(currency) by credit note \(creditNote.number)")
                    }
                } else {
                    say("no finance section: no credit note is issued and no amount is refunded")
                }
            }
            for failure in failures {
                FileHandle.standardError.write(Data("omnihub: \(failure.path): \(failure.message)\n".utf8))
            }
            if !failures.isEmpty { throw ExitCode(ExitStatus.leftInInbox.rawValue) }
        }

        struct Returned: Encodable {
            let order: String
            let units: Int
            let restocked: Int
            let store: String?
            let creditNote: String?
            let payOut: String?
            let refund: String?
            let currency: String

            enum CodingKeys: String, CodingKey {
                case order, units, restocked, store, refund, currency
                case creditNote = "credit_note"
                case payOut = "pay_out"
            }
        }
    }

    struct Exchange: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exchange units of a line for another article (another size or colour).",
            discussion: """
                The old units are cancelled when they have not shipped, or, with --returned, taken back
                (at --store, in --condition, as `omnihub order return` does). The new article goes to the
                customer in a replacement order <order>-X<n>: sourced, reserved, shipped and invoiced like
                any order, never told to the channel, and confirmed to the customer as an exchange. It
                costs what the old units were paid unless --price gives its unit price; the payment side
                is told to pay out only the difference (pay_out in the refund document), and the command
                prints it. Exit code 3 when a credit note was issued but a file could not be written yet.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target

        @Option(help: "The order line whose units are exchanged.")
        var line: String

        @Option(help: "How many units.")
        var qty = 1

        @Option(help: "The article the customer gets instead.")
        var sku: String

        @Option(help: "The new article's unit price, on the order's price basis (default: what the old units cost).")
        var price: String?

        @Flag(help: "The units shipped and came back (at --store, in --condition); else they have not shipped yet.")
        var returned = false

        @Option(help: "With --returned: the store or DC that took the units back.")
        var store: String?

        @Option(help: "With --returned: the state they came back in, e.g. resellable or damaged.")
        var condition: String?

        @Option(help: "Why, for the order's history (default: exchanged for --sku).")
        var reason: String?

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            if qty < 1 { throw ValidationError("--qty must be at least 1") }
            if sku.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--sku must name an article") }
            if !returned && (store != nil || condition != nil) {
                throw ValidationError("--store and --condition are for units that came back: add --returned")
            }
            if let price, Amount(parsing: price).map({ $0 < .zero }) ?? true {
                throw ValidationError("--price '\(price)' is not an amount of at least 0, e.g. 59.90")
            }
        }

        func run() throws {
            let configuration = try global.loadConfiguration()
            let orderStore = try global.openStore(configuration)
            let stored = try global.singleOrder(target.id, channel: target.channel, in: orderStore)
            let orderLine = try OrderCommand.line(line, of: stored.order)
            try OrderCommand.requireNode(store, in: configuration)
            let position = OrderCommand.position(of: orderLine, in: stored.order)
            let done = try OrderExchanger(configuration: configuration, store: orderStore, logger: global.logger())
                .exchange(
                    orderID: stored.id, position: position, units: qty, sku: sku,
                    unitPrice: price.flatMap { Amount(parsing: $0) }, returned: returned, node: store,
                    condition: condition, reason: reason, by: target.by,
                    at: SystemClock.now())
            let exchange = done.exchange
            let creditNote = done.creditNote
            let credited = done.credited
            let difference = done.difference
            let failures = done.failures
            let currency = stored.order.currency.code
            if json {
                try JSONOutput.print(
                    Exchanged(
                        order: stored.order.externalID, replacement: exchange.replacement.externalID,
                        cancelled: exchange.cancelled, returned: exchange.returned, restocked: exchange.restocked,
                        creditNote: creditNote?.number, oldWorth: exchange.oldWorth.description,
                        newTotal: exchange.newTotal.description, payOut: difference?.description, currency: currency))
            } else {
                say(
                    "exchanged \(qty) × \(orderLine.sku) of order \(stored.order.externalID) for \(sku): replacement order "
                        + "\(exchange.replacement.externalID), \(exchange.newTotal) \(currency)")
                if exchange.returned > 0 {
                    let place = store.map { " at \($0)" } ?? ""
                    let note = creditNote.map { "; credit note \($0.number)" } ?? ""
                    say("took back \(exchange.returned) unit(s)\(place), \(exchange.restocked) into stock\(note)")
                } else {
                    say("cancelled \(exchange.cancelled) unit(s) not shipped yet")
                }
                if let difference, difference > .zero {
                    say("pay out \(difference) \(currency) to the customer (\(credited) back, less the replacement)")
                } else if let difference, difference < .zero {
                    say("the customer owes \(.zero - difference) \(currency) (\(credited) back, less the replacement)")
                } else if difference != nil {
                    say("nothing to settle: the new article costs what the old units were paid")
                } else {
                    say("nothing to settle now: the replacement is invoiced like the original order")
                }
            }
            if try !orderStore.stock.levels(sku: sku).contains(where: { $0.onHand > 0 }) {
                FileHandle.standardError.write(
                    Data(
                        "omnihub: warning: no node has \(sku) on hand; the replacement waits as a backorder until stock arrives\n"
                            .utf8))
            }
            for failure in failures { FileHandle.standardError.write(Data("omnihub: \(failure)\n".utf8)) }
            if !failures.isEmpty { throw ExitCode(ExitStatus.leftInInbox.rawValue) }
        }

        struct Exchanged: Encodable {
            let order: String
            let replacement: String
            let cancelled: Int
            let returned: Int
            let restocked: Int
            let creditNote: String?
            let oldWorth: String
            let newTotal: String
            /// What the old units give back less what the replacement costs: paid out when
            /// positive, owed by the customer when negative; absent when the customer pays later.
            let payOut: String?
            let currency: String

            enum CodingKeys: String, CodingKey {
                case order, replacement, cancelled, returned, restocked, currency
                case creditNote = "credit_note"
                case oldWorth = "old_worth"
                case newTotal = "new_total"
                case payOut = "pay_out"
            }
        }
    }

    struct Note: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a note to an order's history.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target

        @Argument(help: "The note.")
        var text: String

        func run() throws {
            let store = try global.openStore(try global.loadConfiguration())
            let stored = try global.singleOrder(target.id, channel: target.channel, in: store)
            try store.care.addNote(orderID: stored.id, text: text, by: target.by, at: SystemClock.now())
            say("noted on order \(stored.order.externalID)")
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Where each line's units are, and every event and document of the order in time order.",
            discussion: "--json prints {\"lines\": [...], \"events\": [...]}.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "The channel, when two channels use the same order number.")
        var channel: String?

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @Argument(help: "omnihub's order id or the channel's order number.")
        var id: String

        func run() throws {
            let store = try global.openStore(try global.loadConfiguration())
            let stored = try global.singleOrder(id, channel: channel, in: store)
            let events = try store.care.history(orderID: stored.id)
            let lines = try store.care.lines(orderID: stored.id)
            if json {
                try JSONOutput.print(Trail(lines: lines, events: events))
                return
            }
            say("order \(stored.order.externalID) (\(stored.order.channel)), \(stored.status.rawValue)")
            var units = TextTable(
                "LINE", "SKU", "ORDERED", "WAITING", "RESERVED", "HANDED OVER", "SHIPPED", "PICKED UP", "RETURNED",
                "CANCELLED")
            for line in lines {
                units.add(
                    line.lineID, line.sku, String(line.ordered), String(line.waiting), String(line.reserved),
                    String(line.handedOver), String(line.shipped), String(line.pickedUp), String(line.returned),
                    String(line.cancelled))
            }
            say(units.rendered)
            var table = TextTable("AT", "EVENT", "DETAIL")
            for event in events { table.add(event.at, event.event, event.detail) }
            say(table.rendered)
        }

        /// What `--json` prints.
        struct Trail: Encodable {
            let lines: [OrderCare.LineProgress]
            let events: [OrderCare.Event]
        }
    }
}
