import Foundation
import Glibc
import OmnihubStore
import Testing

@testable import OmnihubRuntime

/// `omnihub run --once` against real servers: the sample world's Amazon orders fetched over SFTP,
/// DC-CENTRAL's fulfilment orders delivered over SFTP, killed at each transfer step.
@Suite("omnihub run --once with partners' servers", .serialized)
struct RemoteRunTests {
    /// The shipped sample world, with Amazon's files on an SFTP server and DC-CENTRAL's documents
    /// going to another folder there.
    struct World {
        let world: TestWorld
        let server: SFTPServer
        let outgoing: String
        let incoming: String

        init() throws {
            world = try TestWorld.shippedSampleWorld()
            server = try SFTPServer()
            outgoing = try server.scratch.folder("amazon-outgoing")
            incoming = try server.scratch.folder("wms-incoming")
            let inbox = world.root.appendingPathComponent("inbox/amazon-de").path
            for name in try FileManager.default.contentsOfDirectory(atPath: inbox) {
                try FileManager.default.moveItem(atPath: inbox + "/" + name, toPath: outgoing + "/" + name)
            }
            let login = """
                user: \(server.user)
                        private_key: \(server.userKey)
                        host_key: {sha256: "\(server.hostKeyFingerprint)"}
                """
            var yaml = try String(contentsOf: world.configFile, encoding: .utf8)
            yaml = yaml.replacingOccurrences(of: "stable_after_seconds: 2", with: "stable_after_seconds: 0")
            yaml = yaml.replacingOccurrences(
                of: "        mapping: mappings/amazon-de-orders.yaml\n",
                with: """
                            mapping: mappings/amazon-de-orders.yaml
                            source:
                              url: sftp://127.0.0.1:\(server.port)\(outgoing)/
                              \(login.replacingOccurrences(of: "        ", with: "          "))
                              after_import: move to done

                    """)
            yaml += """

                destinations:
                  - name: DC-CENTRAL
                    url: sftp://127.0.0.1:\(server.port)\(incoming)/
                    \(login.replacingOccurrences(of: "        ", with: "    "))

                """
            try yaml.write(to: world.configFile, atomically: true, encoding: .utf8)
        }

        func run(_ failpoint: String? = nil) throws -> OmnihubProcess.Result {
            try OmnihubProcess.run(
                ["run", "--once", "--config", world.configFile.path, "--log-level", "error"],
                environment: failpoint.map { ["OMNIHUB_FAILPOINT": $0] } ?? [:])
        }

        /// What a run left: orders, the partner's files, the documents delivered.
        func endState() throws -> [String] {
            let store = try world.store()
            let remoteDone = (try? FileManager.default.contentsOfDirectory(atPath: outgoing + "/done")) ?? []
            let remoteLeft = try FileManager.default.contentsOfDirectory(atPath: outgoing).filter { $0 != "done" }
            let delivered = try FileManager.default.contentsOfDirectory(atPath: incoming)
            let documents = try store.outbox.documents().filter { $0.destination == "DC-CENTRAL" }
            return [
                "orders \(try store.orders.count())",
                "amazon files imported \(try store.ledger.files(partner: "amazon-de").filter { $0.status == .imported }.count)",
                "duplicates \(try store.ledger.files().filter { $0.duplicateOf != nil }.count)",
                "partner's done/ \(remoteDone.sorted())", "partner's folder \(remoteLeft.sorted())",
                "delivered \(delivered.count) of \(documents.count)",
                "temporaries \(delivered.filter { $0.hasPrefix(".") })",
            ]
        }
    }

    @Test("killed after a fetch is recorded and after a delivery's rename, the next runs import and deliver once")
    func killedAtEachTransferStep() throws {
        let clean = try World()
        for _ in 0..<3 {
            let run = try clean.run()
            #expect(run.status == 0, "\(run.standardOutput)\n\(run.standardError)")
        }
        let expected = try clean.endState()
        #expect(expected.contains("partner's done/ [\"2026-11-20-orders.tsv\", \"2026-11-21-orders.tsv\"]"))
        #expect(expected.contains("partner's folder []"))

        let killed = try World()
        _ = try killed.run()  // the first listing
        for failpoint in ["after-remote-fetch-recorded", "after-remote-delivery"] {
            let result = try killed.run(failpoint)
            #expect(result.terminationReason == .uncaughtSignal, "the run reached \(failpoint)")
        }
        for _ in 0..<3 { _ = try killed.run() }
        #expect(try killed.endState() == expected)
    }

