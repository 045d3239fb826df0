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
    /// Which part of its wave it is, when the wave's documents for one destination took more
    /// than one (``OutputFormat/fileName(for:)`` then tells them apart); `nil` otherwise.
    var part: Int? { get }
    /// How many lines it has.
    var lineCount: Int { get }
    /// The value of a field for the line at `index` (document fields read the same for every line).
    func value(_ name: String, line index: Int) -> String?
    /// How many entries a repeated part of the document has: `lines`, and for invoices also
    /// `taxes` (one per VAT rate) and `charges`.
    func count(of collection: String) -> Int
    /// The value of a field for entry `index` of `collection` (document fields read the same for
    /// every entry); the collection `""` reads document fields alone.
    func value(_ name: String, in collection: String, at index: Int) -> String?
    /// The fields that carry money, rates or quantities with decimals, which a format writes
    /// with its decimal separator.
    static var amountFields: Set<String> { get }
}

extension FormattedDocument {
    public var part: Int? { nil }

    public func count(of collection: String) -> Int {
        collection == "lines" ? lineCount : 0
    }

    public func value(_ name: String, in collection: String, at index: Int) -> String? {
        switch collection {
        case "lines": return index < lineCount ? value(name, line: index) : nil
        case "": return lineCount > 0 ? value(name, line: 0) : nil
        default: return nil
        }
    }

    public static var amountFields: Set<String> { [] }
}
