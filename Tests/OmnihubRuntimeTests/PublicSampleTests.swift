import Foundation
import OmnihubCore
import OmnihubRuntime
import Testing

/// The public sample files beside the project (`../shared/samples`), when that folder is there.
let publicSamples = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/samples")
let publicSamplesPresent = FileManager.default.fileExists(atPath: publicSamples.path)

@Suite(
    "Real public order files map with a mapping file and no code change",
    .enabled(if: publicSamplesPresent, "../shared/samples is not beside the repository"))
struct PublicSampleTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        let file: String
        let mapping: String
        /// Replacements applied to the mapping's text, to point a shipped mapping at a variant layout.
        var edit: [String: String] = [:]
        let orders: [String]
        let lines: [Int]
        let currency: String
        var testDescription: String { file }
    }

    static let testMappings = repositoryRoot.appendingPathComponent("Tests/OmnihubRuntimeTests/Mappings")

    static let samples: [Sample] = [
        Sample(
            file: "ubl/oasis_UBL-Order-2.1-Example.xml", mapping: "public-ubl-order", orders: ["34"], lines: [2],
            currency: "SEK"),
        Sample(
            file: "ubl/oasis_UBL-Order-2.0-Example.xml", mapping: "public-ubl-order", orders: ["AEG012345"],
            lines: [1], currency: "GBP"),
        Sample(
            file: "shopify/shopify_python_api_order.json", mapping: "webshop-orders",
            edit: ["records: orders": "records: order"], orders: ["#1001"], lines: [3], currency: "USD"),
        Sample(
            file: "shopify/shopify_fulfillment_integration_order.json", mapping: "webshop-orders",
            edit: ["records: orders": "records: order"], orders: ["#1001"], lines: [3], currency: "USD"),
        Sample(
            file: "woocommerce/wc_v3_order_727_retrieve.json", mapping: "public-woocommerce-order", orders: ["727"],
            lines: [2], currency: "USD"),
        Sample(
            file: "woocommerce/wc_v3_orders_list.json", mapping: "public-woocommerce-order", orders: ["727", "723"],
            lines: [2, 2], currency: "USD"),
        Sample(
            file: "amazon/simpleinventory_amazon_new_orders_report.txt", mapping: "public-amazon-report",
            orders: ["123-4567890-1234567", "234-5678901-2345678", "111-2222222-3333333", "222-3333333-4444444"],
            lines: [1, 2, 1, 2], currency: "USD"),
    ]

    static func mapping(_ sample: Sample) throws -> DocumentMapping {
        let shipped = repositoryRoot.appendingPathComponent("mappings/\(sample.mapping).yaml")
        let url =
            FileManager.default.fileExists(atPath: shipped.path)
            ? shipped : testMappings.appendingPathComponent("\(sample.mapping).yaml")
        var text = try String(contentsOf: url, encoding: .utf8)
        for (find, replacement) in sample.edit { text = text.replacingOccurrences(of: find, with: replacement) }
        return try MappingFile.parse(text, file: url.path, folder: url.deletingLastPathComponent().path)
    }

    @Test("maps every order of the file", arguments: samples)
    func maps(_ sample: Sample) throws {
        var orders: [Order] = []
        let file = publicSamples.appendingPathComponent(sample.file)
        try FeedMapper(mapping: try Self.mapping(sample), fileName: sample.file).map(
            try FileByteSource(path: file.path)
        ) {
            outcome in
            switch outcome {
            case .document(.order(let order)): orders.append(order)
            case .document(let other): Issue.record("unexpected \(other.kind)")
            case .rejected(let rejection): Issue.record("rejected: \(rejection.issues.map(\.description))")
            }
        }
        #expect(orders.map(\.externalID) == sample.orders)
        #expect(orders.map(\.lines.count) == sample.lines)
        #expect(orders.allSatisfy { $0.currency.code == sample.currency })
        #expect(orders.allSatisfy { $0.violations().isEmpty })
    }

    @Test("a Shopify order list without line items is refused with a clear reason")
    func orderWithoutLines() throws {
        let mapping = try MappingFile.load(repositoryRoot.appendingPathComponent("mappings/webshop-orders.yaml").path)
        var issues: [MappingIssue] = []
        let file = publicSamples.appendingPathComponent("shopify/shopify_python_api_orders.json")
        try FeedMapper(mapping: mapping, fileName: "orders.json").map(try FileByteSource(path: file.path)) { outcome in
            if case .rejected(let rejection) = outcome { issues += rejection.issues }
        }
        #expect(issues.map(\.code) == [.noLines])
    }

    @Test("the shipped UBL mapping refuses orders without a VAT percent instead of guessing gross prices")
    func shippedUBLNeedsVAT() throws {
        let mapping = try MappingFile.load(
            repositoryRoot.appendingPathComponent("mappings/ubl-marketplace-orders.yaml").path)
        var issues: [MappingIssue] = []
        let file = publicSamples.appendingPathComponent("ubl/oasis_UBL-Order-2.1-Example.xml")
        try FeedMapper(mapping: mapping, fileName: "order.xml").map(try FileByteSource(path: file.path)) { outcome in
            if case .rejected(let rejection) = outcome { issues += rejection.issues }
        }
        // Every rule the order breaks is reported: the OASIS example's GTINs also fail their check digit.
        #expect(
            issues.map(\.field) == ["lines[1].tax_rate", "lines[2].tax_rate", "lines[1].gtin", "lines[2].gtin"])
        #expect(issues.map(\.code) == [.missingField, .missingField, .invalidGTIN, .invalidGTIN])
        let percents = issues.filter { $0.field?.hasSuffix("tax_rate") == true }
        #expect(percents.count == 2)
        #expect(
            percents.allSatisfy { $0.line != nil && $0.source == "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent" })
    }
}
