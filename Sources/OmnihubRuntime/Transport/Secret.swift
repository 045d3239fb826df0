import Foundation

/// A password, key passphrase or bearer token. It is read from an environment variable or a file
/// that `omnihub.yaml` names, never from the YAML itself, and it never appears in a log line, a
/// status report or an error: printed, it says only where it came from.
package struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself, for libcurl and for comparisons; never interpolate it into text.
    package let value: String
    /// Where it came from, e.g. `environment variable AMAZON_SFTP_PASSWORD`.
    package let source: String

    package init(value: String, source: String) {
        self.value = value
        self.source = source
        SecretRegistry.shared.remember(value)
    }

    package var description: String { "<secret from \(source)>" }
    package var debugDescription: String { description }

    /// Compares with `offered` in time that depends on the lengths alone, not on where the two
    /// first differ, so a caller cannot find a token byte by byte.
    package func matches(_ offered: String) -> Bool {
        let expected = Array(value.utf8)
        let given = Array(offered.utf8)
        var difference = UInt8(expected.count == given.count ? 0 : 1)
        for index in 0..<max(expected.count, given.count) {
            let left = index < expected.count ? expected[index] : 0
            let right = index < given.count ? given[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }

    /// Replaces every secret this process has read with `•••` in `text`: the last guard for
    /// messages that quote what a server or libcurl said.
    package static func redacted(_ text: String) -> String {
        SecretRegistry.shared.redact(text)
    }
}

/// The secrets read so far, so that text leaving the process can be scrubbed of them.
private final class SecretRegistry: @unchecked Sendable {
    static let shared = SecretRegistry()
    private let lock = NSLock()
    private var values: Set<String> = []

    func remember(_ value: String) {
        guard value.count >= 4 else { return }
        lock.withLock { _ = values.insert(value) }
    }

    func redact(_ text: String) -> String {
        let known = lock.withLock { values }
        var result = text
        for value in known where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: "•••")
        }
        return result
    }
}
