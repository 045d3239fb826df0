public import OmnihubCore

/// A failure of the SQLite store, with the database file and what to do.
public struct StoreError: OmnihubError {
    /// What went wrong, for programs.
    public enum Code: String, Sendable {
        /// The database file cannot be opened or migrated.
        case cannotOpen = "cannot_open"
        /// A statement failed.
        case database
        /// A stored document does not decode: the database was changed by hand or is damaged.
        case corruptDocument = "corrupt_document"
        /// A request contradicts what the store holds, e.g. crediting units never invoiced.
        case refused
        /// What a decision was made on changed before it was recorded (another process recorded
        /// something meanwhile); nothing was recorded, and deciding again on the new facts helps.
        case changedMeanwhile = "changed_meanwhile"
    }

    /// The kind of failure.
    public let code: Code
    /// The database file.
    public let path: String
    /// What happened and what to do.
    public let message: String
    /// The underlying error.
    public let cause: (any Error & Sendable)?

    init(_ code: Code, path: String, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.cause = cause
    }

    public var description: String { "\(path): \(message)" }

    /// A refused request is the caller's mistake, and a decision on changed facts is made again
    /// next cycle; everything else is the store failing.
    public var kind: FailureKind {
        switch code {
        case .refused: .rejected
        case .changedMeanwhile: .leftForNextCycle
        case .cannotOpen, .database, .corruptDocument: .store
        }
    }
    public var location: String { path }
    public var errorCode: String { code.rawValue }
}
