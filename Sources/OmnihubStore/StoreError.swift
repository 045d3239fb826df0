package import OmnihubCore

/// A failure of the SQLite store, with the database file and what to do.
package struct StoreError: OmnihubError {
    /// What went wrong, for programs.
    package enum Code: String, Sendable {
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
    package let code: Code
    /// The database file.
    package let path: String
    /// What happened and what to do.
    package let message: String
    /// The underlying error.
    package let cause: (any Error & Sendable)?

    init(_ code: Code, path: String, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.cause = cause
    }

    package var description: String { "\(path): \(message)" }

    /// A refused request is the caller's mistake, and a decision on changed facts is made again
    /// next cycle; everything else is the store failing.
    package var kind: FailureKind {
        switch code {
        case .refused: .rejected
        case .changedMeanwhile: .leftForNextCycle
        case .cannotOpen, .database, .corruptDocument: .store
        }
    }
    package var location: String { path }
    package var errorCode: String { code.rawValue }
}
