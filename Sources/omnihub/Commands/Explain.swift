import ArgumentParser
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

/// `omnihub explain`: why a decision was taken.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a decision omnihub took.", subcommands: [Order.self])

    struct Order: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Why an order is sourced from its nodes: the cost, part by part, and every alternative.",
            discussion: "Exit code 4 when no order matches, 78 when sourcing is not configured.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "The channel, when two channels use the same order number.")
        var channel: String?

        @Flag(help: "Print JSON instead of text.")
        var json = false

        @Argument(help: "omnihub's order id or the channel's order number.")
        var id: String

        func run() throws {
            let configuration = try global.loadConfiguration()
            let store = try global.openStore(configuration)
            guard let sourcing = OrderSourcing(configuration: configuration, store: store) else {
                throw CommandFailure.configuration(
                    "\(configuration.file) has no sourcing section; add one (see docs/sourcing.md)")
            }
            let stored = try global.singleOrder(id, channel: channel, in: store)
            let explanation = try sourcing.explain(stored, at: SystemClock.now())
            if json {
                try JSONOutput.print(explanation)
                return
            }
            say("order \(stored.id): \(stored.order.channel) \(stored.order.externalID), \(stored.status)")
            if explanation.parcels.isEmpty {
                say("nothing reserved yet: every unit waits as a backorder")
            }
            var parcels = TextTable("NODE", "LINES", "UNITS", "KM", "UNIT COSTS", "HANDLING", "SHIPPING")
            for parcel in explanation.parcels {
                parcels.add(
                    parcel.node, parcel.lines.joined(separator: ","), String(parcel.units),
                    parcel.distanceKm.map { String(Int($0.rounded())) } ?? "?", parcel.unitCosts, parcel.handling,
                    parcel.shipping)
            }
            if !explanation.parcels.isEmpty { say(parcels.rendered) }
            say(
                "split penalty \(explanation.splitPenalty), unfilled \(explanation.unfilledUnits) unit(s) "
                    + "\(explanation.unfilledPenalty), total \(explanation.total)")
            if let priced = explanation.totalAtBatchPrices {
                say("with the batch's prices for scarce stock and capacity: \(priced)")
            }
            var alternatives = TextTable("OTHER NODE", "ALONE", "WHY NOT")
            for alternative in explanation.alternatives {
                alternatives.add(alternative.node, alternative.cost ?? "-", alternative.reason)
            }
            say("\n" + alternatives.rendered)
        }
    }
}
