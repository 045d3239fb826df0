import ArgumentParser
import Foundation
import OmnihubCore
import OmnihubStore

/// `omnihub orders`: the orders in the store.
struct Orders: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List and show stored orders.", subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List orders, newest first.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Only orders of this channel.")
        var channel: String?

        @Option(help: "How many orders to show.")
        var limit = 50

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let store = try global.openStore(try global.loadConfiguration())
            let orders = try store.orders.list(channel: channel, limit: limit)
            if json {
                try JSONOutput.print(orders)
                return
            }
            guard !orders.isEmpty else {
                say("No orders yet. Drop files into the inbox and run: omnihub run --once")
                return
            }
            var table = TextTable(
                "ID", "CHANNEL", "ORDER", "PLACED", "CUSTOMER", "TO", "DELIVERY", "LINES", "UNITS", "STATUS")
            for order in orders {
                table.add(
                    String(order.id), order.channel, order.externalID, order.placedAt, order.customerName ?? "-",
                    order.shipToCountry ?? "-", order.deliveryMethod, String(order.lines), String(order.units),
                    order.status.rawValue)
            }
            say(table.rendered)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one order as canonical JSON.",
            discussion: "ID is omnihub's order id or the channel's order number. Exit code 4 when no order matches.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "The channel, when two channels use the same order number.")
        var channel: String?

        @Argument(help: "omnihub's order id or the channel's order number.")
        var id: String

        func run() throws {
            let store = try global.openStore(try global.loadConfiguration())
            let orders = try store.orders.matching(id, channel: channel)
            guard !orders.isEmpty else { throw CommandFailure.notFound("no order matches '\(id)'") }
            guard orders.count == 1 else {
                throw CommandFailure.notFound(
                    "\(orders.count) orders match '\(id)' (channels "
                        + orders.map(\.order.channel).joined(separator: ", ") + "); name one with --channel")
            }
            try JSONOutput.print(orders[0].order)
        }
    }
}
