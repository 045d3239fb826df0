import Glibc
public import OmnihubCore

/// Reads a file from disk in chunks for the feed readers.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    /// The file.
    public let path: String

    /// Opens `path` for reading.
    public init(path: String) throws(FileError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(operation: "open", path: path, errno: errno) }
    }

    deinit {
        close(descriptor)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw FileError(operation: "read", path: path, errno: errno) }
        }
    }
}

/// A file system call that failed, with the path and the system's reason.
public struct FileError: Error, Sendable, CustomStringConvertible {
    /// What omnihub was doing: open, read, move, write.
    public let operation: String
    /// The file.
    public let path: String
    /// The system's reason.
    public let reason: String

    /// An error from `errno`.
    public init(operation: String, path: String, errno code: Int32) {
        self.operation = operation
        self.path = path
        self.reason = String(cString: strerror(code))
    }

    /// An error with a reason in words.
    public init(operation: String, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "cannot \(operation) \(path): \(reason); check that it exists and omnihub may read and write there"
    }
}
