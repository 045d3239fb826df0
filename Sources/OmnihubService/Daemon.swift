import Foundation
import Glibc
package import Logging
import Metrics
import OmnihubConsole
import OmnihubCore
package import OmnihubRuntime
package import OmnihubStore
package import Prometheus
import ServiceLifecycle
import UnixSignals

/// `omnihub run` without `--once`: the cycle, every endpoint and the HTTP server as services of one
/// service group. SIGTERM or SIGINT lets the file in hand finish and stops within seconds.
package struct Daemon {
    let configuration: Configuration
    let store: OrderStore
    let logger: Logger

    package init(configuration: Configuration, store: OrderStore, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
    }

    /// The metrics registry `/metrics` serves; swift-metrics reports into it once bootstrapped.
    package static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Runs until SIGTERM or SIGINT.
    package func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        StopSignals.unblock()
        let stop = StopFlag()
        let metrics = HubMetrics()
        let health = HubHealth()
        let registry = Daemon.registry
        let cycle = Cycle(
            configuration: configuration, store: store, logger: logger, stopRequested: { stop.isSet })
        cycle.removeInterruptedOutboxWrites()
        var services: [any Service] = [
            CycleService(
                cycle: cycle, interval: configuration.pollInterval, stop: stop, metrics: metrics, health: health,
                logger: logger)
        ]
        for poller in EndpointPoller.all(
            configuration: configuration, store: store, logger: logger, stopRequested: { stop.isSet })
        {
            services.append(EndpointService(poller: poller, stop: stop, metrics: metrics, logger: logger))
        }
        if let server = configuration.server {
            let pull = PartnerPull(configuration: configuration, store: store, logger: logger)
            let console = try await WebConsole.load(configuration: configuration, store: store, logger: logger)
            services.append(
                HubServer.application(
                    server: server, pull: pull, health: health, registry: registry, logger: logger, console: console,
                    onRunning: onServerRunning))
        }
        logger.notice(
            "omnihub is running: a cycle every \(configuration.pollInterval), \(services.count - 1) other service(s)")
        // A service that ends (on the shared stop flag) shuts the others down gracefully too,
        // rather than counting as a failure of the group.
        let configured = services.map {
            ServiceGroupConfiguration.ServiceConfiguration(
                service: $0, successTerminationBehavior: .gracefullyShutdownGroup)
        }
        let group = ServiceGroup(
            configuration: .init(services: configured, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("omnihub stopped on request")
    }
}
