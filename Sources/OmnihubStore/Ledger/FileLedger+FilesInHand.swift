import GRDB
package import OmnihubCore

/// The files a process is importing right now, committed before their mapping starts.
///
/// A file that makes the process die (a crash in a reader, the kernel's OOM killer) would otherwise
/// be taken again by every cycle and stop every partner after it, for ever. The mark survives the
/// crash: the next process sees how often the file was in hand when a process died, and a file
/// that was in hand twice is quarantined instead of being tried a third time.
extension FileLedger {
    /// Marks the file with `sha256` as in hand and returns how many earlier attempts ended without
    /// letting go of it (that is, with the process dying).
    package func takeInHand(sha256: String, partner: String, inboxPath: String, at time: Timestamp) throws -> Int {
        try write { db in
            let earlier =
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT attempts FROM files_in_hand WHERE sha256 = ?"), arguments: [sha256])
                ?? 0
            try db.cachedStatement(
                sql: """
                    INSERT INTO files_in_hand (sha256, partner, inbox_path, attempts, last_started_at)
                    VALUES (?, ?, ?, 1, ?)
                    ON CONFLICT (sha256) DO UPDATE SET attempts = attempts + 1, inbox_path = excluded.inbox_path,
                        last_started_at = excluded.last_started_at
                    """
            ).execute(arguments: [sha256, partner, inboxPath, time.description])
            return earlier
        }
    }

    /// Lets go of a file: its import committed, or failed with an error the process survived.
    package func letGo(sha256: String) throws {
        try write { db in
            try db.cachedStatement(sql: "DELETE FROM files_in_hand WHERE sha256 = ?").execute(arguments: [sha256])
        }
    }
}
