import OmnihubCore
import Testing

@Suite("XML feeds through libxml2's streaming reader")
struct XMLFeedReaderTests {
    static let namespaces = ["o": "urn:example:orders", "x": "urn:example:extra"]

    func records(_ xml: String, path: String = "/o:Orders/o:Order", encoding: TextEncoding? = nil) throws
        -> [TreeRecord]
    {
        try records(Array(xml.utf8), path: path, encoding: encoding)
    }

    func records(_ bytes: [UInt8], path: String = "/o:Orders/o:Order", encoding: TextEncoding? = nil) throws
        -> [TreeRecord]
    {
        var found: [TreeRecord] = []
        try XMLFeedReader(
            source: InMemoryBytes(bytes), recordPath: XMLRecordPath(path), namespaces: Self.namespaces,
            encoding: encoding, fileName: "orders.xml"
        ).read { found.append($0) }
        return found
    }

    static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Orders xmlns="urn:example:orders" xmlns:e="urn:example:extra">
          <Order id="A1">
            <Number>1001</Number>
            <e:Channel>shop</e:Channel>
            <Line><Sku>S-1</Sku><Qty>2</Qty><Attr name="colour">red</Attr></Line>
            <Line><Sku>S-2</Sku><Qty>1</Qty><Attr name="colour">blue</Attr></Line>
            <Note><![CDATA[Bitte <klingeln> & warten]]></Note>
          </Order>
          <Order id="A2">
            <Number>1002</Number>
            <Line><Sku>S-3</Sku><Qty>5</Qty></Line>
          </Order>
        </Orders>
        """

    @Test("records at the record path, with values, attributes, nested groups and predicates")
    func paths() throws {
        let found = try records(Self.feed)
        #expect(found.count == 2)
        let first = found[0]
        #expect(first.position == RecordPosition(record: 1, line: 3))
        #expect(try first.value(at: FieldPath("o:Number")) == "1001")
        #expect(try first.value(at: FieldPath("@id")) == "A1")
        #expect(try first.value(at: FieldPath("x:Channel")) == "shop", "the feed's prefix 'e' is the mapping's 'x'")
        #expect(try first.value(at: FieldPath("*:Channel")) == "shop")
        #expect(try first.value(at: FieldPath("o:Note")) == "Bitte <klingeln> & warten")
        #expect(try first.value(at: FieldPath("o:Line[2]/o:Sku")) == "S-2")
        #expect(try first.value(at: FieldPath("o:Line[o:Sku='S-2']/o:Qty")) == "1")
        #expect(try first.value(at: FieldPath("o:Line/o:Attr[@name='colour']")) == "red")
        #expect(try first.values(at: FieldPath("o:Line/o:Qty")) == ["2", "1"])
        let lines = first.records(at: try FieldPath("o:Line"))
        #expect(lines.count == 2)
        #expect(try lines[1].value(at: FieldPath("o:Sku")) == "S-2")
        #expect(lines[1].position.line == 7)
        #expect(try found[1].value(at: FieldPath("o:Line/o:Qty")) == "5")
    }

    @Test("a relative record path finds records at any depth")
    func relativePath() throws {
        #expect(try records(Self.feed, path: "o:Order").count == 2)
        #expect(try records(Self.feed, path: "/o:Order").isEmpty)
    }

    @Test("the document's declared encoding is honoured")
    func declaredEncoding() throws {
        let bytes =
            Array(
                "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Orders xmlns=\"urn:example:orders\"><Order><Name>Gr"
                    .utf8)
            + [0xFC] + Array("n</Name></Order></Orders>".utf8)
        #expect(try records(bytes).first?.value(at: FieldPath("o:Name")) == "Grün")
    }

    @Test("bytes that are not UTF-8 are an error with the line, never replaced")
    func invalidBytes() {
        let bytes =
            Array("<?xml version=\"1.0\"?>\n<Orders xmlns=\"urn:example:orders\">\n<Order><Name>Gr".utf8) + [0xFC]
            + Array("n</Name></Order></Orders>".utf8)
        #expect {
            _ = try records(bytes)
        } throws: { error in
            guard let issue = error as? MappingIssue else { return false }
            return issue.code == .invalidEncoding && issue.line == 3 && issue.file == "orders.xml"
        }
    }

    @Test("a document that is not well-formed stops the file with line and column")
    func malformed() {
        #expect {
            _ = try records("<Orders xmlns=\"urn:example:orders\">\n<Order><Number>1</Numbr></Order>\n</Orders>")
        } throws: { error in
            guard let issue = error as? MappingIssue else { return false }
            return issue.code == .malformedXML && issue.line == 2 && issue.column != nil
                && issue.message.contains("Numbr")
        }
    }

    @Test("external entities are never loaded")
    func noExternalEntities() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Orders [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
            <Orders xmlns="urn:example:orders"><Order><Number>&secret;</Number></Order></Orders>
            """
        let value = try? records(xml).first?.value(at: FieldPath("o:Number"))
        #expect(value == nil || value!.isEmpty)
    }
}
