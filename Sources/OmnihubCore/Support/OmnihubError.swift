/// What kind of failure an error is. The command line maps each to one documented exit code
/// (`ExitStatus`), in one place.
public enum FailureKind: String, Sendable, Hashable, Codable {
    /// Records, files or a request were rejected for what they say (exit 1).
    case rejected
    /// A file could not be read, moved or written, or what it would record changed meanwhile; it
    /// stays where it is for the next cycle (exit 3).
    case leftForNextCycle = "left_for_next_cycle"
    /// The order, file or partner asked for does not exist (exit 4).
    case notFound = "not_found"
    /// The store failed (exit 70).
    case store
    /// `omnihub.yaml` or a mapping file has a mistake (exit 78).
    case configuration
}

/// An error omnihub explains, after swift-nio's `FileSystemError`: a kind and a stable code for
/// programs, what happened with the remedy that fits this failure, where it happened, and the
/// underlying cause.
public protocol OmnihubError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure: decides the exit code.
    var kind: FailureKind { get }
    /// A stable code for programs, e.g. `changed_meanwhile`, `not_regular_file`.
    var errorCode: String { get }
    /// Where: a file (with line and key), a store, a folder.
    var location: String { get }
    /// What happened, and what to do about it.
    var message: String { get }
    /// The underlying error, when there is one.
    var cause: (any Error & Sendable)? { get }
}

extension OmnihubError {
    public var cause: (any Error & Sendable)? { nil }
}
