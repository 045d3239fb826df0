import OmnihubCore
import Testing

/// Files shaped to hurt the readers: each is refused with a clear issue (or read correctly), and
/// none stops the process.
@Suite("Hostile feeds are refused, never crash")
struct HostileFeedTests {
    func json(_ bytes: [UInt8], layout: JSONLayout = .document(recordPath: ["orders"])) throws -> Int {
        var count = 0
        var reader = JSONFeedReader(source: InMemoryBytes(bytes), layout: layout, fileName: "x.json")
        try reader.read { _ in count += 1 }
        return count
    }

    func issue(_ body: () throws -> Void) -> MappingIssue? {
        do {
            try body()
            return nil
        } catch let issue as MappingIssue {
            return issue
        } catch {
            return nil
        }
    }

    @Test(
        "deep nesting inside a record, and outside one, is refused at the nesting limit",
        arguments: [
            "{\"orders\": [{\"id\": 1, \"x\": " + String(repeating: "[", count: 40_000) + "]}]}",
            "{\"junk\": " + String(repeating: "[", count: 200_000) + ", \"orders\": []}",
            String(repeating: "{\"a\":", count: 100_000),
        ])
    func deepNesting(text: String) {
        let found = issue { _ = try json(Array(text.utf8)) }
        #expect(found?.code == .malformedJSON)
        #expect(found?.message.contains("nested more than 64") == true)
    }

    @Test("nesting within the limit reads as before")
    func nestingWithinLimit() throws {
        let nested = String(repeating: "[", count: 60) + "1" + String(repeating: "]", count: 60)
        #expect(try json(Array("{\"orders\": [{\"x\": \(nested)}]}".utf8)) == 1)
    }

    @Test("values outside the records are skipped, not counted against a record's limit")
    func valuesOutsideRecords() throws {
        let junk = (1...50).map(String.init).joined(separator: ", ")
        var reader = JSONFeedReader(
            source: InMemoryBytes("{\"catalogue\": [\(junk)], \"orders\": [{\"id\": 1}]}"),
            layout: .document(recordPath: ["orders"]), fileName: "x.json", limits: FeedLimits(recordFields: 10))
        var count = 0
        try reader.read { _ in count += 1 }
        #expect(count == 1)
    }

    @Test("a value longer than the field limit is refused with the record")
    func longField() {
        let text = "{\"orders\": [{\"name\": \"" + String(repeating: "a", count: 70_000) + "\"}]}"
        let found = issue { _ = try json(Array(text.utf8)) }
        #expect(found?.code == .fieldTooLong)
        #expect(found?.record == 1)
    }

    @Test("a key given twice in one record is an error naming it")
    func duplicateKeys() throws {
        let found = issue { _ = try json(Array("{\"orders\": [{\"id\": 1, \"id\": 2}]}".utf8)) }
        #expect(found?.code == .malformedJSON)
        #expect(found?.source == "id")
        #expect(found?.line == 1)
        let members = (1...20).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let wide = issue { _ = try json(Array("{\"orders\": [{\(members), \"k3\": 0}]}".utf8)) }
        #expect(wide?.source == "k3", "found among many members too")
        #expect(try json(Array("{\"orders\": [{\(members)}]}".utf8)) == 1)
    }

    @Test(
        "UTF-16 JSON is refused by its encoding",
        arguments: [[0xFF, 0xFE, 0x7B, 0x00], [0xFE, 0xFF, 0x00, 0x7B], [0x7B, 0x00, 0x7D, 0x00]] as [[UInt8]])
    func utf16(bytes: [UInt8]) {
        let found = issue { _ = try json(bytes) }
        #expect(found?.code == .invalidEncoding)
        #expect(found?.message.contains("UTF-16") == true)
    }

    func csvRows(_ text: String, limits: FeedLimits = .standard) throws -> [[String?]] {
        var reader = CSVReader(
            source: InMemoryBytes(text), dialect: CSVDialect(), encoding: .utf8, fileName: "x.csv", limits: limits)
        var rows: [[String?]] = []
        while let row = try reader.next() { rows.append(try (0..<row.fieldCount).map { try row.field($0) }) }
        return rows
    }

