/// Writing CSV rows: the delimiter, and quotes only where a value needs them (or a column asks).
/// Every cell is made inert first (``OutputEncoding/inertCSVCell(_:decimalSeparator:)``): a value a
/// spreadsheet would run as a formula gets a `'` in front and quotes around it.
extension OutputFormat {
    /// One row: each column's value for entry `index` of `collection`, quoted as CSV needs.
    func csvRow<Document: FormattedDocument>(
        _ columns: [Column], _ document: Document, collection: String, index: Int
    ) throws(ConversionFailure) -> String {
        var cells: [String] = []
        for column in columns {
            let raw = try value(column, document, collection: collection, index: index) ?? ""
            let text = OutputEncoding.inertCSVCell(
                raw, decimalSeparator: decimalSeparator, replacement: replacementCharacter)
            let neutralised = text.utf8.first == UInt8(ascii: "'") && raw.utf8.first != UInt8(ascii: "'")
            cells.append(column.quoted || neutralised ? "\"" + doubledQuotes(text) + "\"" : quote(text))
        }
        return cells.joined(separator: String(delimiter))
    }

    /// `value` with each `"` written twice, as CSV quotes it.
    func doubledQuotes(_ value: String) -> String {
        guard value.contains("\"") else { return value }
        var text = ""
        for character in value {
            if character == "\"" { text.append(character) }
            text.append(character)
        }
        return text
    }

    /// `value` in quotes when it holds the delimiter, a quote or a line break; else as it is.
    func quote(_ value: String) -> String {
        guard !value.isEmpty else { return value }
        let needsQuotes: Bool
        if let separator = delimiter.asciiValue {
            // One pass over the bytes: a CSV file has many cells and few need quotes.
            needsQuotes = value.utf8.contains { $0 == separator || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        } else {
            needsQuotes =
                value.contains(delimiter) || value.contains("\"") || value.contains("\n") || value.contains("\r")
        }
        return needsQuotes ? "\"" + doubledQuotes(value) + "\"" : value
    }
}
