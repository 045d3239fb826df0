import ArgumentParser
import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

/// `omnihub source`: a what-if sourcing run on a problem file.
struct Source: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Source the open orders and reserve their stock, or a batch from a problem file (what-if).",
        discussion: """
            Without --problem: sources every open order in the store against the network's available \
            stock with the strategy of omnihub.yaml's sourcing section, and reserves the chosen units in \
            the same transaction; lines without stock stay open as backorders. With --problem: reads a \
            problem in the shared format (omnihub.sourcing-problem/1), decides which node ships which \
            units, writes the plan (omnihub.sourcing-plan/1) and prints its cost, parcels, split-order \
            share and fill rate. Strategies: optimize (omnihub's batch optimizer), priority and distance \
            (Magento MSI's rules). Exit code 0; 4 when the problem file cannot be read; 78 when sourcing \
            is not configured.
            """)

    enum Strategy: String, ExpressibleByArgument, CaseIterable {
        case optimize, priority, distance
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: "A problem file for a what-if run; without it, the store's open orders are sourced.")
    var problem: String?

    @Option(help: "optimize, priority or distance (what-if runs; the store uses omnihub.yaml's).")
    var strategy: Strategy = .optimize

    @Option(name: .shortAndLong, help: "Where to write the plan.")
    var output: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    struct Report: Encodable {
        let strategy: String
        let seconds: Double
        let summary: SourcingSummary
    }

    /// The sourcing problem in the file at `path`; its bytes are let go of once it is decoded.
    private static func problem(at path: String) throws -> SourcingProblem {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure.notFound("the problem file \(path) cannot be read: \(error)")
        }
        do {
            return try SourcingProblem.decode(data)
        } catch {
            throw CommandFailure(
                kind: .rejected, message: "the problem file \(path) is not a sourcing problem: \(error)")
        }
    }

    func run() throws {
        guard let problem else {
            try sourceStore()
            return
        }
        let network = SourcingNetwork(try Self.problem(at: problem))
        let clock = ContinuousClock()
        var plan: SourcingPlan?
        let elapsed = clock.measure {
            switch strategy {
            case .optimize: plan = BatchOptimizer().plan(network)
            case .priority: plan = RuleBasedSourcing.plan(network, rule: .priority)
            case .distance: plan = RuleBasedSourcing.plan(network, rule: .distance)
            }
        }
        guard let plan else { return }
        if let output {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(plan).write(to: URL(fileURLWithPath: output))
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let summary = SourcingSummary(plan, network)
        if json {
            try JSONOutput.print(Report(strategy: strategy.rawValue, seconds: seconds, summary: summary))
        } else {
            say(
                "\(strategy.rawValue): cost \(summary.cost), \(summary.parcels) parcels, "
                    + String(
                        format: "split %.1f%%, fill %.2f%%, %.2f s", summary.splitShare * 100, summary.fillRate * 100,
                        seconds))
        }
    }

    private func sourceStore() throws {
        _ = global.logger()
        let configuration = try global.loadConfiguration()
        let store = try global.openStore(configuration)
        guard let sourcing = OrderSourcing(configuration: configuration, store: store) else {
            throw CommandFailure.configuration(
                "\(configuration.file) has no sourcing section; add one (see docs/sourcing.md)")
        }
        // This command lists every reservation it made, however many.
        let outcome = try sourcing.run(at: SystemClock.now(), listing: .max)
        let reservations = outcome.reservations
        if json {
            try JSONOutput.print(reservations.map(ReservationView.init))
            return
        }
        guard !reservations.isEmpty else {
            say("Nothing to reserve: no open order has stock available for it.")
            return
        }
        var table = TextTable("ORDER", "LINE", "SKU", "NODE", "UNITS")
        for reservation in reservations {
            table.add(
                String(reservation.orderID), String(reservation.position), reservation.sku, reservation.node,
                String(reservation.quantity))
        }
        say(table.rendered)
        say(
            "\n\(outcome.units) unit(s) reserved for \(outcome.orders) order(s)."
        )
    }
}

/// A reservation as `omnihub source --json` prints it.
struct ReservationView: Encodable {
    let orderID: Int64
    let line: Int
    let sku: String
    let node: String
    let units: Int

    init(_ reservation: Reservation) {
        orderID = reservation.orderID
        line = reservation.position
        sku = reservation.sku
        node = reservation.node
        units = reservation.quantity
    }

    enum CodingKeys: String, CodingKey {
        case line, sku, node, units
        case orderID = "order_id"
    }
}
