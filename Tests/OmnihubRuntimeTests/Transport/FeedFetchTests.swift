import Dispatch
import Foundation
import Logging
import OmnihubCore
import OmnihubStore
import Testing

@testable import OmnihubRuntime

/// A world whose Amazon feed is fetched from an SFTP server on loopback.
struct RemoteFeedWorld {
    let world: TestWorld
    let server: SFTPServer
    /// The server's folder the partner drops its files in.
    let outgoing: String

    init(afterImport: String = "move to done", extra: String = "") throws {
        world = try TestWorld()
        server = try SFTPServer()
        outgoing = try server.scratch.folder("outgoing")
        try """
        store:
          path: var/omnihub.sqlite
        inbox:
          stable_after_seconds: 2
        partners:
          - id: amazon-de
            feeds:
              - name: orders
                folder: inbox/amazon-de
                pattern: "*.tsv"
                mapping: mappings/amazon-de-orders.yaml
                source:
                  url: sftp://127.0.0.1:\(server.port)\(outgoing)/
                  user: \(server.user)
                  private_key: \(server.userKey)
                  host_key: {sha256: "\(server.hostKeyFingerprint)"}
                  after_import: \(afterImport)
                  every_seconds: 1
                  max_backoff_seconds: 60
                  connect_timeout_seconds: 3
                  stall_seconds: 3
        \(extra)
        """.write(to: world.configFile, atomically: true, encoding: .utf8)
    }

    /// The endpoint poller of the feed, on the world's clock, with no jitter.
    func poller() throws -> EndpointPoller {
        let clock = world.clock
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let configuration = try world.configuration()
        let store = try world.store()
        let fetcher = EndpointPoller.all(
            configuration: configuration, store: store, logger: logger, now: { clock.now() }
        )
        .first!
        return EndpointPoller(
            work: fetcher.work, schedule: fetcher.schedule, store: store, logger: logger, now: { clock.now() },
            jitter: { 0 })
    }

    /// Writes a file in the partner's folder.
    func drop(_ name: String, _ content: String) throws {
        try Data(content.utf8).write(to: URL(fileURLWithPath: outgoing + "/" + name))
    }

    func remoteFiles(_ subfolder: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: outgoing + subfolder)) ?? []).sorted()
    }

    func carried(_ outcome: EndpointPoller.Outcome) -> Int? {
        if case .polled(let carried) = outcome { return carried.files }
        return nil
    }
}

@Suite("Feeds fetched from partners' servers", .serialized)
struct FeedFetchTests {
    let orders = AmazonReport.file(AmazonReport.row(order: "302-1000001-0000001", item: "11"))

    @Test("a file is taken once stable, imported once, and moved to done/ only after the ledger holds it")
    func fetchImportSettle() throws {
        let remote = try RemoteFeedWorld()
        try remote.drop("orders-1.tsv", orders)
        let poller = try remote.poller()

        #expect(remote.carried(try poller.pollIfDue()) == 0)  // first sighting
        remote.world.clock.advance(by: .milliseconds(500))
        #expect(try poller.pollIfDue() == .notDue)  // the interval has not passed
        remote.world.clock.advance(by: .seconds(3))
        #expect(remote.carried(try poller.pollIfDue()) == 1)
        #expect(try remote.world.inboxFiles() == ["orders-1.tsv"])
        #expect(remote.remoteFiles() == ["orders-1.tsv"])

        // Not settled before the ledger holds it: the file stays on the server.
        remote.world.clock.advance(by: .seconds(2))
        #expect(remote.carried(try poller.pollIfDue()) == 0)
        #expect(remote.remoteFiles().contains("orders-1.tsv"))

        let report = try remote.world.cycle()
        #expect(report.outcomes.count == 1)
        remote.world.clock.advance(by: .seconds(2))
        #expect(remote.carried(try poller.pollIfDue()) == 0)
        #expect(remote.remoteFiles() == ["done"])
        #expect(remote.remoteFiles("/done") == ["orders-1.tsv"])

        remote.world.clock.advance(by: .seconds(10))
        #expect(remote.carried(try poller.pollIfDue()) == 0)
        #expect(try remote.world.store().orders.count() == 1)
        #expect(try remote.world.store().ledger.files().count == 1)
    }

