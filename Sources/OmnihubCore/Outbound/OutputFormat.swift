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
        /// One XML document: the document fields under the root element, then one element per line.
        case xml
    }

    /// The element names of an XML file. A column whose name starts with `@` becomes an attribute
    /// of the root (header) or of the line element.
    public struct XMLShape: Sendable {
        /// The document element, e.g. `FulfilmentOrder`.
        public var root: String
        /// The default namespace of every element, if the destination uses one.
        public var namespace: String?
        /// An element around the lines, e.g. `Lines`; `nil` puts them straight under the root.
        public var lines: String?
        /// The element of each line, e.g. `Line`.
        public var line: String

        /// A shape.
        public init(root: String, namespace: String? = nil, lines: String? = nil, line: String) {
            self.root = root
            self.namespace = namespace
            self.lines = lines
            self.line = line
        }
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
    /// The document it writes: `fulfilment_order` (also used for fulfilment cancellations) or
    /// `shipping_confirmation`.
    public var document = "fulfilment_order"
    /// File name of a fulfilment cancellation, same placeholders; `cancel-` before ``fileName`` when not given.
    public var cancellationFileName: String?
    /// Document fields (JSON and XML).
    public var header: [Column]
    /// Line fields: CSV columns, or members of each JSON line.
    public var columns: [Column]
    /// The element names, for XML.
    public var xml: XMLShape?

    /// A format.
    public init(
        name: String, type: FileType, delimiter: Character = ",", encoding: TextEncoding = .utf8, fileName: String,
        header: [Column] = [], columns: [Column], xml: XMLShape? = nil
    ) {
        self.name = name
        self.type = type
        self.delimiter = delimiter
        self.encoding = encoding
        self.fileName = fileName
        self.header = header
        self.columns = columns
        self.xml = xml
    }

    /// The file's name for `document`.
    public func fileName(for document: some FormattedDocument) -> String {
        let wave = document.wave.description.filter(\.isNumber).prefix(14)
        let template =
            document.type == "fulfilment_cancellation" ? cancellationFileName ?? "cancel-" + fileName : fileName
        return template.replacingOccurrences(of: "{number}", with: document.number)
            .replacingOccurrences(of: "{node}", with: document.destination)
            .replacingOccurrences(of: "{destination}", with: document.destination)
            .replacingOccurrences(of: "{wave}", with: String(wave))
    }

    /// The file's bytes for `document`.
    ///
    /// - Throws: ``ConversionFailure`` when a value cannot be written in the format's encoding.
    public func render(_ document: some FormattedDocument) throws(ConversionFailure) -> [UInt8] {
        let text: String
        switch type {
        case .csv:
            var rows = [columns.map { quote($0.name) }.joined(separator: String(delimiter))]
            for index in (0..<document.lineCount) {
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
                json.string(column.constant ?? (document.lineCount == 0 ? nil : document.value(column.field, line: 0)))
            }
            json.dynamicKey("lines")
            json.beginArray()
            for index in (0..<document.lineCount) {
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
        case .xml:
            text = renderXML(document)
        }
        return try encode(text)
    }

    private func renderXML(_ document: some FormattedDocument) -> String {
        let shape = xml ?? XMLShape(root: "Document", lines: nil, line: "Line")
        func value(_ column: Column, line index: Int) -> String? {
            column.constant
                ?? (index < document.lineCount ? document.value(column.field, line: index) : nil)
        }
        func open(_ name: String, _ columns: [Column], line index: Int, namespace: String? = nil) -> String {
            var tag = "<" + name
            if let namespace { tag += " xmlns=\"\(escape(namespace))\"" }
            for column in columns where column.name.hasPrefix("@") {
                guard let text = value(column, line: index) else { continue }
                tag += " \(column.name.dropFirst())=\"\(escape(text))\""
            }
            return tag + ">"
        }
        func children(_ columns: [Column], line index: Int, indent: String) -> String {
            var text = ""
            for column in columns where !column.name.hasPrefix("@") {
                guard let content = value(column, line: index), !content.isEmpty else { continue }
                text += "\(indent)<\(column.name)>\(escape(content))</\(column.name)>\n"
            }
            return text
        }
        let encodingName = ["utf-8": "UTF-8", "iso-8859-1": "ISO-8859-1", "windows-1252": "windows-1252"][
            encoding.rawValue]
        var text = "<?xml version=\"1.0\" encoding=\"\(encodingName ?? "UTF-8")\"?>\n"
        text += open(shape.root, header, line: 0, namespace: shape.namespace) + "\n"
        text += children(header, line: 0, indent: "  ")
        let lineIndent = shape.lines == nil ? "  " : "    "
        if let wrapper = shape.lines { text += "  <\(wrapper)>\n" }
        for index in (0..<document.lineCount) {
            text += lineIndent + open(shape.line, columns, line: index) + "\n"
            text += children(columns, line: index, indent: lineIndent + "  ")
            text += "\(lineIndent)</\(shape.line)>\n"
        }
        if let wrapper = shape.lines { text += "  </\(wrapper)>\n" }
        return text + "</\(shape.root)>\n"
    }

    private func escape(_ value: String) -> String {
        var text = ""
        for character in value {
            switch character {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "\"": text += "&quot;"
            case "'": text += "&apos;"
            default: text.append(character)
            }
        }
        return text
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
