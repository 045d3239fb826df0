import OmnihubCore
import Testing

@Suite("CSV reader: streaming, RFC 4180 and what feeds really send")
struct CSVReaderTests {
    func rows(
        _ text: String, dialect: CSVDialect = CSVDialect(), encoding: TextEncoding = .utf8, chunkSize: Int = 1 << 20
    )
        throws -> [[String?]]
    {
        try rows(Array(text.utf8), dialect: dialect, encoding: encoding, chunkSize: chunkSize)
    }

    func rows(
        _ bytes: [UInt8], dialect: CSVDialect = CSVDialect(), encoding: TextEncoding = .utf8, chunkSize: Int = 1 << 20
    )
        throws -> [[String?]]
    {
        var reader = CSVReader(
            source: InMemoryBytes(bytes), dialect: dialect, encoding: encoding, fileName: "test.csv",
            chunkSize: chunkSize)
        var result: [[String?]] = []
        while let row = try reader.next() {
            result.append(try (0..<row.fieldCount).map { try row.field($0) })
        }
        return result
    }

    static let tricky = "id,text,amount\r\n1,\"Hello, \"\"world\"\"\",1.00\r\n\r\n2,\"two\nlines\",2.50\n3,,\n"

    @Test(
        "quotes, doubled quotes, quoted line breaks, CRLF, blank lines, at any chunk size",
        arguments: [1, 2, 3, 7, 64, 1 << 20])
    func tricky(chunkSize: Int) throws {
        let result = try rows(Self.tricky, chunkSize: chunkSize)
        #expect(
            result == [
                ["1", "Hello, \"world\"", "1.00"],
                ["2", "two\nlines", "2.50"],
                ["3", "", ""],
            ])
    }

    @Test("rows know their record number and starting line")
    func positions() throws {
        var reader = CSVReader(
            source: InMemoryBytes(Self.tricky), dialect: CSVDialect(), encoding: .utf8, fileName: "test.csv")
        var positions: [RecordPosition] = []
        while let row = try reader.next() { positions.append(row.position) }
        #expect(positions.map(\.record) == [1, 2, 3])
        #expect(positions.map(\.line) == [2, 4, 6])
    }

    @Test("columns by header name or by number, empty is nil")
    func lookup() throws {
        var reader = CSVReader(
            source: InMemoryBytes("sku\tqty\nA-1\t\n"), dialect: CSVDialect(delimiter: 9, quote: nil), encoding: .utf8,
            fileName: nil)
        let row = try #require(try reader.next())
        #expect(try row.value(at: try FieldPath("sku")) == "A-1")
        #expect(try row.value(at: try FieldPath("#1")) == "A-1")
        #expect(try row.value(at: try FieldPath("qty")) == nil)
        #expect(try row.value(at: try FieldPath("nope")) == nil)
    }

    @Test("a UTF-8 byte order mark is not part of the first column name")
    func byteOrderMark() throws {
        var reader = CSVReader(
            source: InMemoryBytes([0xEF, 0xBB, 0xBF] + Array("sku\nA\n".utf8)), dialect: CSVDialect(), encoding: .utf8,
            fileName: nil)
        #expect(try reader.next()?.value(at: try FieldPath("sku")) == "A")
    }

    @Test("without quoting, quotes are ordinary characters")
    func noQuote() throws {
        #expect(
            try rows("a\tb\n\"x\t5\" tall\n", dialect: CSVDialect(delimiter: 9, quote: nil)) == [["\"x", "5\" tall"]])
    }

    @Test("skips rows before the header")
    func skipRows() throws {
        #expect(try rows("Report of 2026-11-20\n\nsku\nA\n", dialect: CSVDialect(skipRows: 1)) == [["A"]])
    }

    @Test("a quote never closed is an error at the line and column where it opened")
    func unclosedQuote() {
        #expect {
            try rows("sku,name\nA,ok\nB,\"never closed\nC,more\n")
        } throws: { error in
            guard let issue = error as? MappingIssue else { return false }
            return issue.code == .malformedCSV && issue.line == 3 && issue.column == 3 && issue.file == "test.csv"
        }
    }

    @Test("text after a closing quote is an error with its position")
    func textAfterQuote() {
        #expect {
            try rows("sku,name\nA,\"x\"y\n")
        } throws: { error in
            guard let issue = error as? MappingIssue else { return false }
            return issue.code == .malformedCSV && issue.line == 2 && issue.column == 6
        }
    }

    @Test("invalid UTF-8 is an error with line and column, never replaced")
    func invalidUTF8() throws {
        var reader = CSVReader(
            source: InMemoryBytes(Array("sku,name\nA,Gr".utf8) + [0xFC] + Array("n\n".utf8)), dialect: CSVDialect(),
            encoding: .utf8, fileName: "bad.csv")
        let row = try #require(try reader.next())
        #expect {
            try row.value(at: try FieldPath("name"))
        } throws: { error in
            guard let issue = error as? MappingIssue else { return false }
            return issue.code == .invalidEncoding && issue.line == 2 && issue.column == 5 && issue.source == "name"
                && issue.message.contains("windows-1252")
        }
    }

    @Test("Windows-1252 and ISO 8859-1 decode as declared")
    func legacyEncodings() throws {
        let bytes = Array("sku,name\nA,Gr".utf8) + [0xFC, 0x6E, 0x20, 0x80] + [0x0A]
        #expect(try rows(bytes, encoding: .windows1252) == [["A", "Grün €"]])
        #expect(try rows(bytes, encoding: .iso8859Latin1) == [["A", "Grün \u{80}"]])
    }

    @Test("a byte Windows-1252 leaves undefined is an error")
    func undefinedWindows1252() throws {
        var reader = CSVReader(
            source: InMemoryBytes(Array("name\nx".utf8) + [0x81] + [0x0A]), dialect: CSVDialect(),
            encoding: .windows1252,
            fileName: nil)
        let row = try #require(try reader.next())
        #expect(throws: MappingIssue.self) { try row.value(at: try FieldPath("name")) }
    }
}
