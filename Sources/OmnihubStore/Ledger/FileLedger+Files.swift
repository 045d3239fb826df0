import Foundation
import GRDB
package import OmnihubCore

extension FileLedger {
    /// The file that first brought these bytes (imported or quarantined), if any.
    package func file(withContent sha256: String) throws -> FileRecord? {
        try read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM files WHERE sha256 = ? AND status != 'duplicate'"),
                arguments: [sha256]
            )
            .map(FileRecord.init(row:))
        }
    }

    /// Records a file and everything imported from it in one transaction.
    ///
    /// `work` stores orders and issues through the ``FileImport`` and returns the file's final status
    /// and counts. If `work` throws, nothing is recorded: the file stays in the inbox to be tried again.
    ///
    /// - Parameters:
    ///   - storedPath: where the original will be moved once the transaction commits (archive or
    ///     quarantine); recorded first so that a crash before the move is finished on the next run.
    package func recordImport(
        of receipt: FileReceipt, receivedAt: Timestamp, storedPath: (FileStatus) -> String,
        _ work: (FileImport) throws -> (FileStatus, FileImportCounts)
    ) throws -> FileRecord {
        try write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO files (partner, feed, name, inbox_path, size, modified_at, sha256, status, received_at,
                        stored_path)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'importing', ?, '')
                    """
            ).execute(arguments: [
                receipt.partner, receipt.feed, receipt.name, receipt.inboxPath, receipt.size,
                receipt.modifiedAt.description, receipt.sha256, receivedAt.description,
            ])
            let fileID = db.lastInsertedRowID
            let (status, counts) = try work(FileImport(db: db, fileID: fileID, importedAt: receivedAt.description))
            try db.cachedStatement(
                sql: """
                    UPDATE files SET status = ?, stored_path = ?, records = ?, orders_imported = ?,
                        orders_already_known = ?, orders_rejected = ?, errors = ?
                    WHERE id = ?
                    """
            ).execute(arguments: [
                status, storedPath(status), counts.records, counts.ordersImported,
                counts.ordersAlreadyKnown, counts.ordersRejected, counts.errors, fileID,
            ])
            return try FileRecord.fileRecord(db, id: fileID, store: path)
        }
    }

    /// Maps a quarantined file again, in one transaction: its old errors go, its orders are offered
    /// to the store again (those imported the first time are recognised), and the ledger row
    /// takes the new status, counts and place.
    ///
    /// - Parameter storedPath: where the original will be once the transaction commits.
    package func recordReprocess(
        of file: FileRecord, at time: Timestamp, storedPath: (FileStatus) -> String,
        _ work: (FileImport) throws -> (FileStatus, FileImportCounts)
    ) throws -> FileRecord {
        try write { db in
            try db.cachedStatement(sql: "DELETE FROM import_errors WHERE file_id = ?").execute(arguments: [file.id])
            let (status, counts) = try work(FileImport(db: db, fileID: file.id, importedAt: time.description))
            try db.cachedStatement(
                sql: """
                    UPDATE files SET status = ?, stored_path = ?, records = ?, orders_imported = orders_imported + ?,
                        orders_already_known = ?, orders_rejected = ?, errors = ?, reprocessed_at = ?
                    WHERE id = ?
                    """
            ).execute(arguments: [
                status, storedPath(status), counts.records, counts.ordersImported,
                counts.ordersAlreadyKnown, counts.ordersRejected, counts.errors, time.description, file.id,
            ])
            return try FileRecord.fileRecord(db, id: file.id, store: path)
        }
    }

    /// Records that a file repeats the bytes of `original` and was not imported.
    package func recordDuplicate(
        of receipt: FileReceipt, original: FileRecord, receivedAt: Timestamp, storedPath: String
    )
        throws -> FileRecord
    {
        try write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO files (partner, feed, name, inbox_path, size, modified_at, sha256, status, received_at,
                        stored_path, duplicate_of)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'duplicate', ?, ?, ?)
                    """
            ).execute(arguments: [
                receipt.partner, receipt.feed, receipt.name, receipt.inboxPath, receipt.size,
                receipt.modifiedAt.description, receipt.sha256, receivedAt.description, storedPath, original.id,
            ])
            return try FileRecord.fileRecord(db, id: db.lastInsertedRowID, store: path)
        }
    }

    /// Files in the ledger, newest first.
    package func files(partner: String? = nil, limit: Int = 100) throws -> [FileRecord] {
        try read { db in
            try FileRecord.fetchAll(
                db.cachedStatement(
                    sql: "SELECT * FROM files WHERE ?1 IS NULL OR partner = ?1 ORDER BY id DESC LIMIT ?2"),
                arguments: [partner, limit])
        }
    }

    /// One file by its ledger id.
    package func file(id: Int64) throws -> FileRecord? {
        try read { db in
            try FileRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM files WHERE id = ?"), arguments: [id])
        }
    }

    /// The issues recorded against a file, in the order they were found.
    package func importErrors(fileID: Int64) throws -> [MappingIssue] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM import_errors WHERE file_id = ? ORDER BY id"),
                arguments: [fileID]
            )
            .map { row in
                MappingIssue(
                    try row.decode(IssueCode.self, forColumn: "code"), record: try row.decode(forColumn: "record"),
                    line: try row.decode(forColumn: "line"),
                    column: try row.decode(forColumn: "column"), field: try row.decode(forColumn: "field"),
                    source: try row.decode(forColumn: "source"), value: try row.decode(forColumn: "value"),
                    message: try row.decode(forColumn: "message"))
            }
        }
    }
}

extension FileRecord: FetchableRecord {
    /// The ledger row of file `id`, just written in the caller's transaction.
    static func fileRecord(_ db: Database, id: Int64, store path: String) throws -> FileRecord {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM files WHERE id = ?"), arguments: [id])
        else {
            throw StoreError(
                .database, path: path, message: "file \(id) was recorded but cannot be read back; check the disk")
        }
        return try FileRecord(row: row)
    }
}

extension FileLedger {
    /// Files and orders imported from a partner's feed, for the status.
    package func received(partner: String, feed: String) throws -> (files: Int, orders: Int, newest: String?) {
        try read { db in
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT count(*) AS files, coalesce(sum(orders_imported), 0) AS orders, max(received_at) AS newest
                        FROM files WHERE partner = ? AND feed = ? AND status != 'duplicate'
                        """),
                arguments: [partner, feed])
            return (
                try row?.decode(Int.self, forColumn: "files") ?? 0, try row?.decode(Int.self, forColumn: "orders") ?? 0,
                try row?.decode(String?.self, forColumn: "newest")
            )
        }
    }
}
