package import OmnihubCore

/// A mistake in `omnihub.yaml` or a mapping file, naming the file, the line, the key and what is
/// expected there. omnihub stops before reading any feed when it finds one.
package struct ConfigurationError: OmnihubError, Hashable {
    /// The file with the mistake.
    package let file: String
    /// The line in the file, from 1, when known.
    package let line: Int?
    /// The key path, e.g. `partners[1].feeds[1].mapping`.
    package let key: String?
    /// What is wrong and what is expected instead.
    package let message: String

    /// An error at a key of a file.
    package init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    package var kind: FailureKind { .configuration }
    package var errorCode: String { "configuration" }
    package var location: String {
        var place = file
        if let line { place += ":\(line)" }
        if let key { place += ", key \(key)" }
        return place
    }

    package var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let key { place += ", key \(key)" }
        return "\(place): \(message)"
    }
}
