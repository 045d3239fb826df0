import Glibc

/// A file that could not be used, with the path, the system's reason and what to do.
public struct FileError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, for programs.
    public enum Code: String, Sendable {
        /// A system call failed; `errno` says why.
        case system
        /// The inbox entry is a link, a FIFO, a device or a folder, not a regular file.
        case notRegularFile = "not_regular_file"
        /// The file changed while omnihub read it: a partner is still writing it.
        case changedWhileRead = "changed_while_read"
        /// Another process still has the file open for writing, though it may have paused.
        case stillOpenForWriting = "still_open_for_writing"

        /// Whether the file is only not finished yet, and is taken again once it is.
        public var meansStillWritten: Bool { self == .changedWhileRead || self == .stillOpenForWriting }
    }

    /// What kind of failure.
    public let code: Code
    /// What omnihub was doing: open, read, move, write.
    public let operation: String
    /// The file.
    public let path: String
    /// The system's reason, or the reason in words.
    public let reason: String
    /// The system's error number, when a system call failed.
    public let errno: Int32?

    /// An error from a system call's `errno`.
    public init(operation: String, path: String, errno code: Int32) {
        self.code = .system
        self.operation = operation
        self.path = path
        self.reason = String(cString: strerror(code))
        self.errno = code
    }

    /// An error with a reason in words.
    public init(_ code: Code = .system, operation: String, path: String, reason: String) {
        self.code = code
        self.operation = operation
        self.path = path
        self.reason = reason
        self.errno = nil
    }

    public var description: String {
        switch code {
        case .system:
            "cannot \(operation) \(path): \(reason); check that it exists and omnihub may read and write there"
        case .notRegularFile, .changedWhileRead, .stillOpenForWriting:
            "cannot \(operation) \(path): \(reason)"
        }
    }
}
