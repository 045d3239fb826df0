package import OmnihubCore

/// A file as it was found in an inbox: what the ledger records to import it exactly once.
package struct FileReceipt: Sendable, Hashable {
    /// The partner the file came from.
    package var partner: String
    /// The partner's feed (one partner may have several).
    package var feed: String
    /// The file's name.
    package var name: String
    /// Where it was found.
    package var inboxPath: String
    /// Its size in bytes.
    package var size: Int64
    /// Its modification time.
    package var modifiedAt: Timestamp
    /// The SHA-256 of its bytes, lower-case hex.
    package var sha256: String

    /// A receipt.
    package init(
        partner: String, feed: String, name: String, inboxPath: String, size: Int64, modifiedAt: Timestamp,
        sha256: String
    ) {
        self.partner = partner
        self.feed = feed
        self.name = name
        self.inboxPath = inboxPath
        self.size = size
        self.modifiedAt = modifiedAt
        self.sha256 = sha256
    }
}

/// What happened to a file, as the ledger keeps it.
package enum FileStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Recorded, import under way (only seen while a transaction is open).
    case importing
    /// Imported; the original is in the archive.
    case imported
    /// Had errors; the original and its `.errors.json` are in quarantine (good orders may be imported).
    case quarantined
    /// The same bytes were already received; nothing was imported.
    case duplicate
}

/// A file in the ledger.
package struct FileRecord: Sendable, Hashable, Codable {
    package var id: Int64
    package var partner: String
    package var feed: String
    package var name: String
    package var inboxPath: String
    package var size: Int64
    package var modifiedAt: String
    package var sha256: String
    package var status: FileStatus
    package var receivedAt: String
    /// Where the original bytes are now: the archive, or quarantine.
    package var storedPath: String
    /// For a duplicate, the file that first brought the same bytes.
    package var duplicateOf: Int64?
    package var records: Int
    package var ordersImported: Int
    /// Orders in the file that were imported before, from another file.
    package var ordersAlreadyKnown: Int
    package var ordersRejected: Int
    package var errors: Int
    /// When the file was last mapped again after a fix (`omnihub files reprocess`).
    package var reprocessedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, partner, feed, name, size, sha256, status, records, errors
        case inboxPath = "inbox_path"
        case modifiedAt = "modified_at"
        case receivedAt = "received_at"
        case storedPath = "stored_path"
        case duplicateOf = "duplicate_of"
        case ordersImported = "orders_imported"
        case ordersAlreadyKnown = "orders_already_known"
        case ordersRejected = "orders_rejected"
        case reprocessedAt = "reprocessed_at"
    }
}
