import Foundation
import Logging
import OmnihubCore
import OmnihubStore
import Testing

@testable import OmnihubRuntime

@Suite("Documents delivered to partners' servers", .serialized)
struct DeliveryTests {
    /// The shipped sample world after one cycle, with DC-CENTRAL's fulfilment orders delivered by
    /// SFTP to a folder on a loopback server.
    struct World {
        let world: TestWorld
        let server: SFTPServer
        let incoming: String
        let store: OrderStore
        let poller: EndpointPoller

        init() throws {
            world = try TestWorld.shippedSampleWorld()
            server = try SFTPServer()
            incoming = try server.scratch.folder("incoming")
            let yaml = try String(contentsOf: world.configFile, encoding: .utf8)
            try
                (yaml + """

                    destinations:
                      - name: DC-CENTRAL
                        url: sftp://127.0.0.1:\(server.port)\(incoming)/
                        user: \(server.user)
                        private_key: \(server.userKey)
                        host_key: {known_hosts: \(server.knownHosts)}
                        every_seconds: 1

                    """).write(to: world.configFile, atomically: true, encoding: .utf8)
            _ = try world.cycle()
            store = try world.store()
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let clock = world.clock
            let found = EndpointPoller.all(
                configuration: try world.configuration(), store: store, logger: logger, now: { clock.now() })
            poller = try #require(found.first { $0.id == "DC-CENTRAL/outbound" })
        }

        func waiting() throws -> [(OutboundDocument, [UInt8])] {
            try store.transfers.undelivered(destination: "DC-CENTRAL", endpoint: poller.id, limit: 1000)
        }

        func delivered() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []).sorted()
        }
    }

    @Test("each document is uploaded under a temporary name, renamed, and delivered once")
    func deliveredOnce() throws {
        let remote = try World()
        let documents = try remote.waiting()
        #expect(!documents.isEmpty)
        guard case .polled(let carried) = try remote.poller.pollIfDue() else {
            Issue.record("the delivery failed")
            return
        }
        #expect(carried.files == documents.count)
        #expect(remote.delivered() == documents.map { ($0.0.path as NSString).lastPathComponent }.sorted())
        for (document, bytes) in documents {
            let name = (document.path as NSString).lastPathComponent
            #expect(FileManager.default.contents(atPath: remote.incoming + "/" + name).map(Array.init) == bytes)
        }
        #expect(try remote.waiting().isEmpty)
        remote.world.clock.advance(by: .seconds(2))
        #expect(try remote.poller.pollIfDue() == .polled(Carried()))
    }

    @Test("a file of the name with other bytes is never overwritten: that document waits, the others go")
    func clash() throws {
        let remote = try World()
        let documents = try remote.waiting()
        let first = (documents[0].0.path as NSString).lastPathComponent
        try Data("the partner's own file".utf8).write(to: URL(fileURLWithPath: remote.incoming + "/" + first))
        guard case .failed(let failure) = try remote.poller.pollIfDue() else {
            Issue.record("the clash was not reported")
            return
        }
        #expect(failure.code == "already_there")
        #expect(failure.transient)
        #expect(try String(contentsOfFile: remote.incoming + "/" + first, encoding: .utf8) == "the partner's own file")
        #expect(try remote.waiting().map(\.0.number) == [documents[0].0.number])
        #expect(remote.delivered().count == documents.count)
        let counted = try remote.store.transfers.endpoint(remote.poller.id, partner: "DC-CENTRAL", direction: .outbound)
        #expect(counted.files == Int64(documents.count - 1))
        #expect(counted.failuresInRow == 1)

        try FileManager.default.removeItem(atPath: remote.incoming + "/" + first)
        remote.world.clock.advance(by: .seconds(5))
        guard case .polled(let carried) = try remote.poller.pollIfDue() else {
            Issue.record("the waiting document was not delivered")
            return
        }
        #expect(carried.files == 1)
        #expect(try remote.waiting().isEmpty)
    }

    @Test("a file already there with the same bytes (a run that died before recording it) counts as delivered")
    func alreadyDelivered() throws {
        let remote = try World()
        let documents = try remote.waiting()
        let (document, bytes) = documents[0]
        let name = (document.path as NSString).lastPathComponent
        try Data(bytes).write(to: URL(fileURLWithPath: remote.incoming + "/" + name))
        guard case .polled(let carried) = try remote.poller.pollIfDue() else {
            Issue.record("the delivery failed")
            return
        }
        #expect(carried.files == documents.count)
        #expect(try remote.waiting().isEmpty)
    }
}
