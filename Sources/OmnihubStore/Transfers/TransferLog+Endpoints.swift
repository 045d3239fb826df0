import GRDB
package import OmnihubCore

extension TransferLog {
    /// Every endpoint polled so far.
    package func endpoints() throws -> [EndpointRecord] {
        try read { db in
            try EndpointRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM endpoints ORDER BY endpoint"))
        }
    }

    /// The endpoint's health, or a fresh record when it has never been polled.
    package func endpoint(_ id: String, partner: String, direction: TransferDirection) throws -> EndpointRecord {
        try read { db in
            try EndpointRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM endpoints WHERE endpoint = ?"), arguments: [id])
        } ?? EndpointRecord(endpoint: id, partner: partner, direction: direction)
    }

    /// Records how a poll ended: on success the failures in a row start again from nought; on a
    /// failure they count up, with the time of the next try, or the reason the endpoint stopped.
    package func recordPoll(
        _ id: String, partner: String, direction: TransferDirection, _ result: PollResult, at time: Timestamp
    ) throws {
        try write { db in
            try ensureEndpoint(db, id, partner: partner, direction: direction)
            switch result {
            case .succeeded(let files, let bytes):
                try db.cachedStatement(
                    sql: """
                        UPDATE endpoints SET last_poll_at = ?1, last_success_at = ?1, failures_in_row = 0,
                            retry_at = NULL, stopped_because = NULL, files = files + ?2, bytes = bytes + ?3,
                            last_file_at = CASE WHEN ?2 > 0 THEN ?1 ELSE last_file_at END
                        WHERE endpoint = ?4
                        """
                ).execute(arguments: [time, files, bytes, id])
            case .failed(let code, let message, let retryAt):
                try db.cachedStatement(
                    sql: """
                        UPDATE endpoints SET last_poll_at = ?1, last_error = ?2, last_error_code = ?3,
                            last_error_at = ?1, failures_in_row = failures_in_row + 1, retry_at = ?4,
                            stopped_because = CASE WHEN ?4 IS NULL THEN ?2 ELSE NULL END
                        WHERE endpoint = ?5
                        """
                ).execute(arguments: [time, message, code, retryAt, id])
            }
        }
    }

    /// Counts files carried by a poll that also failed part-way.
    package func recordCarried(
        _ id: String, partner: String, direction: TransferDirection, files: Int, bytes: Int64, at time: Timestamp
    ) throws {
        guard files > 0 else { return }
        try write { db in
            try ensureEndpoint(db, id, partner: partner, direction: direction)
            try db.cachedStatement(
                sql: "UPDATE endpoints SET files = files + ?, bytes = bytes + ?, last_file_at = ? WHERE endpoint = ?"
            ).execute(arguments: [files, bytes, time, id])
        }
    }

    /// Keeps an HTTP feed's validators for the next conditional request.
    package func recordValidators(_ id: String, partner: String, etag: String?, lastModified: String?) throws {
        try write { db in
            try ensureEndpoint(db, id, partner: partner, direction: .inbound)
            try db.cachedStatement(
                sql: "UPDATE endpoints SET etag = ?, last_modified = ? WHERE endpoint = ?"
            ).execute(arguments: [etag, lastModified, id])
        }
    }

    /// Clears a stop and the retry wait, so the endpoint is polled at its next tick.
    package func clearStop(partner: String, direction: TransferDirection?) throws {
        try write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE endpoints SET stopped_because = NULL, retry_at = NULL, failures_in_row = 0
                    WHERE partner = ? AND (? IS NULL OR direction = ?)
                    """
            ).execute(arguments: [partner, direction, direction])
        }
    }

    /// The switches set by `omnihub partner`; a partner and direction not listed is on.
    package func switches() throws -> [String: [TransferDirection: PartnerSwitch]] {
        try read { db in
            var result: [String: [TransferDirection: PartnerSwitch]] = [:]
            for row in try Row.fetchAll(
                db.cachedStatement(sql: "SELECT partner, direction, state FROM partner_switches"))
            {
                let partner: String = try row.decode(forColumn: "partner")
                let direction: TransferDirection = try row.decode(forColumn: "direction")
                result[partner, default: [:]][direction] = try row.decode(forColumn: "state")
            }
            return result
        }
    }

    /// Sets a partner's switch for one direction.
    package func setSwitch(_ state: PartnerSwitch, partner: String, direction: TransferDirection, at time: Timestamp)
        throws
    {
        try write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO partner_switches (partner, direction, state, changed_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (partner, direction) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at
                    """
            ).execute(arguments: [partner, direction, state, time])
        }
    }

    /// The endpoint's row, made with nought counts the first time it is written to.
    private func ensureEndpoint(_ db: Database, _ id: String, partner: String, direction: TransferDirection) throws {
        try db.cachedStatement(
            sql: "INSERT INTO endpoints (endpoint, partner, direction) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
        ).execute(arguments: [id, partner, direction])
    }
}
