import Glibc
import OmnihubCore

/// Reads a file from disk in chunks for the feed readers, from the start, through an open
/// ``InboxFile``.
package final class FileByteSource: ByteSource {
    private let file: InboxFile
    private var offset: Int64 = 0
    /// The file.
    package var path: String { file.path }

    /// Reads the file an inbox file holds open, from its first byte.
    package init(file: InboxFile) {
        self.file = file
    }

    /// Opens `path` for reading; a file an operator names, so a symbolic link is followed.
    package convenience init(path: String) throws(FileError) {
        self.init(file: try InboxFile(opening: path, followLinks: true))
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try file.read(into: buffer, at: offset)
        offset += Int64(count)
        return count
    }
}
