package import Logging
import OmnihubCore
package import OmnihubRuntime
import ServiceLifecycle

/// The hub's cycle as a service: collect, import, source and emit every `inbox.poll_interval`.
/// A stop request lets the file in hand finish, then the service ends.
package struct CycleService: Service, CustomStringConvertible {
    let cycle: Cycle
    let interval: Duration
    let stop: StopFlag
    let metrics: HubMetrics
    let health: HubHealth
    let clock: any Clock<Duration>
    let logger: Logger

    package init(
        cycle: Cycle, interval: Duration, stop: StopFlag, metrics: HubMetrics, health: HubHealth,
        clock: any Clock<Duration> = ContinuousClock(), logger: Logger
    ) {
        self.cycle = cycle
        self.interval = interval
        self.stop = stop
        self.metrics = metrics
        self.health = health
        self.clock = clock
        self.logger = logger
    }

    package var description: String { "the cycle" }

    package func run() async throws {
        try await repeatRounds(every: interval, stop: stop, clock: clock) {
            let started = ContinuousClock.now
            let cycle = self.cycle
            let report = try await onOwnThread { cycle.run() }
            metrics.record(report, took: ContinuousClock.now - started)
            health.cycleEnded(report)
            if !report.outcomes.isEmpty || !report.failures.isEmpty {
                let summary =
                    "cycle: \(report.outcomes.count) file(s), \(report.documentsImported) order(s), "
                    + "\(report.documentsWrittenCount) document(s), \(report.failures.count) failure(s)"
                logger.info("\(summary)")
            }
        }
    }
}
