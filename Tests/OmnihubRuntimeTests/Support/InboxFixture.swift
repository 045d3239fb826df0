import Foundation
import Glibc

/// Writes a test's partner file through a close-on-exec descriptor.
///
/// omnihub refuses an inbox file that some process still has open for writing (a read lease
/// tells). Foundation's writers open without `O_CLOEXEC`, so a server or `omnihub` process that
/// another test starts at that instant inherits the descriptor and keeps the file "open for
/// writing" for its whole life; the import then rightly refuses the file and the test fails.
enum InboxFixture {
    struct WriteFailed: Error, CustomStringConvertible {
        let path: String
        let code: Int32
        var description: String { "cannot write test file \(path): \(String(cString: strerror(code)))" }
    }

    static func write(_ content: String, to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw WriteFailed(path: url.path, code: errno) }
        defer { close(descriptor) }
        var bytes = Array(content.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes {
                Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset)
            }
            guard written > 0 else { throw WriteFailed(path: url.path, code: errno) }
            offset += written
        }
    }
}
