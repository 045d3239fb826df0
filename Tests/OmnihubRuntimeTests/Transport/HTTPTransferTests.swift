import Foundation
import Logging
import OmnihubCore
import OmnihubStore
import Testing

@testable import OmnihubRuntime

@Suite("Feeds and destinations over HTTP", .serialized)
struct HTTPTransferTests {
    @Test("an HTTP feed is fetched with If-None-Match: a new answer once, an unchanged one never, a 503 retried")
    func feedWithETag() throws {
        let server = try HTTPPartnerServer()
        let world = try TestWorld.shippedSampleWorld()
        var yaml = try String(contentsOf: world.configFile, encoding: .utf8)
        yaml = yaml.replacingOccurrences(
            of: """
                      - name: orders
                        folder: inbox/webshop
                        pattern: "*.json"
                        mapping: mappings/webshop-orders.yaml
                """,
            with: """
                      - name: orders
                        folder: inbox/webshop
                        pattern: "*.json"
                        mapping: mappings/webshop-orders.yaml
                        source: {url: "http://127.0.0.1:\(server.port)/feed.json", every_seconds: 1}
                """)
        try yaml.write(to: world.configFile, atomically: true, encoding: .utf8)
        let inbox = world.root.appendingPathComponent("inbox/webshop")
        let sample = try FileManager.default.contentsOfDirectory(atPath: inbox.path)[0]
        try FileManager.default.moveItem(
            atPath: inbox.appendingPathComponent(sample).path, toPath: server.root + "/feed.json")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let clock = world.clock
        let store = try world.store()
        let poller = try #require(
            EndpointPoller.all(
                configuration: try world.configuration(), store: store, logger: logger, now: { clock.now() }
            )
            .first)

        #expect(try poller.pollIfDue() != .notDue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).count == 1)
        world.clock.advance(by: .seconds(2))
        #expect(try poller.pollIfDue() == .polled(Carried()))
        #expect(server.requests.last?.contains("If-None-Match=\"") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).count == 1)

        server.failing = true
        world.clock.advance(by: .seconds(2))
        guard case .failed(let failure) = try poller.pollIfDue() else {
            Issue.record("a 503 did not fail the poll")
            return
        }
        #expect(failure.transient)
        #expect(failure.code == "server_failure")
        server.failing = false
        world.clock.advance(by: .seconds(5))
        #expect(try poller.pollIfDue() == .polled(Carried()))
        _ = try world.cycle()
        #expect(try store.ledger.files(partner: "webshop").count == 1)
    }

    @Test("documents are PUT under their names with an Idempotency-Key, each once")
    func destination() throws {
        let server = try HTTPPartnerServer()
        let world = try TestWorld.shippedSampleWorld()
        let yaml = try String(contentsOf: world.configFile, encoding: .utf8)
        let token = "wms-" + UUID().uuidString
        try token.write(to: world.root.appendingPathComponent("wms.token"), atomically: true, encoding: .utf8)
        try
            (yaml + """

                destinations:
                  - name: DC-CENTRAL
                    url: http://127.0.0.1:\(server.port)/upload/
                    bearer_token: {file: wms.token}
                    every_seconds: 1

                """).write(to: world.configFile, atomically: true, encoding: .utf8)
        _ = try world.cycle()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = try world.store()
        let clock = world.clock
        let poller = try #require(
            EndpointPoller.all(
                configuration: try world.configuration(), store: store, logger: logger, now: { clock.now() }
            )
            .first)
        let waiting = try store.transfers.undelivered(destination: "DC-CENTRAL", endpoint: poller.id, limit: 100)
        guard case .polled(let carried) = try poller.pollIfDue() else {
            Issue.record("the delivery failed")
            return
        }
        #expect(carried.files == waiting.count)
        let uploaded = try FileManager.default.contentsOfDirectory(atPath: server.root + "/uploads").sorted()
        #expect(uploaded == waiting.map { ($0.0.path as NSString).lastPathComponent }.sorted())
        #expect(server.requests.allSatisfy { $0.hasPrefix("PUT /upload/") && $0.contains("Idempotency-Key=FO-") })
        #expect(server.requests.allSatisfy { $0.contains("Authorization=Bearer \(token)") })
        world.clock.advance(by: .seconds(2))
        #expect(try poller.pollIfDue() == .polled(Carried()))
        #expect(server.requests.count == waiting.count)
    }
}
