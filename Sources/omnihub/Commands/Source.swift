import ArgumentParser
import Foundation
import OmnihubCore

/// `omnihub source`: a what-if sourcing run on a problem file.
struct Source: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Source a batch from a problem file and write the plan (what-if studies).",
        discussion: """
            Reads a problem in the shared format (omnihub.sourcing-problem/1), decides which node ships \
            which units with the chosen strategy, writes the plan (omnihub.sourcing-plan/1) and prints \
            its cost, parcels, split-order share and fill rate. Strategies: optimize (omnihub's batch \
            optimizer, the default), priority and distance (Magento MSI's rules). Exit code 0, or 4 when \
            the problem file cannot be read.
            """)

    enum Strategy: String, ExpressibleByArgument, CaseIterable {
        case optimize, priority, distance
    }

    @Option(help: "The problem file.")
    var problem: String

    @Option(help: "optimize, priority or distance.")
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

    func run() throws {
        let network: SourcingNetwork
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: problem))
            network = SourcingNetwork(try SourcingProblem.decode(data))
        } catch {
            fail("the problem file \(problem) cannot be read: \(error)", code: .notFound)
        }
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
}