    @Test("a file still being written is not taken until two listings see it unchanged")
    func stillBeingWritten() throws {
        let remote = try RemoteFeedWorld()
        let poller = try remote.poller()
        try remote.drop("orders-1.tsv", String(orders.prefix(40)))
        _ = try poller.pollIfDue()
        remote.world.clock.advance(by: .seconds(3))
        try remote.drop("orders-1.tsv", String(orders.prefix(120)))
        #expect(remote.carried(try poller.pollIfDue()) == 0)
        remote.world.clock.advance(by: .seconds(3))
        try remote.drop("orders-1.tsv", orders)
        #expect(remote.carried(try poller.pollIfDue()) == 0)
        remote.world.clock.advance(by: .seconds(3))
        #expect(remote.carried(try poller.pollIfDue()) == 1)
        let fetched = try String(contentsOf: remote.world.inbox.appendingPathComponent("orders-1.tsv"), encoding: .utf8)
        #expect(fetched == orders)
    }

    @Test("with a marker, a file is taken once its .ok file is there, and never the marker itself")
    func marker() throws {
        let remote = try RemoteFeedWorld()
        try String(contentsOf: remote.world.configFile, encoding: .utf8)
            .replacingOccurrences(of: "after_import: move to done", with: "after_import: delete\n          marker: .ok")
            .write(to: remote.world.configFile, atomically: true, encoding: .utf8)
        let poller = try remote.poller()
        try remote.drop("orders-1.tsv", orders)
        #expect(remote.carried(try poller.pollIfDue()) == 0)
        try remote.drop("orders-1.tsv.ok", "")
        remote.world.clock.advance(by: .seconds(2))
        #expect(remote.carried(try poller.pollIfDue()) == 1)
        _ = try remote.world.cycle()
        remote.world.clock.advance(by: .seconds(2))
        _ = try poller.pollIfDue()
        #expect(remote.remoteFiles() == ["orders-1.tsv.ok"])
    }

    @Test("a restart at each step of a fetch loses nothing and imports nothing twice")
    func restartAtEachStep() throws {
        let remote = try RemoteFeedWorld()
        try remote.drop("orders-1.tsv", orders)
        let store = try remote.world.store()
        let poller = try remote.poller()
        _ = try poller.pollIfDue()
        remote.world.clock.advance(by: .seconds(3))

        // Died after the fetch was recorded, before the file reached the inbox: fetched again.
        let listed = try #require(
            try store.transfers.remoteFile(
                endpoint: "amazon-de/orders", name: "orders-1.tsv", size: Int64(orders.utf8.count),
                modified: Int64(
                    (try FileManager.default.attributesOfItem(atPath: remote.outgoing + "/orders-1.tsv")[
                        .modificationDate] as! Date).timeIntervalSince1970)))
        try store.transfers.recordFetch(
            endpoint: listed.endpoint, name: listed.name, size: listed.size, modified: listed.modified,
            sha256: SHA256.hex(of: Array(orders.utf8)), inboxPath: remote.world.inbox.path + "/orders-1.tsv",
            at: remote.world.clock.now())
        #expect(remote.carried(try poller.pollIfDue()) == 1)
        #expect(try remote.world.inboxFiles() == ["orders-1.tsv"])

        // Died after the rename, before the import: the file waits in the inbox, not fetched again.
        remote.world.clock.advance(by: .seconds(2))
        #expect(remote.carried(try poller.pollIfDue()) == 0)

        // Died after the import, before the partner's copy was moved: moved at the next poll.
        _ = try remote.world.cycle()
        remote.world.clock.advance(by: .seconds(2))
        _ = try poller.pollIfDue()
        #expect(remote.remoteFiles("/done") == ["orders-1.tsv"])

