/// Writing CSV rows: the delimiter, and quotes only where a value needs them (or a column asks).
/// Every cell is made inert first (``OutputEncoding/inertCSVCell(_:decimalSeparator:)``): a value a
/// spreadsheet would run as a formula gets a `'` in front and quotes around it.
extension OutputFormat {
    /// One row: each column's value for entry `index` of `collection`, quoted as CSV needs.
    ///
    /// `constants` keeps the finished cell of each column with a fixed value (`const:`), which is
    /// the same in every row of a file: a file's rows make it once, on the first row. It starts
    /// empty for each list of columns.
    func csvRow<Document: FormattedDocument>(
        _ columns: [Column], _ document: Document, collection: String, index: Int, constants: inout [String?]
    ) throws(ConversionFailure) -> String {
        if constants.isEmpty {
            constants.reserveCapacity(columns.count)
            for column in columns {
                constants.append(
                    column.constant == nil ? nil : try cell(column, document, collection: collection, index: index))
            }
        }
        var row = ""
        row.reserveCapacity(columns.count * 4)
        for (position, column) in columns.enumerated() {
            if position > 0 { row.append(delimiter) }
            if let constant = constants[position] {
                row += constant
            } else {
                row += try cell(column, document, collection: collection, index: index)
            }
        }
        return row
    }

    /// One cell: the column's value, made inert and quoted as CSV needs.
    private func cell<Document: FormattedDocument>(
        _ column: Column, _ document: Document, collection: String, index: Int
    ) throws(ConversionFailure) -> String {
        let raw = try value(column, document, collection: collection, index: index) ?? ""
        let text = OutputEncoding.inertCSVCell(
            raw, decimalSeparator: decimalSeparator, replacement: replacementCharacter)
        let neutralised = text.utf8.first == UInt8(ascii: "'") && raw.utf8.first != UInt8(ascii: "'")
        return column.quoted || neutralised ? "\"" + doubledQuotes(text) + "\"" : quote(text)
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
