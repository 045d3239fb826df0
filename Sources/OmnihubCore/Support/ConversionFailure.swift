/// Why a source value could not be turned into the type a field needs.
///
/// The mapping engine wraps it into a ``MappingIssue`` that adds where the value came from.
public struct ConversionFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the value and what is expected instead.
    public let message: String

    /// A failure with a message written for the person who will fix the feed or the mapping.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
