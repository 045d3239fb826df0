public import OmnihubCore

/// A file as it was found in an inbox: what the ledger records to import it exactly once.
public struct FileReceipt: Sendable, Hashable {
    /// The partner the file came from.
    public var partner: String
    /// The partner's feed (one partner may have several).
    public var feed: String
    /// The file's name.
    public var name: String
    /// Where it was found.
    public var inboxPath: String
    /// Its size in bytes.
    public var size: Int64
    /// Its modification time.
    public var modifiedAt: Timestamp
    /// The SHA-256 of its bytes, lower-case hex.
    public var sha256: String

    /// A receipt.
    public init(
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
public enum FileStatus: String, Sendable, Hashable, Codable, CaseIterable {
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
public struct FileRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var partner: String
    public var feed: String
    public var name: String
    public var inboxPath: String
    public var size: Int64
    public var modifiedAt: String
    public var sha256: String
    public var status: FileStatus
    public var receivedAt: String
    /// Where the original bytes are now: the archive, or quarantine.
    public var storedPath: String
    /// For a duplicate, the file that first brought the same bytes.
    public var duplicateOf: Int64?
    public var records: Int
    public var ordersImported: Int
    /// Orders in the file that were imported before, from another file.
    public var ordersAlreadyKnown: Int
    public var ordersRejected: Int
    public var errors: Int
    /// When the file was last mapped again after a fix (`omnihub files reprocess`).
    public var reprocessedAt: String?

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
