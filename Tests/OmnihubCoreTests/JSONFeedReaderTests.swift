import OmnihubCore
import Testing

@Suite("JSON feeds, streamed one record at a time")
struct JSONFeedReaderTests {
    func records(_ json: String, layout: JSONLayout) throws -> [TreeRecord] {
        var found: [TreeRecord] = []
        var reader = JSONFeedReader(source: InMemoryBytes(json), layout: layout, fileName: "orders.json")
        try reader.read { found.append($0) }
        return found
    }

    static let export = """
        {"shop": {"name": "x", "ignored": [1, 2, {"deep": true}]},
         "orders": [
           {"id": 1, "total": 19.90, "big": 12345678901234567890.5, "customer": {"name": "Zo\\u00eb \\ud83d\\ude00"},
            "items": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": 1}], "tags": ["vip", "gift"], "note": null},
           {"id": 2, "total": "5.00", "items": []}
         ],
         "count": 2}
        """

    @Test("records under a key path; numbers keep their exact text; arrays are looked through")
    func documentLayout() throws {
        let found = try records(Self.export, layout: .document(recordPath: ["orders"]))
        #expect(found.count == 2)
        let first = found[0]
        #expect(first.position == RecordPosition(record: 1, line: 3))
        #expect(try first.value(at: FieldPath("total")) == "19.90")
        #expect(try first.value(at: FieldPath("big")) == "12345678901234567890.5")
        #expect(try first.value(at: FieldPath("customer/name")) == "Zoë 😀")
        #expect(try first.value(at: FieldPath("note")) == nil)
        #expect(try first.value(at: FieldPath("tags[2]")) == "gift")
        #expect(try first.values(at: FieldPath("items/qty")) == ["2", "1"])
        #expect(first.records(at: try FieldPath("items")).count == 2)
        #expect(try first.value(at: FieldPath("items[sku='B']/qty")) == "1")
        #expect(found[1].records(at: try FieldPath("items")).isEmpty)
    }

    @Test("the root itself, as one record or as an array of records")
    func rootRecords() throws {
        #expect(try records("{\"id\": 7}", layout: .document(recordPath: [])).count == 1)
        #expect(try records("[{\"id\": 7}, {\"id\": 8}]", layout: .document(recordPath: [])).count == 2)
        #expect(try records("{\"order\": {\"id\": 7}}", layout: .document(recordPath: ["order"])).count == 1)
    }

    @Test("JSON Lines: one record a line")
    func lines() throws {
        let found = try records("{\"id\": 1}\n\n{\"id\": 2}\r\n{\"id\": 3}", layout: .lines)
        #expect(try found.map { try $0.value(at: FieldPath("id")) } == ["1", "2", "3"])
        #expect(found.map(\.position.line) == [1, 3, 4])
    }

    @Test(
        "broken JSON stops the file with line and column",
        arguments: [
            ("{\"orders\": [{\"id\": 1,}]}", 1), ("{\"orders\": [{\"id\": 1}\n{\"id\": 2}]}", 2),
            ("{\"orders\": [{\"id\": tru}]}", 1), ("{\"orders\": [{\"id\": \"unterminated}]}", 1),
            ("{\"orders\": [{\"id\": 01x}]}", 1), ("{\"orders\": []} trailing", 1),
        ])
    func malformed(json: String, line: Int) {
        #expect {
            _ = try records(json, layout: .document(recordPath: ["orders"]))
        } throws: { error in
            guard let issue = error as? MappingIssue else { return false }
            return issue.code == .malformedJSON && issue.line == line && issue.column != nil
        }
    }

    @Test("strings that are not UTF-8 are an error, never replaced")
    func invalidUTF8() {
        let bytes = Array("{\"orders\": [{\"name\": \"Gr".utf8) + [0xFC] + Array("n\"}]}".utf8)
        var reader = JSONFeedReader(
            source: InMemoryBytes(bytes), layout: .document(recordPath: ["orders"]), fileName: nil)
        #expect {
            try reader.read { _ in }
        } throws: { error in
            (error as? MappingIssue)?.code == .invalidEncoding
        }
    }
}
