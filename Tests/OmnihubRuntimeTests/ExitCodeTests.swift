import Foundation
import GRDB
import OmnihubCore
import OmnihubRuntime
import Testing

@Suite("Errors say what, where and what to do, and end in their documented exit code")
struct ExitCodeTests {
    /// A world with one imported open order.
    func worldWithOrder() throws -> (TestWorld, [String]) {
        let world = try TestWorld()
        let file = world.root.appendingPathComponent("manual.tsv")
        try AmazonReport.file(AmazonReport.row(order: "302-7", item: "1")).write(
            to: file, atomically: true, encoding: .utf8)
        let config = ["--config", world.configFile.path]
        let imported = try OmnihubProcess.run(["import", "--partner", "amazon-de", file.path] + config)
        #expect(imported.status == 0, "\(imported.standardError)")
        return (world, config)
    }

    /// Changes the store behind omnihub's back, as a damaged file or a hand edit would.
    func tamper(_ world: TestWorld, _ sql: String) throws {
        let queue = try DatabaseQueue(path: try world.configuration().storePath)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA ignore_check_constraints = ON; " + sql) }
    }

    @Test("a store that fails after start-up exits 70 from a command, naming the store file")
    func storeFailureInACommand() throws {
        let (world, config) = try worldWithOrder()
        try tamper(world, "UPDATE orders SET status = 'lost'")
        let list = try OmnihubProcess.run(["orders", "list"] + config)
        #expect(list.status == 70, "\(list.standardError)")
        #expect(list.standardError.contains(try world.configuration().storePath))
        #expect(list.standardError.contains("lost"))
        #expect(list.standardError.contains("outside omnihub"))
    }

    @Test("a store that fails during a cycle exits 70, not 1 or 3, and the report says it was the store")
    func storeFailureInACycle() throws {
        let world = try TestWorld.shippedSampleWorld()
        let config = ["--config", world.configFile.path]
        let first = try OmnihubProcess.run(["run", "--once"] + config)
        #expect([0, 1].contains(first.status), "\(first.standardError)")
        try tamper(world, "DROP TABLE stock_revision")
        let run = try OmnihubProcess.run(["run", "--once", "--json"] + config)
        #expect(run.status == 70, "\(run.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        let failures = report?["failures"] as? [[String: Any]]
        #expect(failures?.contains { $0["kind"] as? String == "store" } == true, "\(run.standardOutput)")
        #expect(run.standardError.contains("stock_revision"), "\(run.standardError)")
    }

    @Test("a stored value omnihub never writes is named as a damaged store (70), never read as something else")
    func undecodableRows() throws {
        let world = try TestWorld.shippedSampleWorld()
        let config = ["--config", world.configFile.path]
        let first = try OmnihubProcess.run(["run", "--once"] + config)
        #expect([0, 1].contains(first.status), "\(first.standardError)")
        try tamper(world, "UPDATE outbound_documents SET kind = 'fax' WHERE id = 1")
        let outbox = try OmnihubProcess.run(["outbox", "list", "--json"] + config)
        #expect(outbox.status == 70, "\(outbox.standardError)")
        #expect(outbox.standardError.contains("fax"), "\(outbox.standardError)")
        try tamper(world, "UPDATE files SET status = 'eaten' WHERE id = 1")
        let files = try OmnihubProcess.run(["files", "list", "--json"] + config)
        #expect(files.status == 70, "\(files.standardError)")
        #expect(files.standardError.contains("outside omnihub"), "\(files.standardError)")
    }

    @Test("a problem file that is not a sourcing problem exits 1, naming the field")
    func badProblem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "omnihub-problem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let problem = folder.appendingPathComponent("bad.json")
        let shipped = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/small.problem.json"), encoding: .utf8)
        try shipped.replacingOccurrences(of: #""capacity_parcels""#, with: #""capacity_parcels": "many", "x""#).write(
            to: problem, atomically: true, encoding: .utf8)
        let result = try OmnihubProcess.run(["source", "--problem", problem.path])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError.contains("nodes[0]"), "\(result.standardError)")
        #expect(!result.standardError.contains("DecodingError"), "\(result.standardError)")
    }

    @Test("a failed system call keeps its error number and gives the remedy that fits it")
    func fileErrors() {
        let missing = FileError(operation: "open", path: "/inbox/a.csv", errno: ENOENT)
        #expect(missing.errno == ENOENT)
        #expect(missing.kind == .leftForNextCycle)
        #expect(missing.description.contains("(ENOENT)"))
        #expect(missing.description.contains("exist"))
        let full = FileError(operation: "write", path: "/outbox/erp/x.csv", errno: ENOSPC)
        #expect(full.description.contains("free space"))
        let render = FileError(.cannotRender, operation: "render the invoice for", path: "erp", reason: "too long")
        #expect(render.description == "cannot render the invoice for erp: too long", "no file-system remedy")
        let fromFoundation = FileError(
            operation: "create folder", path: "/nope/x",
            cause: CocoaError(
                .fileWriteNoPermission,
                userInfo: [
                    NSUnderlyingErrorKey: NSError(
                        domain: NSPOSIXErrorDomain, code: Int(EACCES))
                ]))
        #expect(fromFoundation.errno == EACCES)
        #expect(fromFoundation.description.contains("rights") || fromFoundation.description.contains("may read"))
    }
}