        // The partner sends the same bytes again under another name: the ledger knows them.
        try remote.drop("orders-1-again.tsv", orders)
        for _ in 0..<3 {
            remote.world.clock.advance(by: .seconds(3))
            _ = try poller.pollIfDue()
        }
        _ = try remote.world.cycle()
        #expect(try store.orders.count() == 1)
    }

    @Test("a server outage fails the polls with growing pauses, loses and doubles nothing, and is in the status")
    func outage() throws {
        let remote = try RemoteFeedWorld()
        let store = try remote.world.store()
        let poller = try remote.poller()
        try remote.drop("orders-1.tsv", orders)
        _ = try poller.pollIfDue()
        remote.server.stop()

        remote.world.clock.advance(by: .seconds(3))
        guard case .failed(let first) = try poller.pollIfDue() else { Issue.record("the poll did not fail"); return }
        #expect(first.transient)
        var state = try store.transfers.endpoint("amazon-de/orders", partner: "amazon-de", direction: .inbound)
        #expect(state.failuresInRow == 1)
        #expect(state.lastError?.contains("unreachable") == true || state.lastErrorCode == "unreachable")
        #expect(state.retryAt?.millisecondsSince1970 == remote.world.clock.now().millisecondsSince1970 + 1000)

        remote.world.clock.advance(by: .seconds(1))
        guard case .failed = try poller.pollIfDue() else { Issue.record("the second poll did not fail"); return }
        state = try store.transfers.endpoint("amazon-de/orders", partner: "amazon-de", direction: .inbound)
        #expect(state.failuresInRow == 2)
        #expect(state.retryAt?.millisecondsSince1970 == remote.world.clock.now().millisecondsSince1970 + 2000)
        remote.world.clock.advance(by: .seconds(1))
        #expect(try poller.pollIfDue() == .notDue)  // waiting out the pause

        try remote.server.start()
        remote.world.clock.advance(by: .seconds(1))
        #expect(remote.carried(try poller.pollIfDue()) == 1)
        state = try store.transfers.endpoint("amazon-de/orders", partner: "amazon-de", direction: .inbound)
        #expect(state.failuresInRow == 0)
        #expect(state.retryAt == nil)
        #expect(state.lastSuccessAt != nil)
        _ = try remote.world.cycle()
        #expect(try store.orders.count() == 1)
    }

    @Test("a wrong host key stops the endpoint until the partner is resumed")
    func wrongHostKeyStops() throws {
        let remote = try RemoteFeedWorld()
        let wrong = "SHA256:" + String(repeating: "A", count: 43)
        try String(contentsOf: remote.world.configFile, encoding: .utf8)
            .replacingOccurrences(of: remote.server.hostKeyFingerprint, with: wrong)
            .write(to: remote.world.configFile, atomically: true, encoding: .utf8)
        let store = try remote.world.store()
        let poller = try remote.poller()
        guard case .failed(let failure) = try poller.pollIfDue() else { Issue.record("no failure"); return }
        #expect(!failure.transient)
        #expect(failure.code == "host_key_mismatch")
        remote.world.clock.advance(by: .seconds(3600))
        #expect(try poller.pollIfDue() == .skipped("stopped"))
        try store.transfers.clearStop(partner: "amazon-de", direction: .inbound)
        guard case .failed = try poller.pollIfDue() else { Issue.record("resumed but not polled"); return }
    }

    @Test("a paused partner is not polled; in a dry run nothing is fetched")
    func switches() throws {
        let remote = try RemoteFeedWorld()
        let store = try remote.world.store()
        let poller = try remote.poller()
        try remote.drop("orders-1.tsv", orders)
        try store.transfers.setSwitch(.paused, partner: "amazon-de", direction: .inbound, at: remote.world.clock.now())
        #expect(try poller.pollIfDue() == .skipped("paused"))
        try store.transfers.setSwitch(.dryRun, partner: "amazon-de", direction: .inbound, at: remote.world.clock.now())
        for _ in 0..<3 {
            _ = try poller.pollIfDue()
            remote.world.clock.advance(by: .seconds(3))
        }
        #expect(try remote.world.inboxFiles() == [])
        try store.transfers.setSwitch(.on, partner: "amazon-de", direction: .inbound, at: remote.world.clock.now())
        #expect(remote.carried(try poller.pollIfDue()) == 1)
    }
}

