package import Foundation
import GRDB

/// omnihub's SQLite store: one database file in WAL mode holding the file ledger, orders, import
/// errors and lineage.
///
/// Safe to share between threads and between processes: SQLite serialises writers, and a writer
/// waits up to ``busyTimeout`` for another one to finish.
package final class OrderStore: Sendable {
    /// How long a writer waits for another process's transaction before giving up.
    package static let busyTimeout: TimeInterval = 30

    let pool: DatabasePool
    /// The database file.
    package let path: String

    /// Opens (or creates) the store at `path`, creating its folder and applying pending migrations.
    package init(path: String) throws(StoreError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(OrderStore.busyTimeout)
            configuration.prepareDatabase { db in
                // A large file inserts order keys in the feed's order, which is random for the UNIQUE
                // index; with SQLite's default 2 MB page cache that costs several times the insert.
                try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384")
            }
            // Two processes starting on a new store would race in switching it to WAL and in the
            // migrations; the second waits here for the first to finish setting it up.
            let setup = try StoreLock(storePath: path, purpose: .setup)
            defer { withExtendedLifetime(setup) {} }
            pool = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(pool)
        } catch {
            throw StoreError(
                .cannotOpen, path: path,
                message: "the store cannot be opened: \(error). Check that the folder is writable, or point "
                    + "store.path in omnihub.yaml elsewhere", cause: error)
        }
    }

    /// Runs `work` in one write transaction, turning SQLite failures into ``StoreError``.
    func write<Result>(_ work: (Database) throws -> Result) throws -> Result {
        do {
            return try pool.write(work)
        } catch let error as DatabaseError {
            throw StoreError(.database, path: path, message: "a write to the store failed: \(error)", cause: error)
        } catch let error as RowDecodingError {
            throw Self.undecodable(error, path: path)
        }
    }

    /// Runs `work` on a read-only snapshot.
    func read<Result>(_ work: (Database) throws -> Result) throws -> Result {
        do {
            return try pool.read(work)
        } catch let error as DatabaseError {
            throw StoreError(.database, path: path, message: "a read from the store failed: \(error)", cause: error)
        } catch let error as RowDecodingError {
            throw Self.undecodable(error, path: path)
        }
    }

    /// A row that does not decode into its record: a value omnihub never writes.
    private static func undecodable(_ error: RowDecodingError, path: String) -> StoreError {
        StoreError(
            .corruptDocument, path: path,
            message: "a stored row holds a value omnihub does not write (\(error)); the database was changed "
                + "outside omnihub or is damaged", cause: error)
    }
}
