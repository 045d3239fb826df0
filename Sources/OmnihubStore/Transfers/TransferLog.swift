package import GRDB
package import OmnihubCore

/// The store's topic of partners' servers: which remote files were seen, fetched and settled,
/// which documents were delivered where, each endpoint's health, and the partner switches.
package struct TransferLog: StoreTopic {
    let database: StoreDatabase
}

/// Which way an endpoint carries files.
package enum TransferDirection: String, Sendable, Hashable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Files fetched from a partner into its inbox.
    case inbound
    /// Documents delivered from the outbox to a partner.
    case outbound
}

/// How a partner's direction is switched, by `omnihub partner`.
package enum PartnerSwitch: String, Sendable, Hashable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Running normally.
    case on
    /// Not polled until resumed; for a short stop, e.g. while the partner repairs its server.
    case paused
    /// Not polled until enabled; for a partner that is off for longer.
    case disabled
    /// Polled and logged, but nothing is downloaded, uploaded, moved or deleted.
    case dryRun = "dry_run"
}

/// A file on a partner's server as omnihub saw it: first seen, how often listed unchanged, and
/// once fetched, its content hash and where it was put in the inbox.
package struct RemoteFileRecord: Sendable, Hashable, FetchableRecord {
    package var endpoint: String
    package var name: String
    package var size: Int64
    package var modified: Int64
    package var firstSeenAt: Timestamp
    package var listings: Int
    package var sha256: String?
    package var fetchedAt: Timestamp?
    package var inboxPath: String?
    package var settledAt: Timestamp?

    package init(row: Row) throws {
        endpoint = try row.decode(forColumn: "endpoint")
        name = try row.decode(forColumn: "name")
        size = try row.decode(forColumn: "size")
        modified = try row.decode(forColumn: "modified")
        firstSeenAt = try row.decode(forColumn: "first_seen_at")
        listings = try row.decode(forColumn: "listings")
        sha256 = try row.decode(forColumn: "sha256")
        fetchedAt = try row.decode(forColumn: "fetched_at")
        inboxPath = try row.decode(forColumn: "inbox_path")
        settledAt = try row.decode(forColumn: "settled_at")
    }
}

/// An endpoint's health and counts, as `omnihub status` shows them.
package struct EndpointRecord: Sendable, Hashable, Codable, FetchableRecord {
    package var endpoint: String
    package var partner: String
    package var direction: TransferDirection
    package var lastPollAt: Timestamp?
    package var lastSuccessAt: Timestamp?
    package var lastFileAt: Timestamp?
    package var lastError: String?
    package var lastErrorCode: String?
    package var lastErrorAt: Timestamp?
    package var failuresInRow: Int
    package var retryAt: Timestamp?
    package var stoppedBecause: String?
    package var files: Int64
    package var bytes: Int64
    package var etag: String?
    package var lastModified: String?

    package init(row: Row) throws {
        endpoint = try row.decode(forColumn: "endpoint")
        partner = try row.decode(forColumn: "partner")
        direction = try row.decode(forColumn: "direction")
        lastPollAt = try row.decode(forColumn: "last_poll_at")
        lastSuccessAt = try row.decode(forColumn: "last_success_at")
        lastFileAt = try row.decode(forColumn: "last_file_at")
        lastError = try row.decode(forColumn: "last_error")
        lastErrorCode = try row.decode(forColumn: "last_error_code")
        lastErrorAt = try row.decode(forColumn: "last_error_at")
        failuresInRow = try row.decode(forColumn: "failures_in_row")
        retryAt = try row.decode(forColumn: "retry_at")
        stoppedBecause = try row.decode(forColumn: "stopped_because")
        files = try row.decode(forColumn: "files")
        bytes = try row.decode(forColumn: "bytes")
        etag = try row.decode(forColumn: "etag")
        lastModified = try row.decode(forColumn: "last_modified")
    }

    /// A new endpoint that has not been polled.
    package init(endpoint: String, partner: String, direction: TransferDirection) {
        self.endpoint = endpoint
        self.partner = partner
        self.direction = direction
        failuresInRow = 0
        files = 0
        bytes = 0
    }
}

/// How one poll of an endpoint ended, to be recorded.
package enum PollResult: Sendable, Hashable {
    /// The poll ran; `files` files of `bytes` bytes were carried.
    case succeeded(files: Int, bytes: Int64)
    /// The poll failed; it is tried again at `retryAt`, or, with no retry time, the endpoint is
    /// stopped until someone resumes it.
    case failed(code: String, message: String, retryAt: Timestamp?)
}
