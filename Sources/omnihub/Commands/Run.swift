import ArgumentParser
import Foundation
import Glibc
import Logging
import OmnihubRuntime

/// `omnihub run`: import cycles over every partner's inbox.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run import cycles over every partner's inbox.",
        discussion: """
            With --once, one cycle runs and the command exits with 0, or 1 when a file was quarantined, \
            or 3 when a file could not be processed. Without it, cycles repeat every \
            inbox.poll_interval_seconds until SIGINT or SIGTERM. Either signal lets the file in hand \
            finish and then stops within seconds, also during a stability wait or a long outbox run; \
            the files not taken, sourcing and the documents not yet written wait for the next run.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Run one cycle and exit.")
    var once = false

    @Flag(help: "Print the cycle's result as JSON instead of a table.")
    var json = false

    func run() throws {
        // First, so a stop request during start-up is heard too.
        ShutdownSignal.install()
        let logger = global.logger()
        let configuration = try global.loadConfiguration()
        let store = try global.openStore(configuration)
        let cycle = Cycle(
            configuration: configuration, store: store, logger: logger,
            stopRequested: { ShutdownSignal.requested })
        cycle.removeInterruptedOutboxWrites()
        if once {
            let report = cycle.run()
            try CycleReportView(report: report).show(json: json)
            throw ExitCode(CycleReportView(report: report).exitStatus.rawValue)
        }
        logger.notice("omnihub is running; polling every \(configuration.pollInterval)")
        while !ShutdownSignal.requested {
            let report = cycle.run()
            if !report.outcomes.isEmpty || !report.failures.isEmpty {
                try CycleReportView(report: report).show(json: json)
            }
            var waited = Duration.zero
            while waited < configuration.pollInterval && !ShutdownSignal.requested {
                Thread.sleep(forTimeInterval: 0.2)
                waited += .milliseconds(200)
            }
        }
        logger.notice("omnihub stopped on request")
    }
}

/// Remembers SIGINT and SIGTERM so the daemon finishes its current file and then stops.
enum ShutdownSignal {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static var requested: Bool { flag != 0 }

    static func install() {
        signal(SIGINT) { _ in ShutdownSignal.flag = 1 }
        signal(SIGTERM) { _ in ShutdownSignal.flag = 1 }
        // A parent that blocked signals (a supervisor's thread, a test runner) hands its mask on
        // through fork and exec; unblocked here, a stop request always arrives.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
    }
}
