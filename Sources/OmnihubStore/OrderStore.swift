import CSQLiteThreading
package import Foundation
import GRDB

/// omnihub's SQLite store: one database file in WAL mode, one GRDB pool, and a topic for each
/// kind of fact: the file ``ledger``, the ``orders``, ``stock`` (levels, reservations, shipments),
/// the ``outbox`` and ``finance``. Each topic's reads gather what a decision needs; its writes record
/// the result, in one transaction, only while those facts still hold.
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
            _ = OrderStore.connectionsWithoutMutexes
            var configuration = Configuration()
            configuration.busyMode = .timeout(OrderStore.busyTimeout)
            configuration.prepareDatabase { db in
                // A large file inserts order keys in the feed's order, which is random for the UNIQUE
                // index; with SQLite's default 2 MB page cache that costs several times the insert.
                // The log is copied into the database every 32 MB instead of every 4 MB: a run that
                // records part after part rewrites the same index pages in each, and each copy
                // writes them again (the 100,000-order benchmark's second cycle: 4 % faster).
                try db.execute(
                    sql: """
                        PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384;
                        PRAGMA wal_autocheckpoint = 8192
                        """)
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

    /// Before the process's first connection, puts SQLite in multi-thread mode (a connection takes
    /// no mutex of its own around every call) and turns off its memory statistics (whose mutex
    /// every allocation takes: 6 % of the storing thread of a large import). GRDB already hands
    /// each connection to one thread at a time (its serial queues), omnihub's prepared statements
    /// are used only inside GRDB's access to their connection, and nothing reads the statistics.
    /// `false` when SQLite was already in use (a library that opened a connection first):
    /// connections then keep their mutexes, which is only slower.
    private static let connectionsWithoutMutexes: Bool = omnihub_sqlite_without_mutexes() == 0

    /// The connection every topic shares.
    var database: StoreDatabase { StoreDatabase(pool: pool, path: path) }

    /// The file ledger: which files came, what became of them, their errors, the files in hand.
    package var ledger: FileLedger { FileLedger(database: database) }
    /// The orders, their lines and lineage.
    package var orders: OrderBook { OrderBook(database: database) }
    /// Stock levels, reservations and shipments: what sourcing decides on.
    package var stock: StockLedger { StockLedger(database: database) }
    /// The outbox ledger: every document with its bytes, and what each told its destination.
    package var outbox: Outbox { Outbox(database: database) }
    /// Invoices, credit notes and their numbers.
    package var finance: FinanceLedger { FinanceLedger(database: database) }
    /// Refunds: for cancelled units and credit notes.
    package var refunds: RefundLedger { RefundLedger(database: database) }
    /// What customer care does to orders, and each order's history.
    package var care: OrderCare { OrderCare(database: database) }
    /// Click & collect and reserve orders on their pickup shelf.
    package var pickups: OrderPickups { OrderPickups(database: database) }
    /// Partners' servers: files seen and fetched there, documents delivered, each endpoint's health
    /// and the partner switches.
    package var transfers: TransferLog { TransferLog(database: database) }
}
