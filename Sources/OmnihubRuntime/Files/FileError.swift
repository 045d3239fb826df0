import Foundation
import Glibc
package import OmnihubCore

/// A file that could not be used, with the path, the system's reason and the remedy that fits.
package struct FileError: OmnihubError {
    /// What kind of failure, for programs.
    package enum Code: String, Sendable {
        /// A system call failed; `errno` says why.
        case system
        /// The inbox entry is a link, a FIFO, a device or a folder, not a regular file.
        case notRegularFile = "not_regular_file"
        /// The file changed while omnihub read it: a partner is still writing it.
        case changedWhileRead = "changed_while_read"
        /// Another process still has the file open for writing, though it may have paused.
        case stillOpenForWriting = "still_open_for_writing"
        /// Another file already has the name omnihub would write, and omnihub never overwrites.
        case alreadyThere = "already_there"
        /// A document cannot be written in its destination's format (a value the format cannot hold).
        case cannotRender = "cannot_render"

        /// Whether the file is only not finished yet, and is taken again once it is.
        package var meansStillWritten: Bool { self == .changedWhileRead || self == .stillOpenForWriting }
    }

    /// What kind of failure.
    package let code: Code
    /// What omnihub was doing: open, read, move, write.
    package let operation: String
    /// The file.
    package let path: String
    /// The system's reason, or the reason in words.
    package let reason: String
    /// The system's error number, when a system call failed.
    package let errno: Int32?
    /// The underlying error, when a library call failed.
    package let cause: (any Error & Sendable)?

    /// An error from a system call's `errno`.
    package init(operation: String, path: String, errno code: Int32) {
        self.code = .system
        self.operation = operation
        self.path = path
        self.reason = String(cString: strerror(code))
        self.errno = code
        self.cause = nil
    }

    /// An error from a Foundation call, with the system's error number when it carries one.
    package init(operation: String, path: String, cause: any Error) {
        let error = cause as NSError
        let posix = [error, error.userInfo[NSUnderlyingErrorKey] as? NSError].compactMap { $0 }.first {
            $0.domain == NSPOSIXErrorDomain
        }
        self.code = .system
        self.operation = operation
        self.path = path
        self.errno = posix.map { Int32($0.code) }
        self.reason = self.errno.map { String(cString: strerror($0)) } ?? error.localizedDescription
        self.cause = cause
    }

    /// An error with a reason in words, which says what to do.
    package init(_ code: Code = .system, operation: String, path: String, reason: String) {
        self.code = code
        self.operation = operation
        self.path = path
        self.reason = reason
        self.errno = nil
        self.cause = nil
    }

    package var kind: FailureKind {
        switch code {
        case .system, .alreadyThere, .changedWhileRead, .stillOpenForWriting: .leftForNextCycle
        case .notRegularFile, .cannotRender: .rejected
        }
    }
    package var errorCode: String { code.rawValue }
    package var location: String { path }
    package var message: String {
        guard code == .system else { return "cannot \(operation) \(path): \(reason)" }
        let number = errno.map { " (\(Self.name(of: $0)))" } ?? ""
        return "cannot \(operation) \(path): \(reason)\(number); \(remedy)"
    }
    package var description: String { message }

    /// What to do about a failed system call, by its error number.
    private var remedy: String {
        switch errno {
        case ENOENT: "check that the file and its folder exist"
        case EACCES, EPERM: "check that omnihub's user may read and write there"
        case ENOSPC, EDQUOT: "free space on that file system"
        case EROFS: "the file system is read-only; point omnihub at a writable folder"
        case EMFILE, ENFILE: "too many files are open; raise the limit (ulimit -n)"
        default: "check the file, its folder and omnihub's rights there"
        }
    }

    private static func name(of number: Int32) -> String {
        let names: [Int32: String] = [
            ENOENT: "ENOENT", EACCES: "EACCES", EPERM: "EPERM", ENOSPC: "ENOSPC", EDQUOT: "EDQUOT", EROFS: "EROFS",
            EMFILE: "EMFILE", ENFILE: "ENFILE", EEXIST: "EEXIST", EISDIR: "EISDIR", ENOTDIR: "ENOTDIR", EIO: "EIO",
            EXDEV: "EXDEV", ELOOP: "ELOOP",
        ]
        return names[number] ?? "errno \(number)"
    }
}
