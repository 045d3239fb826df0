/// An outbound document an ``OutputFormat`` can write: document fields and lines, each field
/// looked up by the name a format file's column gives.
public protocol FormattedDocument: Sendable, Hashable {
    /// The document type a format file names in `document:`, e.g. `fulfilment_order`.
    var type: String { get }
    /// The document's number, unique per destination and wave.
    var number: String { get }
    /// The node or partner it goes to.
    var destination: String { get }
    /// When it was released.
    var wave: Timestamp { get }
    /// How many lines it has.
    var lineCount: Int { get }
    /// The value of a field for the line at `index` (document fields read the same for every line).
    func value(_ name: String, line index: Int) -> String?
}
