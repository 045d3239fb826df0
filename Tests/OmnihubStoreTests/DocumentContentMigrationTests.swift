import Foundation
import GRDB
import OmnihubCore
import Testing

@testable import OmnihubStore

@Suite("An outbound document's bytes live in a table of their own")
struct DocumentContentMigrationTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-contents-\(UUID().uuidString)")

    var path: String { folder.appendingPathComponent("omnihub.sqlite").path }

    @Test("a store from before keeps every document's bytes, pending and written, and writes them again")
    func migratesBytes() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A store as the version before left it: the bytes in the document's own row.
        let old = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(
            old, upTo: "v29: orders by import time with channel and status; the orders handed to a node")
        try old.write { db in
            for (id, status, bytes) in [(1, "written", "<Invoice>1</Invoice>"), (2, "pending", "<Invoice>2</Invoice>")]
            {
                try db.execute(
                    sql: """
                        INSERT INTO outbound_documents (id, kind, destination, number, path, content, status, created_at)
                        VALUES (?, 'invoice', 'erp', ?, ?, ?, ?, '2026-11-27T10:00:00.000Z')
                        """,
                    arguments: [id, "RE-\(id)", "/outbox/erp/RE-\(id).xml", Data(bytes.utf8), status])
            }
        }
        try old.close()

        let store = try OrderStore(path: path)
        let pending = try store.outbox.pendingDocuments()
        #expect(pending.map(\.0.number) == ["RE-2"])
        #expect(pending.first.map { String(decoding: $0.1, as: UTF8.self) } == "<Invoice>2</Invoice>")
        let written = try store.transfers.writtenDocument(id: 1, destinations: nil)
        #expect(written.map { String(decoding: $0.1, as: UTF8.self) } == "<Invoice>1</Invoice>")
        let columns = try DatabaseQueue(path: path).read { db in try db.columns(in: "outbound_documents").map(\.name) }
        #expect(!columns.contains("content"))
    }

    @Test("marking a document written leaves its bytes as they were recorded")
    func markingKeepsBytes() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try OrderStore(path: path)
        let bytes = Array(repeating: UInt8(ascii: "x"), count: 20_000)
        let document = try store.database.write { db in
            try Outbox.recordPending(
                db, kind: .invoice, destination: "erp",
                RenderedDocument(number: "RE-1", path: "/outbox/erp/RE-1.xml", content: bytes),
                at: Timestamp(millisecondsSince1970: 0))
        }
        try store.outbox.markWritten([document.id], at: Timestamp(millisecondsSince1970: 1000))
        #expect(try store.outbox.pendingDocuments().isEmpty)
        #expect(try store.transfers.writtenDocument(id: document.id, destinations: ["erp"])?.1 == bytes)
    }
}
