/// How much of a feed omnihub reads before it calls the file hostile: a safe default for every
/// feed, raised or lowered per mapping (`limits:` in the mapping file).
///
/// A partner file is untrusted. Without bounds, a value of 200,000 nested brackets exhausts the
/// stack and a 100 MB field ends up in a customer's e-mail; with them, such a file is quarantined
/// with an error naming the limit, and every other feed goes on.
public struct FeedLimits: Sendable, Hashable {
    /// The deepest nesting of JSON objects and arrays (or XML elements) within a record.
    public var nestingDepth: Int
    /// The longest single value, in bytes as the feed wrote it.
    public var fieldBytes: Int
    /// The most values (columns, JSON members, XML elements and attributes) one record may hold.
    public var recordFields: Int

    /// Limits; the defaults hold every real order feed seen and stop every hostile one tried.
    public init(nestingDepth: Int = 64, fieldBytes: Int = 65_536, recordFields: Int = 100_000) {
        self.nestingDepth = nestingDepth
        self.fieldBytes = fieldBytes
        self.recordFields = recordFields
    }

    /// The defaults.
    public static let standard = FeedLimits()
}
