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
        // The service's own stop ends its loop; the shared stop, set by any service's graceful
        // shutdown, makes the work in hand finish its file and keeps new work from starting, while
        // the service group shuts the services down one by one.
        let ownStop = StopFlag()
        try await withGracefulShutdownHandler {
            while !ownStop.isSet {
                if stop.isSet {
                    try await clock.sleep(for: .milliseconds(50))
                    continue
                }
                let started = ContinuousClock.now
                let poller = self.poller
                let outcome: EndpointPoller.Outcome
                do {
                    outcome = try await onOwnThread { try poller.pollIfDue() }
                } catch {
                    logger.error("\(poller.id): the poll could not be recorded: \(error)")
                    metrics.recordPollFailure(poller, code: "store")
                    try await clock.sleep(for: tick)
                    continue
                }
                metrics.record(outcome, of: poller, took: ContinuousClock.now - started)
                var waited = Duration.zero
                while waited < tick && !ownStop.isSet && !stop.isSet {
                    try await clock.sleep(for: .milliseconds(50))
                    waited += .milliseconds(50)
                }
            }
        } onGracefulShutdown: {
            ownStop.set()
            stop.set()
        }
    }
}
