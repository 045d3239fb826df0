import Foundation
import OmnihubCore

/// What one fuzz run feeds its input to: each reader, the mapping expressions, and the mapping of
/// whole records, as a partner's file would reach them. Chosen by `OMNIHUB_FUZZ_TARGET`.
///
/// Every input must end in a value or an error; a trap, a crash or a sanitizer report is a finding.
enum FuzzTarget: String, CaseIterable {
    case csv, json, xml, expression, mapping

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["OMNIHUB_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            // The harness's own start-up, never a partner's input: scripts/fuzz.sh always sets it.
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("omnihub-fuzz: set OMNIHUB_FUZZ_TARGET to one of \(names)\n".utf8))
            exit(64)
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .csv: Self.csv(bytes)
        case .json: Self.json(bytes)
        case .xml: Self.xml(bytes)
        case .expression: Self.expression(bytes)
        case .mapping: Self.mapping(bytes)
        }
    }

    /// Every row and field, in each dialect the first byte picks, with small limits so the limit
    /// paths run too.
    private static func csv(_ bytes: [UInt8]) {
        let delimiter: UInt8 = [UInt8(ascii: ","), UInt8(ascii: ";"), 9][Int(bytes.first ?? 0) % 3]
        let encoding = TextEncoding.allCases[Int(bytes.last ?? 0) % TextEncoding.allCases.count]
        var reader = CSVReader(
            source: InMemoryBytes(bytes), dialect: CSVDialect(delimiter: delimiter), encoding: encoding,
            fileName: "fuzz.csv", limits: FeedLimits(fieldBytes: 4_096, recordFields: 256), chunkSize: 64)
        do {
            while let row = try reader.next() {
                for index in 0..<row.fieldCount { _ = try? row.field(index) }
            }
        } catch {}
    }

    private static func json(_ bytes: [UInt8]) {
        let layout: JSONLayout = (bytes.first ?? 0) % 2 == 0 ? .document(recordPath: ["orders"]) : .lines
        var reader = JSONFeedReader(
            source: InMemoryBytes(bytes), layout: layout, fileName: "fuzz.json",
            limits: FeedLimits(nestingDepth: 32, fieldBytes: 4_096, recordFields: 1_024))
        try? reader.read { record in _ = try? record.value(at: FieldPath("id")) }
    }

    private static func xml(_ bytes: [UInt8]) {
        let reader = XMLFeedReader(
            source: InMemoryBytes(bytes), recordPath: XMLRecordPath("Order"), namespaces: [:], encoding: nil,
            fileName: "fuzz.xml", limits: FeedLimits(nestingDepth: 32, fieldBytes: 4_096, recordFields: 1_024))
        try? reader.read { record in _ = try? record.value(at: FieldPath("ID")) }
    }

    /// The input as expression text; what parses is evaluated over a record of hostile numbers.
    private static func expression(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let expression = try? MappingExpression(parsing: text) else { return }
        _ = try? expression.evaluate(sampleRecord)
    }

    /// Built once from fixed text, so the `try!` can only fail if the CSV reader breaks on it; the
    /// record is only read, never changed, hence shared without isolation.
    nonisolated(unsafe) private static let sampleRecord: CSVRow = {
        var reader = CSVReader(
            source: InMemoryBytes(
                "price,qty,big,tiny,text,empty\n19.99,3,999999999999999999,0.000000000001,'=1+1',\n"),
            dialect: CSVDialect(), encoding: .utf8, fileName: nil)
        return try! reader.next()!
    }()

    /// The input as the rows of an order feed under a fixed header, through the whole mapping:
    /// grouping, dates, money with a decimal comma, expressions and the canonical order's rules.
    private static func mapping(_ bytes: [UInt8]) {
        let header = Array("order;date;currency;country;city;shipping;sku;qty;total;factor\n".utf8)
        _ = try? FeedMapper(mapping: orderMapping, fileName: "fuzz/orders.csv").map(InMemoryBytes(header + bytes)) {
            _ in
        }
    }

    /// The mapping is built from literals (`try!` on paths and patterns spelled here), as the mapping
    /// tests build theirs; a partner's bytes only ever reach it through ``mapping(_:)``.
    private static let orderMapping: DocumentMapping = {
        func path(_ text: String) -> FieldSpec.Origin { .path(try! FieldPath(text)) }
        return DocumentMapping(
            name: "fuzz-orders", format: .csv(CSVDialect(delimiter: UInt8(ascii: ";"))),
            groupBy: try! FieldPath("order"),
            fields: [
                "channel": FieldSpec(origin: .constant("shop")),
                "external_id": FieldSpec(origin: path("order"), required: true),
                "placed_at": FieldSpec(
                    origin: path("date"), formats: [try! DateTimeFormat(pattern: "dd.MM.yyyy HH:mm")],
                    zone: TimeZone(identifier: "Europe/Berlin")),
                "currency": FieldSpec(origin: path("currency"), transforms: [.trim, .upper], defaultValue: "EUR"),
                "ship_to.country": FieldSpec(origin: path("country")),
                "ship_to.city": FieldSpec(origin: path("city")),
                "shipping.amount": FieldSpec(origin: path("shipping"), decimalSeparator: ",", aggregate: .sum),
            ],
            lines: LineMapping(fields: [
                "sku": FieldSpec(origin: path("sku"), transforms: [.trim]),
                "quantity": FieldSpec(origin: path("qty")),
                "line_total": FieldSpec(
                    origin: .expression(
                        try! MappingExpression(parsing: "number({total}, ',') * coalesce({factor}, 1)")),
                    scale: 2),
            ]))
    }()
}

/// One input from libFuzzer; also under libFuzzer's own name, which its archive refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}
