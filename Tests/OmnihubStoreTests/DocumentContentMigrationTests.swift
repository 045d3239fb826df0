import Foundation
import GRDB
import OmnihubCore
import Testing

@testable import OmnihubStore

@Suite("An outbound document's bytes live in a table of their own, compressed")
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

    /// An invoice's worth of UBL: repetitive, as real ones are.
    static let invoice = Array(
        (["<Invoice>"]
            + (1...40).map {
                "<cac:InvoiceLine><cbc:ID>\($0)</cbc:ID><cbc:InvoicedQuantity unitCode=\"C62\">1</cbc:InvoicedQuantity></cac:InvoiceLine>"
            } + ["</Invoice>"]).joined().utf8)

    func record(_ store: OrderStore, _ documents: [(String, [UInt8], prepared: Bool)]) throws -> [OutboundDocument] {
        try store.database.write { db in
            try documents.map { number, bytes, prepared in
                let rendered = RenderedDocument(number: number, path: "/outbox/erp/\(number).xml", content: bytes)
                return try Outbox.recordPending(
                    db, kind: .invoice, destination: "erp", prepared ? rendered.readyForStore() : rendered,
                    at: Timestamp(millisecondsSince1970: 0))
            }
        }
    }

    @Test(
        "bytes are kept compressed, whichever thread compressed them, and read back; small or random ones as they are"
    )
    func compressed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try OrderStore(path: path)
        let small = Array("<Invoice/>".utf8)
        var generator = SystemRandomNumberGenerator()
        let random = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let recorded = try record(
            store,
            [
                ("RE-1", Self.invoice, prepared: true), ("RE-2", Self.invoice, prepared: false),
                ("RE-3", small, prepared: true), ("RE-4", random, prepared: true),
            ])
        let kept = try store.database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT compression, length(content) FROM outbound_document_contents ORDER BY document_id"
            ).map { ($0[0] as String?, $0[1] as Int) }
        }
        #expect(kept.map(\.0) == ["zstd", "zstd", nil, nil])
        #expect(kept[0].1 < Self.invoice.count / 3, "\(kept[0].1) bytes kept for \(Self.invoice.count)")
        #expect(kept[2].1 == small.count)
        #expect(kept[3].1 == random.count)
        let pending = try store.outbox.pendingDocuments()
        #expect(pending.map(\.0.number) == ["RE-1", "RE-2", "RE-3", "RE-4"])
        #expect(pending.map(\.1) == [Self.invoice, Self.invoice, small, random])
        try store.outbox.markWritten(recorded.map(\.id), at: Timestamp(millisecondsSince1970: 1000))
        #expect(try store.transfers.writtenDocument(id: recorded[0].id, destinations: ["erp"])?.1 == Self.invoice)
        let undelivered = try store.transfers.undelivered(destination: "erp", endpoint: "erp-sftp", limit: 10)
        #expect(undelivered.map(\.1) == [Self.invoice, Self.invoice, small, random])
    }

    @Test(
        "bytes that cannot be read back name their document: a broken frame, an unknown compression",
        arguments: [("X'28B52FFD2064'", "'zstd'", "Src size is incorrect"), ("X'00'", "'lz4'", "'lz4' is not one")])
    func damaged(content: String, compression: String, reason: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try OrderStore(path: path)
        let recorded = try record(
            store, [("RE-1", Self.invoice, prepared: true), ("RE-2", Self.invoice, prepared: true)])
        try store.database.write { db in
            try db.execute(
                sql:
                    "UPDATE outbound_document_contents SET content = \(content), compression = \(compression) WHERE document_id = ?",
                arguments: [recorded[1].id])
        }
        let error = try #require(throws: StoreError.self) { try store.outbox.pendingDocuments() }
        #expect(error.code == .corruptDocument)
        #expect(error.message.contains("outbound document \(recorded[1].id):"), "\(error.message)")
        #expect(error.message.contains(reason), "\(error.message)")
    }
}
