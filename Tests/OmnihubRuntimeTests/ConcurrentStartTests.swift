import Foundation
import OmnihubStore
import Testing

/// Several processes started together by a scheduler, on a store that does not exist yet.
@Suite("Processes starting together on a new store")
struct ConcurrentStartTests {
    @Test("each one opens the store: none fails in the WAL switch or the migrations", arguments: 1...3)
    func startTogether(round: Int) throws {
        let world = try TestWorld()
        let processes = (0..<6).map { _ in
            let process = Process()
            process.executableURL = OmnihubProcess.executable
            process.arguments = ["files", "list", "--json", "--config", world.configFile.path]
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            return (process, errors)
        }
        for (process, _) in processes { try process.run() }
        for (process, errors) in processes {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "round \(round): \(message)")
        }
        #expect(try world.store().files().isEmpty)
    }
}
