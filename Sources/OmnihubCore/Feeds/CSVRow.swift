/// One data row of a delimited feed; fields are decoded only when the mapping reads them.
public struct CSVRow: SourceRecord {
    let storage: [UInt8]
    let fieldEnds: [Int]
    let fieldColumns: [Int]
    let fieldLines: [Int]
    let columns: CSVColumns
    let encoding: TextEncoding
    let fileName: String?

    public let position: RecordPosition

    /// How many fields the row has.
    public var fieldCount: Int { fieldEnds.count }

    /// The field at a zero-based index, decoded; `nil` when the row is shorter.
    public func field(_ index: Int) throws(MappingIssue) -> String? {
        guard index < fieldEnds.count else { return nil }
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        let end = fieldEnds[index]
        do {
            return try storage.withUnsafeBufferPointer { buffer throws(TextEncoding.InvalidBytes) in
                try encoding.decode(UnsafeBufferPointer(rebasing: buffer[start..<end]))
            }
        } catch {
            if let text = error.readsAsUTF8 {
                throw MappingIssue(
                    .invalidEncoding, file: fileName, record: position.record, line: fieldLines[index],
                    column: fieldColumns[index], source: columns.name(of: index), value: text,
                    message: "the value is UTF-8 ('\(text)'), but the mapping declares \(encoding.rawValue); read "
                        + "as declared it would turn into mojibake. Declare encoding: utf-8 in the mapping, or ask the "
                        + "partner for \(encoding.rawValue)")
            }
            let byte = error.byte.map { " (byte 0x\(String($0, radix: 16, uppercase: true)))" } ?? ""
            throw MappingIssue(
                .invalidEncoding, file: fileName, record: position.record, line: fieldLines[index],
                column: fieldColumns[index] + error.offset, source: columns.name(of: index),
                message: "the bytes are not valid \(encoding.rawValue)\(byte); declare the feed's real encoding "
                    + "in the mapping (encoding: windows-1252) or fix the file")
        }
    }

    /// The value of a column named in the header, or `#N` for the N-th column; empty is `nil`.
    public func value(at path: FieldPath) throws(MappingIssue) -> String? {
        guard let index = columns.index(of: path) else { return nil }
        guard let text = try field(index), !text.isEmpty else { return nil }
        return text
    }

    /// The value at `path`, as a list of one or none.
    public func values(at path: FieldPath) throws(MappingIssue) -> [String] {
        try value(at: path).map { [$0] } ?? []
    }

    /// A row has no nested records; the rows of an order are its lines.
    public func records(at path: FieldPath) -> [any SourceRecord] { [] }
}

/// The column names of a feed, looked up by name or by `#N`.
///
/// One reader and the mapping of its rows use it, on one thread; it remembers each path's column so
/// that a million rows do not hash the same column names a million times.
public final class CSVColumns: @unchecked Sendable {
    /// Names from the header, in order; empty for a feed without one.
    public let names: [String]
    private let indexByName: [String: Int]
    /// Column index by ``FieldPath`` id: -2 not resolved yet, -1 no such column.
    private var indexByPathID: [Int] = []

    /// The zero-based column of `path`, resolved once per path.
    @inline(__always)
    func index(of path: FieldPath) -> Int? {
        if path.id < indexByPathID.count {
            let cached = indexByPathID[path.id]
            if cached >= 0 { return cached }
            if cached == -1 { return nil }
        } else {
            indexByPathID.append(contentsOf: repeatElement(-2, count: path.id + 1 - indexByPathID.count))
        }
        let found = index(of: path.text)
        indexByPathID[path.id] = found ?? -1
        return found
    }

    init(names: [String]) {
        self.names = names
        var indexByName: [String: Int] = [:]
        for (index, name) in names.enumerated() where indexByName[name] == nil {
            indexByName[name] = index
        }
        self.indexByName = indexByName
    }

    /// The zero-based index of a column path: a header name, or `#N` counted from 1.
    public func index(of path: String) -> Int? {
        if let index = indexByName[path] { return index }
        if path.hasPrefix("#"), let number = Int(path.dropFirst()), number >= 1 { return number - 1 }
        return nil
    }

    /// Whether `path` names a column that can exist: in the header, or a column number.
    public func contains(_ path: String) -> Bool {
        index(of: path) != nil
    }

    func name(of index: Int) -> String {
        index < names.count ? names[index] : "#\(index + 1)"
    }
}
