public import OmnihubCore

/// A mistake in `omnihub.yaml` or a mapping file, naming the file, the line, the key and what is
/// expected there. omnihub stops before reading any feed when it finds one.
public struct ConfigurationError: OmnihubError, Hashable {
    /// The file with the mistake.
    public let file: String
    /// The line in the file, from 1, when known.
    public let line: Int?
    /// The key path, e.g. `partners[1].feeds[1].mapping`.
    public let key: String?
    /// What is wrong and what is expected instead.
    public let message: String

    /// An error at a key of a file.
    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var kind: FailureKind { .configuration }
    public var errorCode: String { "configuration" }
    public var location: String {
        var place = file
        if let line { place += ":\(line)" }
        if let key { place += ", key \(key)" }
        return place
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let key { place += ", key \(key)" }
        return "\(place): \(message)"
    }
}
