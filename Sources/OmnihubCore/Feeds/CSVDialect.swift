/// How a delimited text feed is written: delimiter, quoting, header.
public struct CSVDialect: Sendable, Hashable {
    /// The byte between fields: `,`, `;`, a tab or `|`.
    public var delimiter: UInt8
    /// The byte that quotes a field (doubled inside it), or `nil` when the feed never quotes.
    public var quote: UInt8?
    /// Whether the first row names the columns; without one, paths are column numbers (`#1`).
    public var hasHeader: Bool
    /// Rows to skip before the header (or before the data when there is no header).
    public var skipRows: Int

    /// A dialect; the default is RFC 4180 (comma, double quote, header).
    public init(
        delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8? = UInt8(ascii: "\""), hasHeader: Bool = true,
        skipRows: Int = 0
    ) {
        self.delimiter = delimiter
        self.quote = quote
        self.hasHeader = hasHeader
        self.skipRows = skipRows
    }
}
