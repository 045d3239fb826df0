import Glibc
package import OmnihubCore

/// What the file system says about a file: its size and last modification.
package struct FileFacts: Sendable, Hashable {
    /// Size in bytes.
    package let size: Int64
    /// Last modification, to the millisecond.
    package let modifiedAt: Timestamp

    /// The facts of the file at `path`; `nil` when it is gone or is not a regular file. A symbolic
    /// link is not followed: it is not a regular file.
    package static func of(_ path: String) -> FileFacts? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileFacts(info)
    }

    init(_ info: stat) {
        let milliseconds = Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
        size = Int64(info.st_size)
        modifiedAt = Timestamp(millisecondsSince1970: milliseconds)
    }
}
