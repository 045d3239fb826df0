/// Something wrong with an inbound file or one of its records, with everything needed to find it.
///
/// This is what `.errors.json` reports list and what `omnihub map` prints: a stable ``code``, the
/// place (file, line, column, record, canonical field and the source path it was read from), the
/// offending value, and a message that says what to do.
public struct MappingIssue: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of problem.
    public var code: IssueCode
    /// The file, as the inbox names it.
    public var file: String?
    /// The record number, from 1.
    public var record: Int?
    /// The line in the file, from 1.
    public var line: Int?
    /// The column (character position) in the line, from 1, when known.
    public var column: Int?
    /// The canonical field, e.g. `lines[1].quantity`.
    public var field: String?
    /// Where in the source record the value was read, e.g. the CSV column `quantity-purchased`.
    public var source: String?
    /// The offending value as it appeared.
    public var value: String?
    /// What is wrong and what to do about it.
    public var message: String

    /// An issue; fill in what is known.
    public init(
        _ code: IssueCode, file: String? = nil, record: Int? = nil, line: Int? = nil, column: Int? = nil,
        field: String? = nil, source: String? = nil, value: String? = nil, message: String
    ) {
        self.code = code
        self.file = file
        self.record = record
        self.line = line
        self.column = column
        self.field = field
        self.source = source
        self.value = value
        self.message = message
    }

    /// One line for a person: `orders.tsv line 5, record 4, field lines[1].quantity (column
    /// 'quantity-purchased'), value '0': quantity must be at least 1 [quantity_below_one]`.
    public var description: String {
        var place: [String] = []
        if let file { place.append(file) }
        if let line { place.append(column.map { "line \(line) column \($0)" } ?? "line \(line)") }
        if let record { place.append("record \(record)") }
        if let field {
            place.append(source.map { "field \(field) (from '\($0)')" } ?? "field \(field)")
        } else if let source {
            place.append("'\(source)'")
        }
        if let value { place.append("value '\(value)'") }
        let prefix = place.isEmpty ? "" : place.joined(separator: ", ") + ": "
        return "\(prefix)\(message) [\(code.rawValue)]"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(file, forKey: .file)
        try container.encode(record, forKey: .record)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
        try container.encode(field, forKey: .field)
        try container.encode(source, forKey: .source)
        try container.encode(value, forKey: .value)
        try container.encode(message, forKey: .message)
    }
}
