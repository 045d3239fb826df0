import Foundation

/// How a canonical outbound document becomes one destination's file: a declarative format file
/// in `mappings/` (see `docs/outbound.md`), so a new partner needs a format, not code.
public struct OutputFormat: Sendable {
    /// The file type.
    public enum FileType: String, Sendable, CaseIterable {
        /// One row per line, with a header.
        case csv
        /// One JSON object: the document fields, and the lines under `lines`.
        case json
    }

    /// A column (CSV) or member (JSON): its name in the file and the canonical field it carries.
    public struct Column: Sendable {
        public var name: String
        public var field: String
        /// A fixed value instead of a field.
        public var constant: String?

        /// A column.
        public init(name: String, field: String, constant: String? = nil) {
            self.name = name
            self.field = field
            self.constant = constant
        }
    }

    public var name: String
    public var type: FileType
    public var delimiter: Character
    public var encoding: TextEncoding
    /// File name with placeholders `{number}`, `{node}`, `{wave}` (the wave as yyyyMMddHHmmss).
    public var fileName: String
    /// Document fields (JSON only).
    public var header: [Column]
    /// Line fields: CSV columns, or members of each JSON line.
    public var columns: [Column]

    /// A format.
    public init(
        name: String, type: FileType, delimiter: Character = ",", encoding: TextEncoding = .utf8, fileName: String,
        header: [Column] = [], columns: [Column]
    ) {
        self.name = name
        self.type = type
        self.delimiter = delimiter
        self.encoding = encoding
        self.fileName = fileName
        self.header = header
        self.columns = columns
    }

    /// The file's name for `document`.
    public func fileName(for document: FulfilmentOrder) -> String {
        let wave = document.wave.description.filter(\.isNumber).prefix(14)
        return fileName.replacingOccurrences(of: "{number}", with: document.number)
            .replacingOccurrences(of: "{node}", with: document.node)
            .replacingOccurrences(of: "{wave}", with: String(wave))
    }

    /// The file's bytes for `document`.
    ///
    /// - Throws: ``ConversionFailure`` when a value cannot be written in the format's encoding.
    public func render(_ document: FulfilmentOrder) throws(ConversionFailure) -> [UInt8] {
        let text: String
        switch type {
        case .csv:
            var rows = [columns.map { quote($0.name) }.joined(separator: String(delimiter))]
            for index in document.lines.indices {
                rows.append(
                    columns.map { quote($0.constant ?? document.value($0.field, line: index) ?? "") }
                        .joined(separator: String(delimiter)))
            }
            text = rows.joined(separator: "\r\n") + "\r\n"
        case .json:
            var json = JSONWriter(capacity: 1024)
            json.beginObject()
            for column in header.sorted(by: { $0.name < $1.name }) {
                json.dynamicKey(column.name)
                json.string(column.constant ?? (document.lines.isEmpty ? nil : document.value(column.field, line: 0)))
            }
            json.dynamicKey("lines")
            json.beginArray()
            for index in document.lines.indices {
                json.beginObject()
                for column in columns.sorted(by: { $0.name < $1.name }) {
                    json.dynamicKey(column.name)
                    json.string(column.constant ?? document.value(column.field, line: index))
                }
                json.endObject()
            }
            json.endArray()
            json.endObject()
            text = String(decoding: json.bytes, as: UTF8.self) + "\n"
        }
        return try encode(text)
    }

    private func quote(_ value: String) -> String {
        guard value.contains(delimiter) || value.contains("\"") || value.contains("\n") || value.contains("\r") else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func encode(_ text: String) throws(ConversionFailure) -> [UInt8] {
        switch encoding {
        case .utf8:
            return Array(text.utf8)
        case .iso8859Latin1, .windows1252:
            guard let data = text.data(using: encoding == .windows1252 ? .windowsCP1252 : .isoLatin1) else {
                throw ConversionFailure(
                    "a value cannot be written in \(encoding.rawValue); the destination needs another encoding")
            }
            return Array(data)
        }
    }
}
