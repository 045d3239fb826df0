/// Writing CSV rows: the delimiter, and quotes only where a value needs them (or a column asks).
/// Every cell is made inert first (``OutputEncoding/inertCSVCell(_:decimalSeparator:)``): a value a
/// spreadsheet would run as a formula gets a `'` in front and quotes around it.
extension OutputFormat {
    /// The rows of the document's lines, in order. A long document's rows are made on every core,
    /// ``csvRowsPerChunk`` rows at a time (each chunk with its cells of fixed value made once);
    /// the rows and the first failure, in line order, are the same on any number of cores.
    func csvLines<Document: FormattedDocument>(_ document: Document) throws(ConversionFailure) -> [String] {
        let count = document.count(of: "lines")
        let chunks = (count + Self.csvRowsPerChunk - 1) / Self.csvRowsPerChunk
        let made = parallelMap(chunks, workers: outboxWorkers, minimumPerWorker: 1) { chunk in
            Result { () throws(ConversionFailure) -> [String] in
                var constants: [String?] = []
                var rows: [String] = []
                let start = chunk * Self.csvRowsPerChunk
                for index in start..<min(count, start + Self.csvRowsPerChunk) {
                    rows.append(try csvRow(columns, document, collection: "lines", index: index, constants: &constants))
                }
                return rows
            }
        }
        var rows: [String] = []
        rows.reserveCapacity(count)
        for chunk in made { rows += try chunk.get() }
        return rows
    }

    /// How many rows one thread makes at a time: enough that a small document (most have a few
    /// lines) is made on the caller's thread alone.
    package static let csvRowsPerChunk = 128

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
        // Through a buffer pointer: each column is borrowed where iterating the array would copy
        // it (a retain and a release for each of its strings) for every cell.
        try columns.withUnsafeBufferPointer { columns throws(ConversionFailure) in
            for position in columns.indices {
                if position > 0 { row.append(delimiter) }
                if let constant = constants[position] {
                    row += constant
                } else {
                    row += try cell(columns[position], document, collection: collection, index: index)
                }
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
