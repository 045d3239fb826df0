import Foundation
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("A process killed between import and archive")
struct CrashRecoveryTests {
    @Test("the re-run finishes putting the file away and imports nothing twice")
    func killedAfterCommit() throws {
        let world = try TestWorld(stableAfterSeconds: 0)
        try world.drop(
            "orders.tsv",
            AmazonReport.file(AmazonReport.row(order: "A1", item: "1"), AmazonReport.row(order: "A2", item: "2")))

        let killed = try OmnihubProcess.run(
            ["run", "--once", "--config", world.configFile.path],
            environment: ["OMNIHUB_FAILPOINT": "after-import-commit"])
        #expect(killed.terminationReason == .uncaughtSignal)
        #expect(killed.status == SIGKILL)
        #expect(try world.inboxFiles() == ["orders.tsv"], "the original is still in the inbox")
        #expect(try world.store().orders.count() == 2, "the import committed before the kill")

        let rerun = try OmnihubProcess.run(["run", "--once", "--config", world.configFile.path, "--json"])
        #expect(rerun.status == 0, "\(rerun.standardError)")
        #expect(try world.inboxFiles().isEmpty)
        let store = try world.store()
        #expect(try store.orders.count() == 2)
        let files = try store.ledger.files()
        #expect(files.count == 1)
        #expect(files.first?.status == .imported)
        #expect(FileManager.default.fileExists(atPath: try #require(files.first).storedPath))
        #expect(try store.orders.lineage(orderID: 1).count == 1)
        #expect(rerun.standardError.contains("finishing file 1"))
    }

    @Test("a quarantined file killed before the move gets its report on the re-run")
    func killedQuarantine() throws {
        let world = try TestWorld(stableAfterSeconds: 0)
        try world.drop("bad.tsv", AmazonReport.file(AmazonReport.row(order: "A1", item: "1", quantity: "0")))
        let killed = try OmnihubProcess.run(
            ["run", "--once", "--config", world.configFile.path],
            environment: ["OMNIHUB_FAILPOINT": "after-import-commit"])
        #expect(killed.status == SIGKILL)
        #expect(
            !FileManager.default.fileExists(atPath: world.quarantine.appendingPathComponent("bad.tsv.errors.json").path)
        )

        let rerun = try OmnihubProcess.run(["run", "--once", "--config", world.configFile.path])
        #expect(rerun.status == 1, "a quarantined file makes the cycle exit 1")
        let report = try world.report(for: "bad.tsv")
        let errors = try #require(report["errors"] as? [[String: Any]])
        #expect(errors.map { $0["code"] as? String } == ["quantity_below_one"])
        #expect(try world.store().ledger.files().count == 1)
    }

    @Test("a file the process died on twice is quarantined as poison; the files after it import")
    func poisonFile() throws {
        let world = try TestWorld(stableAfterSeconds: 0)
        try world.drop("a-poison.tsv", AmazonReport.file(AmazonReport.row(order: "P1", item: "1")))
        try world.drop("b-good.tsv", AmazonReport.file(AmazonReport.row(order: "G1", item: "1")))
        for _ in 1...FileImporter.crashesBeforeQuarantine {
            // Dies on the first file it takes in hand: a-poison.tsv, as a reader crash would.
            let killed = try OmnihubProcess.run(
                ["run", "--once", "--config", world.configFile.path],
                environment: ["OMNIHUB_FAILPOINT": "while-in-hand"])
            #expect(killed.status == SIGKILL)
            #expect(try world.store().ledger.files().isEmpty)
        }
        let rerun = try OmnihubProcess.run(["run", "--once", "--config", world.configFile.path])
        #expect(rerun.status == 1, "a quarantined file makes the cycle exit 1: \(rerun.standardError)")
        let files = try world.store().ledger.files().sorted { $0.name < $1.name }
        #expect(files.map(\.name) == ["a-poison.tsv", "b-good.tsv"])
        #expect(files.map(\.status) == [.quarantined, .imported])
        #expect(files.first?.ordersImported == 0)
        let errors = try #require(try world.report(for: "a-poison.tsv")["errors"] as? [[String: Any]])
        #expect(errors.map { $0["code"] as? String } == ["poison_file"])
        #expect(try world.store().orders.count() == 1)
        #expect(try world.inboxFiles().isEmpty)
    }
}

/// Runs the built `omnihub` executable, as an operator or a scheduler would.
enum OmnihubProcess {
    struct Result {
        let status: Int32
        let terminationReason: Process.TerminationReason
        let standardOutput: String
        let standardError: String
    }

    static var executable: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("omnihub")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return repositoryRoot.appendingPathComponent(".build/debug/omnihub")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> Result
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, terminationReason: process.terminationReason,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }
}
