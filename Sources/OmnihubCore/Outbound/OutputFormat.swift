public import Foundation

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
        /// JSON Lines: each document one JSON object on a line of its own (as ``json`` writes it),
        /// and a run's documents of a kind in one file where the emitter takes them so (customer
        /// notifications: a part's messages per file).
        case jsonLines = "json_lines"
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

    /// A column (CSV), member (JSON), element or attribute (XML): its name in the file and the
    /// canonical field it carries, or a fixed value, and how the value is written.
    public struct Column: Sendable {
        public var name: String
        public var field: String
        /// A fixed value instead of a field.
        public var constant: String?
        /// Writes a date-time field with this pattern (in the format's ``OutputFormat/timeZone``).
        public var dateFormat: DateTimeFormat?
        /// Quote the value even when it needs no quotes, and write `""` when it is empty (CSV).
        public var quoted = false
        /// Replaces the value by the table's entry, e.g. a VAT rate by its revenue account.
        public var lookup: [String: String]?
        /// The value when the lookup has no entry; `nil` makes a missing entry an error.
        public var lookupDefault: String?

        /// A column.
        public init(name: String, field: String, constant: String? = nil) {
            self.name = name
            self.field = field
            self.constant = constant
        }
    }

    /// An element of an XML template: its name (with a namespace prefix when the format declares
    /// one), a value or child elements, attributes, and whether it repeats for each entry of a
    /// part of the document (`lines`, `taxes`, `charges`).
    public struct XMLElement: Sendable {
        public var name: String
        public var value: Column?
        public var attributes: [Column]
        public var children: [XMLElement]
        /// The part of the document this element repeats for; its fields are read from that entry.
        public var each: String?
        /// A field that must have a value for the element to be written, e.g. `discount`.
        public var when: String?

        /// An element.
        public init(
            name: String, value: Column? = nil, attributes: [Column] = [], children: [XMLElement] = [],
            each: String? = nil
        ) {
            self.name = name
            self.value = value
            self.attributes = attributes
            self.children = children
            self.each = each
        }
    }

    public var name: String
    public var type: FileType
    public var delimiter: Character
    public var encoding: TextEncoding
    /// File name with placeholders `{number}`, `{node}`, `{wave}` (the wave as yyyyMMddHHmmss).
    public var fileName: String
    /// The document it writes: `fulfilment_order` (also used for fulfilment cancellations),
    /// `shipping_confirmation`, `inventory_feed`, `order_acknowledgement`, `order_cancellation`,
    /// `invoice`, `credit_note`, `bookings` or `customer_notification`.
    public var document = "fulfilment_order"
    /// File name of a fulfilment cancellation, same placeholders; `cancel-` before ``fileName`` when not given.
    public var cancellationFileName: String?
    /// Document fields (JSON and XML).
    public var header: [Column]
    /// Line fields: CSV columns, or members of each JSON line.
    public var columns: [Column]
    /// The element names, for XML.
    public var xml: XMLShape?
    /// A full XML template, for documents deeper than a root with lines (UBL); replaces ``xml``.
    public var template: XMLElement?
    /// Namespace prefixes declared on the template's root (`""` is the default namespace).
    public var namespaces: [(prefix: String, uri: String)] = []
    /// The separator written in money and rates: `.` or `,`.
    public var decimalSeparator: Character = "."
    /// The zone dates with a ``Column/dateFormat`` are written in.
    public var timeZone = TimeZone(identifier: "UTC")!
    /// A CSV line written before the header row (DATEV's EXTF line), from document fields.
    public var preamble: [Column] = []
    /// Whether a CSV file starts with the column names.
    public var headerRow = true
    /// The XML Schema every written document must keep (XML only); a document it refuses is not
    /// written.
    public var schema: XMLSchema?

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

    /// What stands in for a character a file must not hold: U+FFFD, or `?` in an encoding without it.
    var replacementCharacter: Unicode.Scalar { encoding == .utf8 ? "\u{FFFD}" : "?" }

    /// The file's name for `document`, safe to create whatever the data in it
    /// (``OutputEncoding/safeFileName(_:)``). A part of a wave (``FormattedDocument/part``) whose
    /// name does not hold `{number}` gets `-<part>` before the extension, so no two parts share
    /// a file.
    public func fileName(for document: some FormattedDocument) -> String {
        // The timestamp's digits (it is ASCII): a byte test, not a Unicode property lookup.
        let wave = String(
            decoding: document.wave.description.utf8.filter { (0x30...0x39).contains($0) }.prefix(14), as: UTF8.self)
        let template =
            document.type == "fulfilment_cancellation" ? cancellationFileName ?? "cancel-" + fileName : fileName
        var name = Self.filled(
            template,
            [
                "number": document.number, "node": document.destination, "destination": document.destination,
                "wave": wave,
            ])
        if let part = document.part, !template.contains("{number}") {
            let stem = name.lastIndex(of: ".") ?? name.endIndex
            name.insert(contentsOf: "-\(part)", at: stem)
        }
        return OutputEncoding.safeFileName(name)
    }

    /// `template` with each `{placeholder}` that `values` names replaced by its value, in one
    /// pass: a value is never read for placeholders itself. Anything else is kept as it is.
    static func filled(_ template: String, _ values: [String: String]) -> String {
        var name = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            name += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"),
                let value = values[String(rest[rest.index(after: open)..<close])]
            else {
                name.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            name += value
            rest = rest[rest.index(after: close)...]
        }
        return name + rest
    }

    /// The file's bytes for `document`.
    ///
    /// - Throws: ``ConversionFailure`` when a value cannot be written in the format's encoding,
    ///   or a lookup has no entry for a value.
    public func render<Document: FormattedDocument>(_ document: Document) throws(ConversionFailure) -> [UInt8] {
        let text: String
        var utf8: [UInt8]?
        switch type {
        case .csv:
            var rows: [String] = []
            if !preamble.isEmpty {
                var constants: [String?] = []
                rows.append(try csvRow(preamble, document, collection: "", index: 0, constants: &constants))
            }
            if headerRow { rows.append(columns.map { quote($0.name) }.joined(separator: String(delimiter))) }
            rows += try csvLines(document)
            text = rows.joined(separator: "\r\n") + "\r\n"
        case .json, .jsonLines:
            var json = JSONWriter(capacity: 1024)
            json.beginObject()
            for column in header.sorted(by: { $0.name < $1.name }) {
                json.dynamicKey(column.name)
                json.string(try value(column, document, collection: "", index: 0))
            }
            // A format without columns (a refund, a bookings header) has no lines to write.
            if !columns.isEmpty {
                json.dynamicKey("lines")
                json.beginArray()
                for index in 0..<document.count(of: "lines") {
                    json.beginObject()
                    for column in columns.sorted(by: { $0.name < $1.name }) {
                        json.dynamicKey(column.name)
                        json.string(try value(column, document, collection: "lines", index: index))
                    }
                    json.endObject()
                }
                json.endArray()
            }
            json.endObject()
            text = String(decoding: json.bytes, as: UTF8.self) + "\n"
        case .xml:
            let bytes: [UInt8]
            if let template {
                bytes = try renderTemplate(template, document)
            } else {
                bytes = try renderXML(document)
            }
            utf8 = bytes
            text = encoding == .utf8 ? "" : String(decoding: bytes, as: UTF8.self)
        }
        let bytes = try encoding == .utf8 ? utf8 ?? Array(text.utf8) : encode(text)
        if let schema {
            let problems = schema.problems(in: bytes)
            guard problems.isEmpty else {
                throw ConversionFailure(
                    "\(document.number) does not keep the schema \(schema.path): "
                        + problems.prefix(3).joined(separator: "; ")
                        + (problems.count > 3 ? " (and \(problems.count - 3) more)" : ""))
            }
        }
        return bytes
    }

    /// The value `column` writes for entry `index` of `collection` (`""` reads document fields),
    /// after its lookup, date format and the format's decimal separator.
    func value<Document: FormattedDocument>(
        _ column: Column, _ document: Document, collection: String, index: Int
    ) throws(ConversionFailure) -> String? {
        guard var text = column.constant ?? document.value(column.field, in: collection, at: index) else {
            return column.lookup == nil ? nil : column.lookupDefault
        }
        if let lookup = column.lookup {
            if let entry = lookup[text] ?? Self.numericKey(text, in: lookup) {
                text = entry
            } else if let fallback = column.lookupDefault {
                text = fallback
            } else {
                throw ConversionFailure(
                    "\(column.field) '\(text)' has no entry in the lookup of '\(column.name)'; add it to the format "
                        + "file, or give the lookup a default")
            }
            return text
        }
        if let dateFormat = column.dateFormat {
            let timestamp = try DateTimeFormat.iso8601.parse(text, zone: nil)
            text = dateFormat.write(timestamp, zone: timeZone)
        }
        if decimalSeparator != ".", Document.amountFields.contains(column.field) {
            text = String(text.map { $0 == "." ? decimalSeparator : $0 })
        }
        return text
    }

    /// The entry whose key is the same number as `text` (`19` for `19.0`).
    private static func numericKey(_ text: String, in lookup: [String: String]) -> String? {
        guard let number = Amount(parsing: text) else { return nil }
        return lookup.first { Amount(parsing: $0.key) == number }?.value
    }

    private func encode(_ text: String) throws(ConversionFailure) -> [UInt8] {
        switch encoding {
        case .utf8:
            return Array(text.utf8)
        case .iso8859Latin1, .windows1252:
            // Written straight where every character is one of the encoding's own; Foundation
            // converts (or refuses) any other character.
            if let bytes = encoding.singleByteEncoded(text) { return bytes }
            guard let data = text.data(using: encoding == .windows1252 ? .windowsCP1252 : .isoLatin1) else {
                throw ConversionFailure(
                    "a value cannot be written in \(encoding.rawValue); the destination needs another encoding")
            }
            return Array(data)
        }
    }
}