    @Test("a lone CR ends a row: no record disappears into the next")
    func loneCarriageReturn() throws {
        #expect(try csvRows("id,sku\r1,A\r2,B\r") == [["1", "A"], ["2", "B"]])
        #expect(try csvRows("id,sku\r\n1,A\r\n2,B") == [["1", "A"], ["2", "B"]])
        #expect(try csvRows("id,sku\n\"1\"\r2,B\n") == [["1"], ["2", "B"]])
        #expect(try csvRows("id,sku\n\"1\rx\",A\n") == [["1\rx", "A"]])
    }

    @Test("a lone CR counts as a line in error positions")
    func loneCarriageReturnLines() {
        let found = issue { _ = try csvRows("id,sku\r1,A\r2,\"B\n") }
        #expect(found?.line == 3)
    }

    @Test("an unclosed quote or a huge field stops at the field limit, not at the end of memory")
    func csvFieldLimit() {
        let text = "id,name\n1,\"" + String(repeating: "x", count: 2_000) + "\n"
        let found = issue { _ = try csvRows(text, limits: FeedLimits(fieldBytes: 1_000)) }
        #expect(found?.code == .fieldTooLong)
        #expect(found?.record == 1)
        #expect(found?.line == 2)
    }

    @Test("a row past the field count limit is refused")
    func csvRecordLimit() {
        let text = "a\n" + String(repeating: ",", count: 50) + "\n"
        let found = issue { _ = try csvRows(text, limits: FeedLimits(recordFields: 10)) }
        #expect(found?.code == .fieldTooLong)
    }

    func xml(_ text: String, limits: FeedLimits = .standard) throws -> Int {
        var count = 0
        let reader = XMLFeedReader(
            source: InMemoryBytes(text), recordPath: XMLRecordPath("Order"), namespaces: [:], encoding: nil,
            fileName: "x.xml", limits: limits)
        try reader.read { _ in count += 1 }
        return count
    }

    @Test("XML: deep nesting, a long text or attribute and a crowded record stop at their limits")
    func xmlLimits() throws {
        let deep =
            "<Orders><Order>" + String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
            + "</Order></Orders>"
        #expect(issue { _ = try xml(deep) }?.message.contains("nested more than 64") == true)
        let long = "<Orders><Order><Name>" + String(repeating: "x", count: 2_000) + "</Name></Order></Orders>"
        #expect(issue { _ = try xml(long, limits: FeedLimits(fieldBytes: 1_000)) }?.code == .fieldTooLong)
        let attribute = "<Orders><Order id=\"" + String(repeating: "x", count: 2_000) + "\"/></Orders>"
        #expect(issue { _ = try xml(attribute, limits: FeedLimits(fieldBytes: 1_000)) }?.code == .fieldTooLong)
        let crowded = "<Orders><Order>" + String(repeating: "<l/>", count: 50) + "</Order></Orders>"
        #expect(issue { _ = try xml(crowded, limits: FeedLimits(recordFields: 20)) }?.code == .fieldTooLong)
        #expect(try xml("<Orders><Order><Name>Anna</Name></Order><Order/></Orders>") == 2)
    }

    @Test("UTF-8 text in a feed declared ISO-8859-1 or Windows-1252 is named, not turned into mojibake")
    func utf8DeclaredAsLatin1() throws {
        for encoding in [TextEncoding.iso8859Latin1, .windows1252] {
            var reader = CSVReader(
                source: InMemoryBytes("name\nJürgen\n"), dialect: CSVDialect(), encoding: encoding, fileName: "x.csv")
            let row = try #require(try reader.next())
            let found = issue { _ = try row.field(0) }
            #expect(found?.code == .invalidEncoding)
            #expect(found?.value == "Jürgen")
        }
        var latin1 = CSVReader(
            source: InMemoryBytes([0x6E, 0x0A, 0x4A, 0xFC, 0x72, 0x67, 0x65, 0x6E, 0x0A]), dialect: CSVDialect(),
            encoding: .iso8859Latin1, fileName: "x.csv")
        #expect(try latin1.next()?.field(0) == "Jürgen")
    }

    @Test(
        "placeholder dates in year 0001 or 9999 are refused",
        arguments: ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
    func placeholderDates(text: String) {
        #expect(throws: ConversionFailure.self) { _ = try DateTimeFormat.iso8601.parse(text, zone: nil) }
    }
}
