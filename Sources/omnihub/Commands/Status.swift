import ArgumentParser
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

/// `omnihub status`: each endpoint's health, what it carried, its backlog and stale feeds.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every partner endpoint: last success, last error, files and orders, backlog, stale feeds.",
        discussion: """
            An endpoint is flagged after it failed the configured number of polls in a row \
            (flag_after_failures, 3 by default), stale when no new file came for longer than the \
            feed's expect_every_hours, and stopped after a permanent failure (a refused login, a host key \
            that does not match) until `omnihub partner resume`. Exit 0, or 1 when an endpoint is \
            flagged, stopped or stale.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let configuration = try global.loadConfiguration()
        let store = try global.openStore(configuration)
        let statuses = try HubStatus.gather(configuration: configuration, store: store, now: SystemClock.now())
        let troubled = statuses.contains { $0.flagged || $0.stoppedBecause != nil || $0.stale }
        if json {
            try JSONOutput.print(statuses)
        } else if statuses.isEmpty {
            say("No partner endpoints are configured: every feed is a local folder, every destination the outbox.")
        } else {
            var table = TextTable(
                "ENDPOINT", "DIRECTION", "STATE", "LAST SUCCESS", "FILES", "ORDERS", "BACKLOG", "FAILURES", "HEALTH")
            for status in statuses {
                table.add(
                    status.endpoint, status.direction.rawValue, status.state.rawValue,
                    status.lastSuccessAt?.description ?? "never", String(status.files),
                    status.orders.map(String.init) ?? "-", String(status.backlog), String(status.failuresInRow),
                    health(status))
            }
            say(table.rendered)
            for status in statuses where status.lastError != nil && status.failuresInRow > 0 {
                say("\(status.endpoint): \(status.lastError ?? "")")
            }
        }
        if troubled { throw ExitCode(ExitStatus.rejected.rawValue) }
    }

    private func health(_ status: EndpointStatus) -> String {
        if status.stoppedBecause != nil { return "stopped (\(status.lastErrorCode ?? "error"))" }
        if status.flagged { return "flagged (\(status.lastErrorCode ?? "error"))" }
        if status.stale { return "stale" }
        if let retry = status.retryAt { return "retry at \(retry)" }
        return "ok"
    }
}
