import CFileSystem
import Crypto
import Glibc
import OmnihubCore

/// A file taken from an inbox, opened once: its facts, its fingerprint and its records all come
/// from the same open file, so a file swapped for another between the steps is never half read.
///
/// Opened with `O_NOFOLLOW | O_NONBLOCK` and checked to be a regular file: a symbolic link (to
/// `/etc/passwd`, or to a file outside the inbox) is refused, and a FIFO put in a file's place
/// cannot make omnihub wait for a writer that never comes. A file another process on this machine
/// still has open for writing (a partner's upload that paused longer than the stability interval)
/// is refused too, as not finished: the kernel grants a read lease only on a file nobody writes.
package final class InboxFile: Sendable {
    /// Where the file was opened.
    package let path: String
    /// Size and modification time when it was opened.
    package let facts: FileFacts
    let descriptor: Int32

    /// Opens the regular file at `path`; `followLinks` only for files an operator names by hand.
    ///
    /// - Throws: ``FileError`` when the file is gone, unreadable, a link or not a regular file.
    package init(opening path: String, followLinks: Bool = false) throws(FileError) {
        self.path = path
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW)
        let descriptor = open(path, flags)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP {
                throw FileError(
                    .notRegularFile, operation: "open", path: path,
                    reason: "it is a symbolic link; omnihub takes only files that are in the inbox themselves, so a "
                        + "link cannot smuggle in a file from elsewhere. Put the file itself into the inbox")
            }
            throw FileError(operation: "open", path: path, errno: code)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw FileError(operation: "inspect", path: path, errno: code)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw FileError(
                .notRegularFile, operation: "open", path: path,
                reason: "it is not a regular file (a FIFO, device, socket or folder); omnihub reads only regular "
                    + "files. Remove it from the inbox")
        }
        // When it cannot be told (not the file's owner, a file system without leases), the size
        // and time checks tell.
        if !followLinks && omnihub_is_open_for_writing(descriptor) == 1 {
            close(descriptor)
            throw FileError(
                .stillOpenForWriting, operation: "import", path: path,
                reason: "another process still has it open for writing, though it has not changed for a while; "
                    + "it is taken once the writer closes it")
        }
        self.descriptor = descriptor
        self.facts = FileFacts(info)
    }

    deinit {
        close(descriptor)
    }

    /// The facts now, through the open file (the path may have moved on).
    package func currentFacts() throws(FileError) -> FileFacts {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileError(operation: "inspect", path: path, errno: errno) }
        return FileFacts(info)
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end of the file as it was when it
    /// was opened, so a writer who goes on appending cannot keep the import reading for ever (the
    /// change is found when the import compares the facts before it commits).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileError) -> Int {
        let wanted = Int(max(0, min(Int64(buffer.count), facts.size - offset)))
        guard wanted > 0 else { return 0 }
        while true {
            let count = pread(descriptor, buffer.baseAddress, wanted, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw FileError(operation: "read", path: path, errno: errno) }
        }
    }

    /// The SHA-256 of the file's bytes as it was when it was opened, read in chunks from the start
    /// (BoringSSL's, which uses the CPU's SHA instructions: about five times the portable one).
    package func sha256() throws(FileError) -> String {
        var digest = Crypto.SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while true {
            var failure: FileError?
            let count = buffer.withUnsafeMutableBytes { bytes in
                do throws(FileError) {
                    return try read(into: bytes, at: offset)
                } catch {
                    failure = error
                    return 0
                }
            }
            if let failure { throw failure }
            if count == 0 { break }
            offset += Int64(count)
            buffer.withUnsafeBytes { digest.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return digest.finalize().map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
    }
}
