import Foundation
import OmnihubCore
import OmnihubRuntime
import Testing

@Suite("Shipped mappings against golden files")
struct MappingGoldenTests {
    /// Regenerate after an intended change, and read the difference before committing it:
    /// `.build/debug/omnihub map --mapping mappings/M.yaml sample-world/inbox/P/F > Tests/OmnihubRuntimeTests/Golden/P-STEM.jsonl`
    @Test(
        "each sample feed maps to the expected canonical orders",
        arguments: [
            ("amazon-de", "amazon-de-orders", "2026-11-20-orders.tsv"),
            ("amazon-de", "amazon-de-orders", "2026-11-21-orders.tsv"),
            ("ubl-marketplace", "ubl-marketplace-orders", "PO-2026-11-0042.xml"),
            ("webshop", "webshop-orders", "orders-export-2026-11-22.json"),
        ])
    func sampleFeed(partner: String, mappingName: String, file: String) throws {
        let mapping = try MappingFile.load(repositoryRoot.appendingPathComponent("mappings/\(mappingName).yaml").path)
        let input = repositoryRoot.appendingPathComponent("sample-world/inbox/\(partner)/\(file)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines: [String] = []
        try FeedMapper(mapping: mapping, fileName: file).map(try FileByteSource(path: input.path)) { outcome in
            guard case .document(let document) = outcome else {
                Issue.record("a sample record was rejected: \(outcome)")
                return
            }
            lines.append(String(decoding: try encoder.encode(document), as: UTF8.self))
        }
        let golden = try String(
            contentsOf: repositoryRoot.appendingPathComponent(
                "Tests/OmnihubRuntimeTests/Golden/\(partner)-\((file as NSString).deletingPathExtension).jsonl"),
            encoding: .utf8)
        #expect(lines.joined(separator: "\n") + "\n" == golden)
    }
}
