/// Reads a delimited feed (CSV, TSV, semicolon) one row at a time from a ``ByteSource``.
///
/// Handles quoted fields with doubled quotes, delimiters and line breaks inside quotes, CRLF, LF
/// and lone CR line ends, a UTF-8 byte order mark, blank lines and rows to skip. Memory holds one
/// chunk and one row, whatever the size of the file; a field or a row past ``FeedLimits`` stops
/// the file. A structural error (a quote never closed, text after a closing quote) stops the file
/// with the line and column where it happened.
public struct CSVReader {
    private var source: any ByteSource
    private let dialect: CSVDialect
    private let encoding: TextEncoding
    private let fileName: String?
    private let limits: FeedLimits

    private var chunk: [UInt8]
    private var chunkEnd = 0
    private var position = 0
    private var atEnd = false
    private var line = 1
    private var column = 1
    private var startedReading = false
    private var recordNumber = 0

    /// The columns, known once the header is read (or empty names for a feed without a header).
    public private(set) var columns = CSVColumns(names: [])

    /// A reader; `fileName` appears in every error it reports.
    public init(
        source: any ByteSource, dialect: CSVDialect, encoding: TextEncoding, fileName: String?,
        limits: FeedLimits = .standard, chunkSize: Int = 1 << 20
    ) {
        self.source = source
        self.limits = limits
        self.dialect = dialect
        self.encoding = encoding
        self.fileName = fileName
        self.chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    /// Reads the header (if the dialect has one) and the rows to skip; called by the first ``next()``.
    public mutating func readHeader() throws(MappingIssue) {
        guard !startedReading else { return }
        startedReading = true
        try skipByteOrderMark()
        for _ in 0..<dialect.skipRows {
            guard try readRawRow() != nil else { break }
        }
        if dialect.hasHeader {
            guard let raw = try readRawRow() else {
                throw MappingIssue(.emptyFile, file: fileName, message: "the file is empty; expected a header row")
            }
            let row = makeRow(raw, record: 0)
            var names: [String] = []
            for index in 0..<row.fieldCount {
                names.append(try row.field(index) ?? "")
            }
            columns = CSVColumns(names: names)
        }
    }

    /// The next data row, or `nil` at the end of the file.
    public mutating func next() throws(MappingIssue) -> CSVRow? {
        try readHeader()
        guard let raw = try readRawRow() else { return nil }
        recordNumber += 1
        return makeRow(raw, record: recordNumber)
    }

    private struct RawRow {
        var storage: [UInt8] = []
        var fieldEnds: [Int] = []
        var fieldColumns: [Int] = []
        var fieldLines: [Int] = []
        var line = 0
    }

    private func makeRow(_ raw: RawRow, record: Int) -> CSVRow {
        CSVRow(
            storage: raw.storage, fieldEnds: raw.fieldEnds, fieldColumns: raw.fieldColumns,
            fieldLines: raw.fieldLines, columns: columns, encoding: encoding, fileName: fileName,
            position: RecordPosition(record: record, line: raw.line))
    }

    private enum State { case fieldStart, unquoted, quoted, afterQuote }

    private mutating func readRawRow() throws(MappingIssue) -> RawRow? {
        var row = RawRow()
        var state = State.fieldStart
        var quoteLine = 0
        var quoteColumn = 0
        let delimiter = dialect.delimiter
        let quote = dialect.quote
        while true {
            guard let byte = try nextByte() else {
                if state == .quoted {
                    throw MappingIssue(
                        .malformedCSV, file: fileName, line: quoteLine, column: quoteColumn,
                        message: "a quoted field starts here and is never closed; close the quote or escape "
                            + "quotes inside the field by doubling them")
                }
                if state == .fieldStart && row.fieldEnds.isEmpty { return nil }
                try endField(&row)
                return row
            }
            if state == .fieldStart && row.fieldEnds.isEmpty && row.storage.isEmpty {
                row.line = line
            }
            let byteColumn = column
            if byte == 10 {
                line += 1
                column = 1
            } else {
                column += 1
            }
            switch state {
            case .fieldStart, .unquoted:
                if state == .fieldStart {
                    row.fieldColumns.append(byteColumn)
                    row.fieldLines.append(line - (byte == 10 ? 1 : 0))
                }
                if byte == delimiter {
                    try endField(&row)
                    state = .fieldStart
                } else if try endsLine(byte) {
                    if state == .fieldStart && row.fieldEnds.isEmpty {
                        row.fieldColumns.removeAll()
                        row.fieldLines.removeAll()
                        continue  // a blank line
                    }
                    try endField(&row)
                    return row
                } else if byte == 13 {
                    continue  // the carriage return of a CRLF: the line feed ends the row
                } else if byte == quote && state == .fieldStart {
                    state = .quoted
                    quoteLine = line
                    quoteColumn = byteColumn
                } else {
                    row.storage.append(byte)
                    state = .unquoted
                    appendRun(to: &row.storage, quoted: false)
                    try checkFieldLength(row)
                }
            case .quoted:
                if byte == quote {
                    state = .afterQuote
                } else {
                    row.storage.append(byte)
                    if byte != 10 { appendRun(to: &row.storage, quoted: true) }
                    try checkFieldLength(row)
                }
            case .afterQuote:
                if byte == quote {
                    row.storage.append(byte)
                    state = .quoted
                } else if byte == delimiter {
                    try endField(&row)
                    state = .fieldStart
                } else if try endsLine(byte) {
                    try endField(&row)
                    return row
                } else if byte != 13 {
                    throw MappingIssue(
                        .malformedCSV, file: fileName, line: line - (byte == 10 ? 1 : 0), column: byteColumn,
                        message: "text follows a closing quote; a quote inside a quoted field must be doubled")
                }
            }
        }
    }

    /// Copies the run of ordinary bytes that follows in the chunk in one go, instead of byte by
    /// byte: up to a delimiter or line end outside quotes, up to a quote or line end inside them.
    @inline(__always)
    private mutating func appendRun(to storage: inout [UInt8], quoted: Bool) {
        let start = position
        var index = position
        let end = chunkEnd
        let delimiter = dialect.delimiter
        let quote = dialect.quote
        chunk.withUnsafeBufferPointer { buffer in
            if quoted, let quote {
                while index < end {
                    let byte = buffer[index]
                    if byte == quote || byte == 10 { break }
                    index &+= 1
                }
            } else {
                while index < end {
                    let byte = buffer[index]
                    if byte == delimiter || byte == 10 || byte == 13 { break }
                    index &+= 1
                }
            }
            storage.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
        }
        column &+= index &- start
        position = index
    }

    /// Whether `byte` ends a line: a line feed, or a carriage return without one after it.
    private mutating func endsLine(_ byte: UInt8) throws(MappingIssue) -> Bool {
        if byte == 10 { return true }
        if byte != 13 { return false }
        return try !followsLineFeed()
    }

    /// After a carriage return: whether a line feed comes next (CRLF). A lone CR ends the row by
    /// itself, as in files from old Macs, and counts as a line, so no row is silently merged into
    /// the next.
    private mutating func followsLineFeed() throws(MappingIssue) -> Bool {
        if position == chunkEnd {
            if atEnd { return false }
            try fill()
        }
        if position < chunkEnd && chunk[position] == 10 { return true }
        line += 1
        column = 1
        return false
    }

    private func checkFieldLength(_ row: RawRow) throws(MappingIssue) {
        let length = row.storage.count - (row.fieldEnds.last ?? 0)
        guard length > limits.fieldBytes else { return }
        throw MappingIssue(
            .fieldTooLong, file: fileName, record: recordNumber + 1, line: row.line,
            column: row.fieldColumns.last,
            message: "field \(row.fieldEnds.count + 1) is longer than \(limits.fieldBytes) bytes (limits.field_bytes); "
                + "the file looks hostile or broken (an unclosed quote?). Raise the limit in the mapping only if "
                + "the partner really sends such values")
    }

    private func endField(_ row: inout RawRow) throws(MappingIssue) {
        guard row.fieldEnds.count < limits.recordFields else {
            throw MappingIssue(
                .fieldTooLong, file: fileName, record: recordNumber + 1, line: row.line,
                message: "the row has more than \(limits.recordFields) fields (limits.record_fields); the file looks "
                    + "hostile or broken. Raise the limit in the mapping only if the partner really sends such rows")
        }
        row.fieldEnds.append(row.storage.count)
        if row.fieldColumns.count < row.fieldEnds.count {
            row.fieldColumns.append(column)
            row.fieldLines.append(line)
        }
    }

    private mutating func skipByteOrderMark() throws(MappingIssue) {
        guard encoding == .utf8 else { return }
        try fill()
        if chunkEnd >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF {
            position = 3
        }
    }

    @inline(__always)
    private mutating func nextByte() throws(MappingIssue) -> UInt8? {
        if position == chunkEnd {
            if atEnd { return nil }
            try fill()
            if position == chunkEnd { return nil }
        }
        let byte = chunk[position]
        position &+= 1
        return byte
    }

    private mutating func fill() throws(MappingIssue) {
        do {
            let count = try chunk.withUnsafeMutableBytes { buffer in try source.read(into: buffer) }
            position = 0
            chunkEnd = count
            if count == 0 { atEnd = true }
        } catch {
            throw MappingIssue(.fileRejected, file: fileName, message: "the file could not be read: \(error)")
        }
    }
}
