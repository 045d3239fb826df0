import Foundation
import Hummingbird
import Logging
import OmnihubConsole
import OmnihubService
import OmnihubStore
import Prometheus
import Testing

@testable import OmnihubRuntime

/// Runs the daemon's HTTP server for `configuration` on a free loopback port, hands `body` its
/// base address, and stops the server when `body` returns.
func withHubServer(
    _ configuration: Configuration, _ store: OrderStore, console: WebConsole? = nil,
    _ body: (String) async throws -> Void
) async throws {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let port = BoundPort()
    let app = HubServer.application(
        server: .init(host: "127.0.0.1", port: 0),
        pull: PartnerPull(configuration: configuration, store: store, logger: logger), health: HubHealth(),
        registry: PrometheusCollectorRegistry(), logger: logger, console: console,
        onRunning: { bound in port.set(bound) })
    let server = Task { try await app.runService() }
    defer { server.cancel() }
    var waited = 0
    while port.value == nil && waited < 200 {
        try await Task.sleep(for: .milliseconds(50))
        waited += 1
    }
    let bound = try #require(port.value)
    try await body("http://127.0.0.1:\(bound)")
}

/// The port the server bound, set on the server's thread and read by the test's. An `NSLock`,
/// which ThreadSanitizer sees through (it does not see through `Synchronization.Mutex`).
private final class BoundPort: @unchecked Sendable {
    private let lock = NSLock()
    private var port: Int?

    var value: Int? { lock.withLock { port } }

    func set(_ port: Int) { lock.withLock { self.port = port } }
}
