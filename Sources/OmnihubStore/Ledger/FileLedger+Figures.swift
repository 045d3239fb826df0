import GRDB
package import OmnihubCore

/// How many files of a partner ended in a status.
package struct FileCount: Sendable, Hashable, FetchableRecord, Decodable {
    package var partner: String
    package var status: FileStatus
    package var files: Int
}

extension FileLedger {
    /// Files received at or after `since`, counted by partner and status.
    package func counts(receivedSince since: Timestamp) throws -> [FileCount] {
        try read { db in
            try FileCount.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT partner, status, COUNT(*) AS files FROM files WHERE received_at >= ?
                        GROUP BY partner, status ORDER BY partner, status
                        """),
                arguments: [since.description])
        }
    }

    /// How many files wait in quarantine.
    package func quarantinedCount() throws -> Int {
        try read { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM files WHERE status = 'quarantined'")) ?? 0
        }
    }

    /// Files in the ledger, newest first, a page at a time: of one partner, feed, status or
    /// day received (`yyyy-mm-dd`) when given.
    package func files(
        partner: String?, feed: String? = nil, status: FileStatus?, receivedOn day: String?, limit: Int, offset: Int
    ) throws -> [FileRecord] {
        try read { db in
            try FileRecord.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT * FROM files WHERE (?1 IS NULL OR partner = ?1) AND (?2 IS NULL OR feed = ?2)
                            AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR substr(received_at, 1, 10) = ?4)
                        ORDER BY id DESC LIMIT ?5 OFFSET ?6
                        """),
                arguments: [partner, feed, status?.rawValue, day, limit, offset])
        }
    }
}
