/// One record of a feed as the mapping engine sees it: values found by path.
///
/// A CSV row finds a value by column name or number; XML and JSON records by a path through the
/// record's tree.
public protocol SourceRecord {
    /// The value at `path`, or `nil` when the record has none or it is empty.
    func value(at path: FieldPath) throws(MappingIssue) -> String?
    /// Every value at `path`, for sums over repeating elements; one at most for a CSV row.
    func values(at path: FieldPath) throws(MappingIssue) -> [String]
    /// The nested records at `path`, such as the line items of an order; none for a CSV row.
    func records(at path: FieldPath) -> [any SourceRecord]
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