    @Test("a refused login, a failed run and the status never show a secret")
    func secretsStayHidden() throws {
        let server = try FTPServer()
        let world = try TestWorld()
        let password = "pw-" + UUID().uuidString
        try """
        store:
          path: var/omnihub.sqlite
        partners:
          - id: amazon-de
            feeds:
              - name: orders
                folder: inbox/amazon-de
                pattern: "*.tsv"
                mapping: mappings/amazon-de-orders.yaml
                source:
                  url: ftp://127.0.0.1:\(server.port)/
                  user: omnihub
                  password: {env: OMNIHUB_TEST_FTP_PASSWORD}
        """.write(to: world.configFile, atomically: true, encoding: .utf8)
        let environment = ["OMNIHUB_TEST_FTP_PASSWORD": password]
        let run = try OmnihubProcess.run(
            ["run", "--once", "--config", world.configFile.path, "--log-level", "debug"], environment: environment)
        #expect(run.status == 3)
        #expect(
            (run.standardOutput + run.standardError).contains("check the user and the secret"),
            "\(run.standardOutput)\n\(run.standardError)")
        let status = try OmnihubProcess.run(
            ["status", "--json", "--config", world.configFile.path], environment: environment)
        #expect(status.status == 1)
        #expect(status.standardOutput.contains("\"lastErrorCode\" : \"login_refused\""), "\(status.standardOutput)")
        for output in [run.standardOutput, run.standardError, status.standardOutput, status.standardError] {
            #expect(!output.contains(password))
        }

        // A secret written into the YAML is refused, and not echoed.
        try String(contentsOf: world.configFile, encoding: .utf8)
            .replacingOccurrences(of: "{env: OMNIHUB_TEST_FTP_PASSWORD}", with: "\"\(password)\"")
            .write(to: world.configFile, atomically: true, encoding: .utf8)
        let refused = try OmnihubProcess.run(["status", "--config", world.configFile.path])
        #expect(refused.status == 78)
        #expect(refused.standardError.contains("secrets never go in omnihub.yaml"))
        #expect(!refused.standardError.contains(password))
    }
}

/// SIGTERM to the daemon while it polls a partner's server.
@Suite("The daemon stops within seconds while it polls", .serialized)
struct DaemonStopTests {
    @Test("SIGTERM during polls: the daemon ends within seconds, and the next runs finish the job once")
    func sigtermDuringPoll() throws {
        let remote = try RemoteRunTests.World()
        // Many files, so the stop comes while the poll is at work.
        let sample = try FileManager.default.contentsOfDirectory(atPath: remote.outgoing).sorted()[0]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: remote.outgoing + "/" + sample))
        for index in 0..<150 {
            try bytes.write(to: URL(fileURLWithPath: remote.outgoing + "/copy-\(index).tsv"))
        }
        try String(contentsOf: remote.world.configFile, encoding: .utf8)
            .replacingOccurrences(
                of: "after_import: move to done", with: "after_import: move to done\n          every_seconds: 0.2"
            )
            .write(to: remote.world.configFile, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = OmnihubProcess.executable
        process.arguments = ["run", "--config", remote.world.configFile.path, "--log-level", "error"]
        let log = remote.world.root.appendingPathComponent("daemon.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        let store = try remote.world.store()
        let deadline = ContinuousClock.now + .seconds(60)
        // Wait until the feed has been listed twice and files are being fetched.
        while try store.transfers.endpoint("amazon-de/orders", partner: "amazon-de", direction: .inbound).files == 0
            && (try FileManager.default.contentsOfDirectory(
                atPath: remote.world.root.appendingPathComponent("inbox/amazon-de").path
            ).isEmpty)
        {
            guard ContinuousClock.now < deadline else { break }
            usleep(5_000)
        }
        let start = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let took = ContinuousClock.now - start
        #expect(took < .seconds(10), "stopped \(took) after SIGTERM")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")

        for _ in 0..<3 { _ = try remote.run() }
        let files = try store.ledger.files(partner: "amazon-de", limit: 1000)
        // The copies carry the same bytes as the sample file: one import, the rest duplicates.
        #expect(files.filter { $0.status == .imported }.count == 2)
        #expect(files.count == 152)
        #expect(try FileManager.default.contentsOfDirectory(atPath: remote.outgoing) == ["done"])
        let staging = remote.world.root.appendingPathComponent("var/staging/amazon-de").path
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging).isEmpty)
    }
}
