import Foundation
import OmnihubCore
import Testing

@Suite("Mapping engine over CSV feeds")
struct FeedMapperTests {
    static func path(_ text: String) -> FieldSpec.Origin { .path(try! FieldPath(text)) }

    static func mapping(errorPolicy: DocumentMapping.ErrorPolicy = .importValid) -> DocumentMapping {
        DocumentMapping(
            name: "test-orders", format: .csv(CSVDialect(delimiter: UInt8(ascii: ";"))),
            groupBy: try! FieldPath("order"),
            errorPolicy: errorPolicy,
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
                "line_total": FieldSpec(origin: path("total"), decimalSeparator: ","),
            ]))
    }

    static let header = "order;date;currency;country;city;shipping;sku;qty;total\n"

    func map(_ body: String, mapping: DocumentMapping = mapping()) throws -> ([Order], [DocumentRejection]) {
        var orders: [Order] = []
        var rejections: [DocumentRejection] = []
        try FeedMapper(mapping: mapping, fileName: "shop/test.csv").map(InMemoryBytes(Self.header + body)) { outcome in
            switch outcome {
            case .document(.order(let order)): orders.append(order)
            case .document(let other): Issue.record("unexpected \(other.kind)")
            case .rejected(let rejection): rejections.append(rejection)
            }
        }
        return (orders, rejections)
    }

    @Test("rows of one order become its lines; order fields from the first row, sums over all")
    func grouping() throws {
        let (orders, rejections) = try map(
            """
            A1;20.11.2026 10:15; eur ;DE;Berlin;2,50;SKU-1;2;39,98
            A1;20.11.2026 10:15; eur ;DE;Berlin;1,45; SKU-2 ;1;5,00
            A2;20.11.2026 11:00;;AT;Wien;0;SKU-3;1;10,00

            """)
        #expect(rejections.isEmpty)
        #expect(orders.count == 2)
        let first = try #require(orders.first)
        #expect(first.externalID == "A1")
        #expect(first.placedAt.description == "2026-11-20T09:15:00Z")
        #expect(first.currency.code == "EUR")
        #expect(first.lines.map(\.sku) == ["SKU-1", "SKU-2"])
        #expect(first.lines.map(\.unitPrice.description) == ["19.99", "5.00"])
        #expect(first.lines.map(\.lineID) == ["1", "2"])
        #expect(first.shipping?.amount.description == "3.95")
        #expect(first.source == SourceLocation(file: "shop/test.csv", record: 1, line: 2))
        #expect(orders[1].currency.code == "EUR", "the default applies to an empty value")
        #expect(orders[1].source?.line == 4)
    }

    @Test("every issue of a bad order is reported, with line, field, source column and value")
    func everyIssue() throws {
        let (orders, rejections) = try map(
            """
            A1;20.11.2026 10:15;EUR;DE;Berlin;0;SKU-1;zwei;39,98
            A1;20.11.2026 10:15;EUR;DE;Berlin;0;;1;5,00
            A2;20.11.2026 11:00;EUR;XX;Wien;0;SKU-3;1;10,00

            """)
        #expect(orders.isEmpty)
        #expect(rejections.count == 2)
        let issues = rejections[0].issues
        #expect(issues.count == 2)
        #expect(issues[0].code == .invalidValue)
        #expect(issues[0].field == "lines[1].quantity")
        #expect(issues[0].source == "qty")
        #expect(issues[0].value == "zwei")
        #expect(issues[0].line == 2)
        #expect(issues[1].code == .missingField)
        #expect(issues[1].field == "lines[2].sku")
        #expect(issues[1].line == 3)
        let country = rejections[1].issues
        #expect(country.map(\.code) == [.unknownCountry])
        #expect(country.first?.value == "XX")
        #expect(country.first?.source == "country")
        #expect(country.first?.record == 3)
    }

    @Test("a line total that does not split over the quantity is an error, not a rounded price")
    func lineTotalNotDivisible() throws {
        let (_, rejections) = try map("A1;20.11.2026 10:15;EUR;DE;Berlin;0;SKU-1;3;10,00\n")
        #expect(rejections.first?.issues.map(\.code) == [.lineTotalNotDivisible])
    }

    @Test("a bad date names the format it expected")
    func badDate() throws {
        let (_, rejections) = try map("A1;2026-11-20;EUR;DE;Berlin;0;SKU-1;1;10,00\n")
        let issue = try #require(rejections.first?.issues.first)
        #expect(issue.code == .invalidDateTime)
        #expect(issue.message.contains("dd.MM.yyyy HH:mm"))
    }

    @Test("rows of an order that come back after other orders are rejected, not merged or doubled")
    func scattered() throws {
        let (orders, rejections) = try map(
            """
            A1;20.11.2026 10:15;EUR;DE;Berlin;0;SKU-1;1;10,00
            A2;20.11.2026 11:00;EUR;AT;Wien;0;SKU-3;1;10,00
            A1;20.11.2026 10:15;EUR;DE;Berlin;0;SKU-2;1;10,00

            """)
        #expect(orders.map(\.externalID) == ["A1", "A2"])
        #expect(rejections.first?.issues.first?.code == .scatteredGroup)
        #expect(rejections.first?.issues.first?.line == 4)
    }

    @Test("a column the mapping needs but the header lacks stops the file before any record")
    func missingColumn() {
        var mapping = Self.mapping()
        mapping.lines.fields["gtin"] = FieldSpec(origin: Self.path("ean"))
        #expect {
            _ = try map("A1;20.11.2026 10:15;EUR;DE;Berlin;0;SKU-1;1;10,00\n", mapping: mapping)
        } throws: { error in
            guard let issue = error as? MappingIssue else { return false }
            return issue.code == .missingColumn && issue.source == "ean" && issue.message.contains("'ean'")
                && issue.line == 1
        }
    }
}
