package import Logging
import OmnihubCore
package import OmnihubRuntime
import ServiceLifecycle

/// One endpoint as a service: it asks its poller every tick whether a poll is due, so the
/// endpoint keeps its own schedule and backoff, and one endpoint is never polled twice at once.
package struct EndpointService: Service, CustomStringConvertible {
    let poller: EndpointPoller
    let tick: Duration
    let stop: StopFlag
    let metrics: HubMetrics
    let clock: any Clock<Duration>
    let logger: Logger

    package init(
        poller: EndpointPoller, tick: Duration = .seconds(1), stop: StopFlag, metrics: HubMetrics,
        clock: any Clock<Duration> = ContinuousClock(), logger: Logger
    ) {
        self.poller = poller
        self.tick = tick
        self.stop = stop
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    package var description: String { "endpoint \(poller.id)" }

    package func run() async throws {
        try await repeatRounds(every: tick, stop: stop, clock: clock) {
            let started = ContinuousClock.now
            let poller = self.poller
            do {
                let outcome = try await onOwnThread { try poller.pollIfDue() }
                metrics.record(outcome, of: poller, took: ContinuousClock.now - started)
            } catch {
                logger.error("\(poller.id): the poll could not be recorded: \(error)")
                metrics.recordPollFailure(poller, code: "store")
            }
        }
    }
}
