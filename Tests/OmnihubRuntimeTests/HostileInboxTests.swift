import Foundation
import Glibc
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

/// What an attacker with write access to one partner's inbox tried: links, FIFOs, names that are
/// not UTF-8, and a file that keeps growing while it is read.
@Suite("Hostile inbox entries are refused, never followed, never waited on")
struct HostileInboxTests {
    let order = AmazonReport.file(AmazonReport.row(order: "302-7", item: "1"))

    @Test("a symbolic link to a system file is refused: its content reaches no report and no store")
    func linkToSystemFile() throws {
        let world = try TestWorld()
        try FileManager.default.createSymbolicLink(
            atPath: world.inbox.appendingPathComponent("passwd.tsv").path, withDestinationPath: "/etc/passwd")
        let report = try world.cycle()
        #expect(report.outcomes.isEmpty)
        #expect(report.refused.map { ($0.path as NSString).lastPathComponent } == ["passwd.tsv"])
        #expect(report.refused.first?.message.contains("symbolic link") == true)
        #expect(try world.store().ledger.files(limit: 10).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: world.quarantine.path))
    }

    @Test("a link to orders outside the inbox imports nothing")
    func linkToOutsideOrders() throws {
        let world = try TestWorld()
        let outside = world.root.appendingPathComponent("outside.tsv")
        try order.write(to: outside, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: world.inbox.appendingPathComponent("orders.tsv").path, withDestinationPath: outside.path)
        let report = try world.cycle()
        #expect(report.documentsImported == 0)
        #expect(try world.store().orders.count() == 0)
        #expect(report.refused.count == 1)
    }

    @Test("a FIFO in the inbox is refused at once, whether listed or swapped in for a file")
    func fifo() throws {
        let world = try TestWorld()
        let pipe = world.inbox.appendingPathComponent("pipe.tsv").path
        #expect(mkfifo(pipe, 0o644) == 0)
        let report = try world.cycle()
        #expect(report.refused.first?.message.contains("FIFO") == true)
        let configuration = try world.configuration()
        let partner = try #require(configuration.partner("amazon-de"))
        let importer = FileImporter(
            store: try world.store(), configuration: configuration, now: { world.clock.now() },
            logger: Logger(label: "test"))
        #expect {
            _ = try importer.importFile(at: pipe, partner: partner, feed: partner.feeds[0])
        } throws: { error in
            (error as? FileError)?.code == .notRegularFile
        }
    }

    @Test("a name that is not UTF-8 is reported, not passed over in silence")
    func nonUTF8Name() throws {
        let world = try TestWorld()
        let name: [UInt8] = Array("orders-".utf8) + [0xFF, 0xFE] + Array(".tsv".utf8)
        let path = Array(world.inbox.path.utf8) + [UInt8(ascii: "/")] + name + [0]
        let descriptor = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
        }
        #expect(descriptor >= 0)
        close(descriptor)
        let report = try world.cycle()
        #expect(report.refused.count == 1)
        #expect(report.refused.first?.message.contains("not valid UTF-8") == true)
    }

    @Test("an inbox that cannot be read is said every cycle, not taken for an empty one")
    func unreadableFolder() throws {
        let world = try TestWorld()
        try FileManager.default.removeItem(at: world.inbox)
        try "not a folder".write(to: world.inbox, atomically: false, encoding: .utf8)
        let report = try world.cycle()
        #expect(report.refused.first?.message.contains("the folder cannot be read") == true)
    }

    @Test("a file that grows while it is read is not imported; the rest is not lost")
    func growingFile() throws {
        let world = try TestWorld()
        let url = try world.drop("orders.tsv", order)
        let configuration = try world.configuration()
        let partner = try #require(configuration.partner("amazon-de"))
        // The importer asks the clock once the file is open and fingerprinted, before it maps
        // it: a partner appends a row (in an open, append, close of its own, so no descriptor
        // stays open) right then, and only the check before the commit can see it.
        let appended = TestFlag()
        let importer = FileImporter(
            store: try world.store(), configuration: configuration,
            now: {
                if !appended.isSet {
                    appended.set()
                    let handle = try! FileHandle(forWritingTo: url)
                    handle.seekToEndOfFile()
                    handle.write(Data((AmazonReport.row(order: "302-8", item: "1") + "\n").utf8))
                    try? handle.close()
                }
                return world.clock.now()
            }, logger: Logger(label: "test"))
        #expect {
            _ = try importer.importFile(at: url.path, partner: partner, feed: partner.feeds[0])
        } throws: { error in
            (error as? FileError)?.code == .changedWhileRead
        }
        #expect(try world.store().orders.count() == 0)
        #expect(try world.store().ledger.files(limit: 10).isEmpty)
        #expect(FileManager.default.fileExists(atPath: url.path))
    }
}

extension HostileInboxTests {
    @Test("a writer that pauses longer than the stability interval, its file still open, gets its file taken whole")
    func pausedWriter() throws {
        let world = try TestWorld()
        let url = try world.drop("slow.tsv", AmazonReport.file(AmazonReport.row(order: "S1", item: "1")))
        let handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        let paused = try world.cycle()
        #expect(paused.outcomes.isEmpty, "the file is still open for writing")
        #expect(paused.failures.isEmpty)
        #expect(paused.waiting == 1)
        #expect(try world.inboxFiles() == ["slow.tsv"])

        handle.write(Data((AmazonReport.row(order: "S1", item: "2", sku: "SOCKS") + "\n").utf8))
        try handle.close()
        try world.setModified(url, secondsBeforeNow: 60)
        let finished = try world.cycle()
        #expect(finished.outcomes.map(\.file.status) == [.imported])
        let order = try #require(try world.store().orders.matching("S1").first)
        #expect(order.order.lines.map(\.sku) == ["TSHIRT-WHT-M", "SOCKS"], "the rows written after the pause too")
    }
}

/// A flag a test's closures set and read, from any thread.
final class TestFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    func set() { lock.withLock { value = true } }
}
