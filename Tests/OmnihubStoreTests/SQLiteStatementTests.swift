import Foundation
import GRDB
import Testing

@testable import OmnihubStore

@Suite("Statements bound through SQLite's C API share GRDB's cached statements safely")
struct SQLiteStatementTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-sqlite-\(UUID().uuidString)")

    @Test("a statement GRDB ran (and left un-reset) binds and runs again, and GRDB runs it after")
    func sharedWithGRDB() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try OrderStore(path: folder.appendingPathComponent("omnihub.sqlite").path)
        let sql = "INSERT INTO stock_levels (node, sku, on_hand, updated_at) VALUES (?, ?, ?, ?)"
        let rows = try store.database.write { db in
            // A cancellation's release and a shipment's release share one SQL text, so one
            // cached statement: GRDB runs it first and leaves it as it ended.
            try db.cachedStatement(sql: sql).execute(arguments: ["DC-1", "A", 1, "2026-11-27T09:00:00.000Z"])
            let insert = try SQLiteStatement(db, sql)
            for sku in ["B", "C"] {
                try insert.bind(1, "DC-1")
                try insert.bind(2, sku)
                try insert.bind(3, 2)
                try insert.bind(4, "2026-11-27T09:00:00.000Z")
                try insert.execute()
            }
            try db.cachedStatement(sql: sql).execute(arguments: ["DC-1", "D", 3, "2026-11-27T09:00:00.000Z"])
            return try Row.fetchAll(db, sql: "SELECT sku, on_hand FROM stock_levels ORDER BY sku").map {
                "\($0[0] as String)=\($0[1] as Int)"
            }
        }
        #expect(rows == ["A=1", "B=2", "C=2", "D=3"])
    }

    @Test("text is bound whole: an empty string is empty text, not NULL, and a NUL inside it does not end it")
    func textBoundWhole() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try OrderStore(path: folder.appendingPathComponent("omnihub.sqlite").path)
        let skus = ["", "A\u{0}B", "Größe 42 ✓", String(repeating: "x", count: 100_000), "A"]
        let rows = try store.database.write { db in
            let insert = try SQLiteStatement(
                db, "INSERT INTO stock_levels (node, sku, on_hand, updated_at) VALUES (?, ?, ?, ?)")
            for sku in skus {
                try insert.bind(1, "DC-1")
                try insert.bind(2, sku)
                try insert.bind(3, 1)
                try insert.bind(4, "2026-11-27T09:00:00.000Z")
                try insert.execute()
            }
            return try Row.fetchAll(
                db, sql: "SELECT typeof(sku), length(CAST(sku AS BLOB)) FROM stock_levels ORDER BY sku"
            )
            .map { "\($0[0] as String):\($0[1] as Int)" }
        }
        // "A\0B" and "A" are two keys; before, the NUL ended the first and the two collided.
        #expect(rows == ["text:0", "text:1", "text:3", "text:\(skus[2].utf8.count)", "text:100000"])
    }
}
