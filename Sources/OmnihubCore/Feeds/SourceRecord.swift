/// One record of a feed as the mapping engine sees it: values found by path.
///
/// A CSV row finds a value by column name or number; later readers find them by XML or JSON path.
public protocol SourceRecord {
    /// The value at `path`, or `nil` when the record has none or it is empty.
    func value(at path: String) throws(MappingIssue) -> String?
    /// Where the record is, for error reports.
    var position: RecordPosition { get }
}

/// Where a record sits in its file.
public struct RecordPosition: Sendable, Hashable, Codable {
    /// The record number, from 1 (a CSV data row, an XML or JSON record).
    public let record: Int
    /// The line where the record starts, from 1.
    public let line: Int

    /// A position.
    public init(record: Int, line: Int) {
        self.record = record
        self.line = line
    }
}