@Suite("A server that goes away mid-transfer", .serialized)
struct MidTransferTests {
    @Test("sshd killed during a download: a transient failure, nothing half in the inbox, the whole file next time")
    func serverGoneMidTransfer() throws {
        let remote = try RemoteFeedWorld()
        let header = AmazonReport.file(AmazonReport.row(order: "302-1000001-0000001", item: "11"))
        // A large file, so the download is still running when the server goes away.
        var big = Data(header.utf8)
        big.append(Data(repeating: UInt8(ascii: "#"), count: 24 << 20))
        try big.write(to: URL(fileURLWithPath: remote.outgoing + "/big.tsv"))
        let poller = try remote.poller()
        _ = try poller.pollIfDue()
        remote.world.clock.advance(by: .seconds(3))

        let staging = remote.world.root.appendingPathComponent("var/staging/amazon-de").path
        let server = remote.server
        let killed = DispatchSemaphore(value: 0)
        let killer = Thread {
            defer { killed.signal() }
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let partial = (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []
                if let name = partial.first,
                    let size = try? FileManager.default.attributesOfItem(atPath: staging + "/" + name)[.size] as? Int,
                    size > 0
                {
                    server.stop()
                    return
                }
                usleep(200)
            }
        }
        killer.start()
        let outcome = try poller.pollIfDue()
        killed.wait()
        guard case .failed(let failure) = outcome else {
            Issue.record("the download finished before the server was stopped: \(outcome)")
            return
        }
        #expect(failure.transient)
        #expect(try remote.world.inboxFiles() == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging) == [])

        try remote.server.start()
        remote.world.clock.advance(by: .seconds(60))
        #expect(remote.carried(try poller.pollIfDue()) == 1)
        let fetched = try Data(contentsOf: remote.world.inbox.appendingPathComponent("big.tsv"))
        #expect(fetched == big)
    }
}

@Suite("One partner file that cannot be taken", .serialized)
struct FileNotTakenTests {
    @Test("a file over the poll's budget is reported alone: the others are fetched, the endpoint keeps polling")
    func overBudget() throws {
        let remote = try RemoteFeedWorld()
        try String(contentsOf: remote.world.configFile, encoding: .utf8)
            .replacingOccurrences(of: "every_seconds: 1", with: "every_seconds: 1\n          budget: {megabytes: 1}")
            .write(to: remote.world.configFile, atomically: true, encoding: .utf8)
        let small = AmazonReport.file(AmazonReport.row(order: "302-1000001-0000001", item: "11"))
        try remote.drop("a-small.tsv", small)
        try Data(repeating: UInt8(ascii: "#"), count: 2 << 20).write(
            to: URL(fileURLWithPath: remote.outgoing + "/b-big.tsv"))
        try remote.drop("c-small.tsv", small.replacingOccurrences(of: "0000001", with: "0000002"))
        let poller = try remote.poller()
        _ = try poller.pollIfDue()
        remote.world.clock.advance(by: .seconds(3))
        guard case .failed(let failure) = try poller.pollIfDue() else {
            Issue.record("the file over the budget was not reported")
            return
        }
        #expect(failure.code == "files_not_taken")
        #expect(failure.transient)
        #expect(failure.message.contains("b-big.tsv"))
        #expect(try remote.world.inboxFiles() == ["a-small.tsv", "c-small.tsv"])
        let state = try remote.world.store().transfers.endpoint(
            "amazon-de/orders", partner: "amazon-de", direction: .inbound)
        #expect(state.files == 2)
        #expect(state.stoppedBecause == nil)
        #expect(state.retryAt != nil)
    }
}
