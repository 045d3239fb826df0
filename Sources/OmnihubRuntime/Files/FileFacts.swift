import Glibc
public import OmnihubCore

/// What the file system says about a file, and its content fingerprint.
public struct FileFacts: Sendable, Hashable {
    /// Size in bytes.
    public let size: Int64
    /// Last modification, to the millisecond.
    public let modifiedAt: Timestamp

    /// The facts of the file at `path`; `nil` when it is gone or is not a regular file.
    public static func of(_ path: String) -> FileFacts? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let milliseconds = Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
        return FileFacts(size: Int64(info.st_size), modifiedAt: Timestamp(millisecondsSince1970: milliseconds))
    }

    /// The SHA-256 of the file's bytes, read in chunks.
    public static func sha256(of path: String) throws -> String {
        let source = try FileByteSource(path: path)
        var digest = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return digest.finalizeHex()
    }
}
