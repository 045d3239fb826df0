import GRDB
import GRDBSQLite

/// A prepared statement bound and stepped through SQLite's C API, for the bulk paths where GRDB's
/// argument boxing costs more than the insert itself. It lives inside a GRDB transaction and is
/// finalized with the connection's statement cache.
///
/// GRDB hands out one cached statement per SQL text and leaves a statement it ran un-reset until
/// its next use, so the same text run through GRDB (a cancellation's release, say) leaves it in a
/// state where binding fails. Binding parameter 1 therefore starts a new round: the statement is
/// reset first. Every caller binds parameter 1 first.
struct SQLiteStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let path: String
    private let sql: String

    /// A cached statement of `db` for `sql`, its errors naming the database's file.
    init(_ db: Database, _ sql: String) throws { try self.init(db, sql, path: db.filePath) }

    /// A cached statement of `db` for `sql`.
    init(_ db: Database, _ sql: String, path: String) throws {
        let statement = try db.cachedStatement(sql: sql)
        guard let connection = db.sqliteConnection else {
            throw StoreError(.database, path: path, message: "the store's connection is closed; run omnihub again")
        }
        self.handle = statement.sqliteStatement
        self.connection = connection
        self.path = path
        self.sql = sql
    }

    /// Text, bound from the string's own UTF-8 with its length: no C string is made of it, and a
    /// NUL inside it is kept rather than ending the value there.
    func bind(_ index: Int32, _ text: String?) throws {
        startRound(index)
        guard var text else {
            try check(sqlite3_bind_null(handle, index), binding: index)
            return
        }
        let code = text.withUTF8 { buffer in
            // An empty string may have no address, which SQLite would take for NULL.
            guard let start = buffer.baseAddress, !buffer.isEmpty else {
                return sqlite3_bind_text(handle, index, "", 0, transient)
            }
            return sqlite3_bind_text64(
                handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), UInt64(buffer.count),
                transient, UInt8(SQLITE_UTF8))
        }
        try check(code, binding: index)
    }

    func bind(_ index: Int32, bytes: [UInt8]) throws {
        // An empty buffer may have no address: bind the empty text then.
        guard !bytes.isEmpty else { return try bind(index, "") }
        startRound(index)
        let code = bytes.withUnsafeBytes { buffer in
            sqlite3_bind_text(
                handle, index, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buffer.count), transient)
        }
        try check(code, binding: index)
    }

    /// Bytes as a BLOB (an empty one too: never NULL).
    func bind(_ index: Int32, blob: [UInt8]) throws {
        startRound(index)
        let code = blob.withUnsafeBytes { buffer in
            buffer.baseAddress == nil
                ? sqlite3_bind_zeroblob(handle, index, 0)
                : sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), transient)
        }
        try check(code, binding: index)
    }

    func bind(_ index: Int32, _ number: Int64?) throws {
        startRound(index)
        guard let number else {
            try check(sqlite3_bind_null(handle, index), binding: index)
            return
        }
        try check(sqlite3_bind_int64(handle, index, number), binding: index)
    }

    func bind(_ index: Int32, _ number: Int) throws { try bind(index, Int64(number)) }

    /// A flag, as SQLite keeps it: 1 or 0.
    func bind(_ index: Int32, _ flag: Bool) throws { try bind(index, Int64(flag ? 1 : 0)) }

    /// Resets the statement before its first parameter is bound (see the type's note).
    private func startRound(_ index: Int32) {
        if index == 1 { sqlite3_reset(handle) }
    }

    private func check(_ code: Int32, binding index: Int32) throws {
        guard code == SQLITE_OK else {
            throw StoreError(
                .database, path: path,
                message: "binding value \(index) of \(sql) failed: SQLite error \(code): "
                    + String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// Runs the statement to completion.
    func execute() throws {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    /// Runs a query and hands each row to `row` until it returns false.
    func query(_ row: (OpaquePointer) throws -> Bool) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code) }
            if try !row(handle) { return }
        }
    }

    /// Rows the last statement changed on this connection.
    var changes: Int32 { sqlite3_changes(connection) }

    /// The rowid of the last insert on this connection.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    static func int(_ row: OpaquePointer, _ column: Int32) -> Int { Int(sqlite3_column_int64(row, column)) }

    /// An integer column, `nil` where it is NULL (a `SUM` over no rows).
    static func optionalInt(_ row: OpaquePointer, _ column: Int32) -> Int? {
        sqlite3_column_type(row, column) == SQLITE_NULL ? nil : int(row, column)
    }

    static func text(_ row: OpaquePointer, _ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(row, column) else { return nil }
        return String(cString: pointer)
    }

    /// The canonical JSON of an order's stored document in `column` (``StoredOrderDocument``).
    static func storedDocument(_ row: OpaquePointer, _ column: Int32) throws(Zstandard.Damaged) -> [UInt8] {
        let isBlob = sqlite3_column_type(row, column) == SQLITE_BLOB
        // The pointer first, then the length: SQLite's documented order.
        let pointer = isBlob ? sqlite3_column_blob(row, column) : UnsafeRawPointer(sqlite3_column_text(row, column))
        let count = Int(sqlite3_column_bytes(row, column))
        return try StoredOrderDocument.json(UnsafeRawBufferPointer(start: pointer, count: count), isBlob: isBlob)
    }

    private func failure(_ code: Int32) -> StoreError {
        StoreError(
            .database, path: path,
            message:
                "a write to the store failed: SQLite error \(code): \(String(cString: sqlite3_errmsg(connection))) "
                + "in \(sql)")
    }

    private var transient: sqlite3_destructor_type {
        unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }
}
