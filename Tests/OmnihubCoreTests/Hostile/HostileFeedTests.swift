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

    @Test("a value longer than the field limit is refused with the record")
    func longField() {
        let text = "{\"orders\": [{\"name\": \"" + String(repeating: "a", count: 70_000) + "\"}]}"
        let found = issue { _ = try json(Array(text.utf8)) }
        #expect(found?.code == .fieldTooLong)
        #expect(found?.record == 1)
    }

    @Test("a key given twice in one record is an error naming it")
    func duplicateKeys() {
        let found = issue { _ = try json(Array("{\"orders\": [{\"id\": 1, \"id\": 2}]}".utf8)) }
        #expect(found?.code == .malformedJSON)
        #expect(found?.source == "id")
        #expect(found?.line == 1)
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
}
