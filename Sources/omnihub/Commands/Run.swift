import ArgumentParser
import Foundation
import Glibc
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubService
import OmnihubStore

/// `omnihub run`: the hub once (`--once`), or the daemon.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the hub: fetch partners' files, import, source, emit, deliver.",
        discussion: """
            With --once, every partner's server is polled once, one cycle runs, and every destination \
            is delivered once; the command exits with 0, or 1 when a file was quarantined, or 3 when a \
            file or a transfer could not be done. Without it, omnihub runs as a daemon: the cycle every \
            inbox.poll_interval_seconds, each endpoint on its own schedule, and the HTTP server of the \
            server: section (health, metrics, partners' pull), until SIGINT or SIGTERM. Either signal \
            lets the file in hand finish and then stops within seconds; what was not taken, sourced, \
            written or delivered waits for the next run.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Run one cycle and exit.")
    var once = false

    @Flag(help: "Print the cycle's result as JSON instead of a table.")
    var json = false

    func run() throws {
        // First, so a stop request during start-up is heard too (the daemon's service group
        // installs its own handlers once it runs).
        if once { ShutdownSignal.install() }
        let logger = global.logger()
        let configuration = try global.loadConfiguration()
        let store = try global.openStore(configuration)
        if once {
            let progress = TerminalProgress.make(json: json)
            let cycle = Cycle(
                configuration: configuration, store: store, logger: logger,
                stopRequested: { ShutdownSignal.requested }, progress: progress?.report)
            cycle.removeInterruptedOutboxWrites()
            let pollers = EndpointPoller.all(
                configuration: configuration, store: store, logger: logger,
                stopRequested: { ShutdownSignal.requested })
            var transfersFailed = try poll(pollers.filter { $0.direction == .inbound })
            let report = cycle.run()
            progress?.finish()
            transfersFailed += try poll(pollers.filter { $0.direction == .outbound })
            let view = CycleReportView(report: report)
            try view.show(json: json)
            var status = view.exitStatus
            if transfersFailed > 0 && status == .success { status = .leftInInbox }
            throw ExitCode(status.rawValue)
        }
        let daemon = Daemon(configuration: configuration, store: store, logger: logger)
        let finished = DaemonResult()
        Task {
            do {
                try await daemon.run()
            } catch {
                finished.error = "\(error)"
            }
            finished.done.signal()
        }
        finished.done.wait()
        if let error = finished.error { throw CommandFailure(kind: .leftForNextCycle, message: error) }
    }

    /// Polls each endpoint once; returns how many failed.
    private func poll(_ pollers: [EndpointPoller]) throws -> Int {
        var failed = 0
        for poller in pollers where !ShutdownSignal.requested {
            if case .failed(let failure) = try poller.pollNow() {
                // On standard error, so `--json` output stays one JSON document.
                FileHandle.standardError.write(Data("\(poller.id): \(failure.message)\n".utf8))
                failed += 1
            }
        }
        return failed
    }
}

/// How the daemon ended, handed from its task to the command's thread.
private final class DaemonResult: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var error: String?
}

/// Remembers SIGINT and SIGTERM so `run --once` finishes its current file and then stops (the
/// daemon's service group has handlers of its own).
enum ShutdownSignal {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static var requested: Bool { flag != 0 }

    static func install() {
        signal(SIGINT) { _ in ShutdownSignal.flag = 1 }
        signal(SIGTERM) { _ in ShutdownSignal.flag = 1 }
        StopSignals.unblock()
    }
}
