import Foundation
import GRDB
import OmnihubCore
import Testing

@testable import OmnihubStore

@Suite("Reserved units by node and SKU are kept as reservations are written, never added up again")
struct ReservedStockTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-reserved-\(UUID().uuidString)")

    var path: String { folder.appendingPathComponent("omnihub.sqlite").path }

    /// Reserved units as every reservation adds them up: what the store kept before it kept them.
    static func addedUp(_ db: Database) throws -> [String: [String: Int]] {
        var reserved: [String: [String: Int]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT node, sku, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units
                FROM reservations GROUP BY node, sku
                """)
        {
            reserved[row["node"], default: [:]][row["sku"]] = row["units"] as Int
        }
        return reserved
    }

    static func reserve(_ db: Database, _ node: String, _ sku: String, _ quantity: Int, _ kind: String) throws {
        try db.execute(
            sql: """
                INSERT INTO reservations (node, sku, order_id, position, quantity, kind, run_at)
                VALUES (?, ?, 1, 1, ?, ?, '2026-11-27T10:00:00Z')
                """, arguments: [node, sku, quantity, kind])
    }

    @Test("a store from before has its reserved units added up once, as its reservations say")
    func migrated() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A store as the version before left it: one order with its file, and reservations for it.
        let old = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(old, upTo: "v30: an outbound document's bytes in a table of their own")
        try old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO files (id, partner, feed, name, inbox_path, size, modified_at, sha256, status,
                        received_at, stored_path)
                    VALUES (1, 'web', 'orders', 'a.csv', '/inbox/a.csv', 1, '2026-11-27T10:00:00Z', 'x', 'imported',
                        '2026-11-27T10:00:00Z', '/archive/a.csv');
                    INSERT INTO orders (id, channel, external_id, placed_at, currency, delivery_method, document,
                        file_id, record, imported_at)
                    VALUES (1, 'web', 'W-1', '2026-11-27T10:00:00Z', 'EUR', 'ship', '{}', 1, 1, '2026-11-27T10:00:00Z');
                    """)
            try Self.reserve(db, "DC", "A", 3, "reserve")
            try Self.reserve(db, "DC", "A", 1, "release")
            try Self.reserve(db, "DC", "B", 2, "reserve")
            try Self.reserve(db, "STORE-1", "A", 5, "reserve")
            try Self.reserve(db, "STORE-1", "A", 5, "release")
        }
        try old.close()

        let store = try OrderStore(path: path)
        #expect(try store.stock.sourcingState(limit: 0).reserved == ["DC": ["A": 2, "B": 2], "STORE-1": ["A": 0]])
    }

    @Test("every reservation written, changed or removed changes the kept units as adding them up would")
    func keptInStep() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try OrderStore(path: path)
        // Outside a transaction, so the reservations may name an order this test does not make.
        try store.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try Self.reserve(db, "DC", "A", 4, "reserve")
            try Self.reserve(db, "DC", "A", 1, "release")
            try Self.reserve(db, "STORE-1", "B", 2, "reserve")
            try Self.reserve(db, "STORE-1", "A", 7, "reserve")
            // Not what omnihub does (reservations are appended), but the kept units follow it too.
            try db.execute(
                sql: "UPDATE reservations SET node = 'DC', quantity = 6 WHERE sku = 'A' AND node = 'STORE-1'")
            try db.execute(sql: "UPDATE reservations SET kind = 'release' WHERE sku = 'B'")
            try db.execute(sql: "DELETE FROM reservations WHERE kind = 'release' AND sku = 'A'")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let addedUp = try store.database.read { db in try Self.addedUp(db) }
        #expect(addedUp == ["DC": ["A": 10], "STORE-1": ["B": -2]])
        let kept = try store.stock.sourcingState(limit: 0).reserved
        #expect(kept.mapValues { $0.filter { $0.value != 0 } }.filter { !$0.value.isEmpty } == addedUp)
    }
}
