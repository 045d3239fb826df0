import Foundation
import OmnihubCore
import OmnihubRuntime
import Testing

/// XML and JSON documents are mapped many at a time on every core; what comes out must be what
/// mapping them one by one gives, in file order.
@Suite("XML and JSON feeds mapped on every core, in file order")
struct TreeFeedOrderTests {
    /// An order mapping over `top` (format and grouping), its lines under `lines:` with `from`.
    static func mapping(_ top: String, from: String = "") -> String {
        """
        mapping: t
        document: order
        \(top)
        order:
          channel: {const: shop}
          external_id: {path: id, required: true}
          placed_at: date
          currency: {const: EUR}
          ship_to.country: {const: DE}
        lines:
          \(from)
          sku: sku
          quantity: qty
          unit_price: price

        """
    }

    static let jsonMapping = mapping(#"format: {type: json, records: ""}"#, from: "from: lines")

    static let xmlMapping = mapping("format: {type: xml, records: /orders/order}\ngroup_by: id")

    /// Order `n`; every seventh has a quantity that is not a number, so it is rejected.
    static func isBad(_ n: Int) -> Bool { n % 7 == 0 }

    static func json(orders: Int) -> String {
        let records = (1...orders).map { n in
            """
            {"id":"J\(n)","date":"2026-11-27T10:00:00Z","lines":[{"sku":"SKU-\(n)","qty":\(isBad(n) ? "\"many\"" : "2"),\
            "price":"1.50"}]}
            """
        }
        return "[\n" + records.joined(separator: ",\n") + "\n]\n"
    }

    /// One element per order line, grouped by `id`; order `A3` comes back at the end (scattered).
    static func xml(orders: Int) -> String {
        var elements = (1...orders).map { n in
            "<order><id>X\(n)</id><date>2026-11-27T10:00:00Z</date><sku>SKU-\(n)</sku>"
                + "<qty>\(isBad(n) ? "many" : "1")</qty><price>2.00</price></order>"
        }
        elements.append(
            "<order><id>X3</id><date>2026-11-27T10:00:00Z</date><sku>LATE</sku><qty>1</qty><price>2.00</price></order>")
        return "<orders>\n" + elements.joined(separator: "\n") + "\n</orders>\n"
    }

    /// Every outcome in the order the sink saw it: an order's number, or `!` and the rejected key.
    func outcomes(_ yaml: String, _ feed: String) throws -> (seen: [String], summary: FeedMapper.Summary) {
        let mapping = try MappingFile.parse(yaml, file: "test.yaml")
        var seen: [String] = []
        let summary = try FeedMapper(mapping: mapping, fileName: "feed").map(InMemoryBytes(feed)) { outcome in
            switch outcome {
            case .document(.order(let order)): seen.append(order.externalID)
            case .document(let other): Issue.record("unexpected \(other.kind)")
            case .rejected(let rejection): seen.append("!" + (rejection.key ?? "?"))
            }
        }
        return (seen, summary)
    }

    @Test("a JSON feed of 1,000 orders: each once, rejections in their place, across many batches")
    func jsonInOrder() throws {
        let (seen, summary) = try outcomes(Self.jsonMapping, Self.json(orders: 1_000))
        #expect(seen == (1...1_000).map { Self.isBad($0) ? "!J\($0)" : "J\($0)" })
        #expect(summary.records == 1_000)
        #expect(summary.documents == 1_000 - 142)
        #expect(summary.rejected == 142)
    }

    @Test("an XML feed grouped by order: the scattered group is rejected where it comes back")
    func xmlInOrder() throws {
        let (seen, summary) = try outcomes(Self.xmlMapping, Self.xml(orders: 600))
        #expect(seen == (1...600).map { Self.isBad($0) ? "!X\($0)" : "X\($0)" } + ["!X3"])
        #expect(summary.records == 601)
        #expect(summary.rejected == 85 + 1)
    }

    @Test("a feed broken halfway: what was read before the break reaches the sink, then the error")
    func brokenHalfway() throws {
        let whole = Self.json(orders: 400)
        let cut = whole.range(of: "{\"id\":\"J301\"")!.lowerBound
        let broken = String(whole[..<cut]) + "{\"id\": oops"
        let mapping = try MappingFile.parse(Self.jsonMapping, file: "test.yaml")
        var seen: [String] = []
        #expect(throws: MappingIssue.self) {
            try FeedMapper(mapping: mapping, fileName: "feed").map(InMemoryBytes(broken)) { outcome in
                if case .document(.order(let order)) = outcome { seen.append(order.externalID) }
            }
        }
        #expect(seen == (1...300).filter { !Self.isBad($0) }.map { "J\($0)" })
    }
}
