import GRDB
package import OmnihubCore

extension TransferLog {
    /// The record of the file as listed now (name, size and time); `nil` the first time.
    package func remoteFile(endpoint: String, name: String, size: Int64, modified: Int64) throws -> RemoteFileRecord? {
        try read { db in
            try RemoteFileRecord.fetchOne(
                db.cachedStatement(
                    sql: "SELECT * FROM remote_files WHERE endpoint = ? AND name = ? AND size = ? AND modified = ?"),
                arguments: [endpoint, name, size, modified])
        }
    }

    /// Notes that a listing showed the file as it is: a first sighting, or one more unchanged one.
    package func recordSighting(endpoint: String, name: String, size: Int64, modified: Int64, at time: Timestamp)
        throws
    {
        try write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO remote_files (endpoint, name, size, modified, first_seen_at, listings)
                    VALUES (?, ?, ?, ?, ?, 1)
                    ON CONFLICT (endpoint, name, size, modified) DO UPDATE SET listings = listings + 1
                    """
            ).execute(arguments: [endpoint, name, size, modified, time])
        }
    }

    /// Records that the file was downloaded, with its content hash and the inbox file it became;
    /// recorded before the file is put in the inbox, so a crash in between downloads it again.
    package func recordFetch(
        endpoint: String, name: String, size: Int64, modified: Int64, sha256: String, inboxPath: String,
        at time: Timestamp
    ) throws {
        try write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO remote_files (endpoint, name, size, modified, first_seen_at, listings, sha256,
                        fetched_at, inbox_path)
                    VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)
                    ON CONFLICT (endpoint, name, size, modified) DO UPDATE SET sha256 = excluded.sha256,
                        fetched_at = excluded.fetched_at, inbox_path = excluded.inbox_path
                    """
            ).execute(arguments: [endpoint, name, size, modified, time, sha256, time, inboxPath])
        }
    }

    /// The files fetched from the endpoint whose remote copy has not been left, moved or deleted yet.
    package func unsettledFetches(endpoint: String) throws -> [RemoteFileRecord] {
        try read { db in
            try RemoteFileRecord.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT * FROM remote_files
                        WHERE endpoint = ? AND settled_at IS NULL AND sha256 IS NOT NULL ORDER BY modified, name
                        """),
                arguments: [endpoint])
        }
    }

    /// Records that the remote copy was dealt with (left, moved or deleted) after the ledger held it.
    package func recordSettled(_ file: RemoteFileRecord, at time: Timestamp) throws {
        try recordSettled(endpoint: file.endpoint, name: file.name, size: file.size, modified: file.modified, at: time)
    }

    /// Records that the remote file with this name, size and time was dealt with.
    package func recordSettled(endpoint: String, name: String, size: Int64, modified: Int64, at time: Timestamp)
        throws
    {
        try write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE remote_files SET settled_at = ?
                    WHERE endpoint = ? AND name = ? AND size = ? AND modified = ?
                    """
            ).execute(arguments: [time, endpoint, name, size, modified])
        }
    }

    /// The newest fetched content hash of the endpoint, for HTTP feeds whose server gives no
    /// validators: the same answer twice is not fetched twice.
    package func lastFetchedHash(endpoint: String) throws -> String? {
        try read { db in
            try String.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT sha256 FROM remote_files WHERE endpoint = ? AND sha256 IS NOT NULL
                        ORDER BY fetched_at DESC LIMIT 1
                        """),
                arguments: [endpoint])
        }
    }
}
