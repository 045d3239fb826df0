import GRDB

/// The store's connection pool and file, shared by its topics.
struct StoreDatabase: Sendable {
    let pool: DatabasePool
    /// The database file.
    let path: String

    /// Runs `work` in one write transaction, turning SQLite failures into ``StoreError``.
    func write<Result>(_ work: (Database) throws -> Result) throws -> Result {
        do {
            return try pool.write(work)
        } catch let error as DatabaseError {
            throw StoreError(.database, path: path, message: "a write to the store failed: \(error)", cause: error)
        } catch let error as RowDecodingError {
            throw undecodable(error)
        }
    }

    /// Runs `work` on a read-only snapshot.
    func read<Result>(_ work: (Database) throws -> Result) throws -> Result {
        do {
            return try pool.read(work)
        } catch let error as DatabaseError {
            throw StoreError(.database, path: path, message: "a read from the store failed: \(error)", cause: error)
        } catch let error as RowDecodingError {
            throw undecodable(error)
        }
    }

    /// A row that does not decode into its record: a value omnihub never writes.
    private func undecodable(_ error: RowDecodingError) -> StoreError {
        StoreError(
            .corruptDocument, path: path,
            message: "a stored row holds a value omnihub does not write (\(error)); the database was changed "
                + "outside omnihub or is damaged", cause: error)
    }
}

/// One topic of the store (the file ledger, the orders, stock, the outbox, finance): its reads
/// gather the facts a decision needs, its writes record the result.
protocol StoreTopic: Sendable {
    var database: StoreDatabase { get }
}

extension StoreTopic {
    /// The database file.
    package var path: String { database.path }

    func write<Result>(_ work: (Database) throws -> Result) throws -> Result { try database.write(work) }

    func read<Result>(_ work: (Database) throws -> Result) throws -> Result { try database.read(work) }

    /// Points the fact `id` of `table` (not told of yet: its `column` is NULL) at `document`, in
    /// the caller's transaction.
    ///
    /// - Throws: ``StoreError/Code/changedMeanwhile`` when another run told of it meanwhile: the
    ///   transaction is rolled back and nothing of the batch is recorded.
    func cover(_ db: Database, _ table: String, _ column: String, id: Int64, with document: Int64) throws {
        try db.cachedStatement(
            sql: "UPDATE \(table) SET \(column) = ? WHERE id = ? AND \(column) IS NULL"
        ).execute(arguments: [document, id])
        guard db.changesCount == 1 else { throw toldMeanwhile(table, id: id) }
    }

    /// The fact `id` of `table` was told of by another run while this one made its document.
    func toldMeanwhile(_ table: String, id: Int64) -> StoreError {
        StoreError(
            .changedMeanwhile, path: path,
            message: "\(table) \(id) was told of by another run while this one made its document; nothing of "
                + "this batch was recorded, and what is still untold is made again next cycle")
    }
}
