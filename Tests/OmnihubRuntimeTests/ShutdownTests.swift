import Foundation
import Glibc
import OmnihubStore
import Testing

/// SIGTERM, as systemd or a container runtime sends it, to a daemon at work.
@Suite("A stop request ends the daemon within seconds, with every file whole")
struct ShutdownTests {
    /// Starts `omnihub run` (the daemon) on `world`.
    func daemon(_ world: TestWorld) throws -> Process {
        let process = Process()
        process.executableURL = OmnihubProcess.executable
        process.arguments = ["run", "--config", world.configFile.path, "--log-level", "error"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Sends SIGTERM and returns the seconds until the process exited.
    func stop(_ process: Process) -> Double {
        let start = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    func waitUntil(_ condition: () throws -> Bool) throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try !condition() {
            #expect(ContinuousClock.now < deadline, "the condition came true in time")
            guard ContinuousClock.now < deadline else { return }
            usleep(20_000)
        }
    }

    @Test("during a stability wait: the wait is cut short and the young file waits for the next run")
    func duringStabilityWait() throws {
        let world = try TestWorld(stableAfterSeconds: 30)
        let url = world.inbox.appendingPathComponent("young.tsv")
        try AmazonReport.file(AmazonReport.row(order: "Y1", item: "1")).write(
            to: url, atomically: false, encoding: .utf8)
        let process = try daemon(world)
        try waitUntil { FileManager.default.fileExists(atPath: world.root.appendingPathComponent("var").path) }
        usleep(500_000)
        let seconds = stop(process)
        #expect(seconds < 3, "stopped \(seconds) s after SIGTERM, not after the 30 s wait")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(try world.inboxFiles() == ["young.tsv"])
        #expect(try world.store().orders.count() == 0)
    }

    @Test("during a long import: the file in hand finishes, the rest stays in the inbox, nothing is half done")
    func duringImport() throws {
        let world = try TestWorld(stableAfterSeconds: 0)
        let count = 400
        for number in 1...count {
            let rows = (1...5).map { AmazonReport.row(order: "F\(number)-\($0)", item: "1") }
            let text = ([AmazonReport.columns.joined(separator: "\t")] + rows).joined(separator: "\n") + "\n"
            try world.drop(String(format: "orders-%04d.tsv", number), text)
        }
        let process = try daemon(world)
        let archive = world.root.appendingPathComponent("archive")
        try waitUntil {
            (FileManager.default.enumerator(atPath: archive.path)?.allObjects as? [String])?
                .contains { $0.hasSuffix(".tsv") } ?? false
        }
        let seconds = stop(process)
        #expect(seconds < 5, "stopped \(seconds) s after SIGTERM")
        #expect(process.terminationStatus == 0)
        let left = try world.inboxFiles().count
        let store = try world.store()
        let imported = try store.ledger.files(limit: 10_000)
        #expect(left > 0, "the stop came before the last file")
        #expect(imported.count + left == count, "every file is either imported or still in the inbox")
        #expect(imported.allSatisfy { $0.status == .imported && $0.ordersImported == 5 })
        #expect(try store.orders.count() == imported.count * 5, "no file half imported")
    }
}
