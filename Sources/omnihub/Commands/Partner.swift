import ArgumentParser
import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

/// `omnihub partner`: list partners and switch their transfers without a restart.
struct Partner: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List partners, and pause, resume, disable, enable or dry-run their transfers.",
        discussion: """
            A switch is kept in the store and takes effect at the endpoint's next tick, in a running \
            daemon too. Without --inbound or --outbound it applies to both directions. `resume` and \
            `enable` also clear a stop after a permanent failure and the wait after failures, so the \
            endpoint is polled at once. A dry run lists and logs, and downloads, uploads, moves and \
            deletes nothing. Exit 4 for a partner the configuration does not name.
            """,
        subcommands: [List.self, Pause.self, Resume.self, Disable.self, Enable.self, DryRun.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List partners with their switches.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        struct Row: Encodable {
            var id: String
            var name: String
            var inbound: String
            var outbound: String
            var feeds: [String]
            var pulls: Bool
        }

        func run() throws {
            let configuration = try global.loadConfiguration()
            let switches = try global.openStore(configuration).transfers.switches()
            var names = configuration.partners.map { ($0.id, $0.name) }
            for destination in configuration.destinations where !names.contains(where: { $0.0 == destination.name }) {
                names.append((destination.name, destination.name))
            }
            let rows = names.map { id, name in
                let partner = configuration.partner(id)
                return Row(
                    id: id, name: name, inbound: (switches[id]?[.inbound] ?? .on).rawValue,
                    outbound: (switches[id]?[.outbound] ?? .on).rawValue,
                    feeds: partner?.feeds.map { "\($0.name) ← \($0.source?.endpoint.url ?? $0.folder)" } ?? [],
                    pulls: partner?.pull != nil)
            }
            if json { return try JSONOutput.print(rows) }
            var table = TextTable("PARTNER", "NAME", "INBOUND", "OUTBOUND", "PULLS", "FEEDS")
            for row in rows {
                table.add(
                    row.id, row.name, row.inbound, row.outbound, row.pulls ? "yes" : "no",
                    row.feeds.joined(separator: "; "))
            }
            say(table.rendered)
        }
    }

    /// The arguments every switch shares.
    struct Switching: ParsableArguments {
        @OptionGroup var global: GlobalOptions

        @Argument(help: "The partner's id (or an outbox destination's name).")
        var id: String

        @Flag(help: "Only files coming from the partner.")
        var inbound = false

        @Flag(help: "Only documents going to the partner.")
        var outbound = false

        func apply(_ state: PartnerSwitch) throws {
            let configuration = try global.loadConfiguration()
            guard
                configuration.partner(id) != nil || configuration.destinations.contains(where: { $0.name == id })
            else {
                throw CommandFailure.notFound("no partner or destination '\(id)' in \(configuration.file)")
            }
            let store = try global.openStore(configuration)
            let directions: [TransferDirection] =
                inbound == outbound ? TransferDirection.allCases : (inbound ? [.inbound] : [.outbound])
            for direction in directions {
                try store.transfers.setSwitch(state, partner: id, direction: direction, at: SystemClock.now())
                if state == .on { try store.transfers.clearStop(partner: id, direction: direction) }
            }
            let what = directions.map(\.rawValue).joined(separator: " and ")
            say("\(id): \(what) \(state == .on ? "on" : state.rawValue.replacingOccurrences(of: "_", with: " "))")
        }
    }

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop polling the partner until resumed.")
        @OptionGroup var switching: Switching
        func run() throws { try switching.apply(.paused) }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Poll the partner again, at once, also after a permanent failure.")
        @OptionGroup var switching: Switching
        func run() throws { try switching.apply(.on) }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Switch the partner's transfers off until enabled.")
        @OptionGroup var switching: Switching
        func run() throws { try switching.apply(.disabled) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Switch the partner's transfers on again.")
        @OptionGroup var switching: Switching
        func run() throws { try switching.apply(.on) }
    }

    struct DryRun: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dry-run", abstract: "Poll and log, but carry nothing, until resumed.")
        @OptionGroup var switching: Switching
        func run() throws { try switching.apply(.dryRun) }
    }
}
