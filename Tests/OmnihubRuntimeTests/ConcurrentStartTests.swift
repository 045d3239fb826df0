import Foundation
import OmnihubStore
import Testing

/// Several processes started together by a scheduler, on a store that does not exist yet.
@Suite("Processes starting together on a new store")
struct ConcurrentStartTests {
    @Test("each one opens the store: none fails in the WAL switch or the migrations", arguments: 1...3)
    func startTogether(round: Int) throws {
        let world = try TestWorld()
        let runs = try OmnihubProcess.runTogether(6, ["files", "list", "--json", "--config", world.configFile.path])
        for run in runs { #expect(run.status == 0, "round \(round): \(run.standardError)") }
        #expect(try world.store().ledger.files().isEmpty)
    }
}

/// Two schedulers (or an operator and the daemon) running a cycle on the same store at once.
@Suite("Two cycles at once on one store")
struct ConcurrentCycleTests {
    @Test("both finish: the second waits for the first, every file is imported once and every document written once")
    func twoCyclesAtOnce() throws {
        let world = try TestWorld.shippedSampleWorld()
        _ = try world.store()  // the store exists, so both go straight to the cycle
        let runs = try OmnihubProcess.runTogether(2, ["run", "--once", "--json", "--config", world.configFile.path])
        for run in runs { #expect(run.status == 0, "\(run.standardError)") }
        let store = try world.store()
        let files = try store.ledger.files(limit: 100)
        #expect(files.count == 8, "each sample file once")
        #expect(files.allSatisfy { $0.status == .imported })
        #expect(try store.orders.count() == 10)
        let documents = try store.outbox.documents(limit: 1_000)
        #expect(Set(documents.map(\.path)).count == documents.count, "no document twice")
        #expect(try store.outbox.pendingDocuments().isEmpty)
        #expect(try world.inboxFiles().isEmpty)
    }
}

extension OmnihubProcess {
    /// Starts `count` processes with the same arguments at once and waits for all of them.
    static func runTogether(_ count: Int, _ arguments: [String]) throws -> [Result] {
        let processes = (0..<count).map { _ in
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            return (process, errors)
        }
        for (process, _) in processes { try process.run() }
        return processes.map { process, errors in
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus, terminationReason: process.terminationReason, standardOutput: "",
                standardError: message)
        }
    }
}
