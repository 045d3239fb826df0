import Foundation
import OmnihubCore
import OmnihubRuntime
import Testing

@Suite("Shipped mappings against golden files")
struct MappingGoldenTests {
    /// Regenerate after an intended change with:
    /// `.build/debug/omnihub map --mapping mappings/amazon-de-orders.yaml sample-world/inbox/amazon-de/2026-11-20-orders.tsv`
    @Test(
        "the Amazon report sample maps to the expected canonical orders",
        arguments: ["2026-11-20-orders", "2026-11-21-orders"])
    func amazonReport(name: String) throws {
        let mapping = try MappingFile.load(repositoryRoot.appendingPathComponent("mappings/amazon-de-orders.yaml").path)
        let input = repositoryRoot.appendingPathComponent("sample-world/inbox/amazon-de/\(name).tsv")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines: [String] = []
        try FeedMapper(mapping: mapping, fileName: "\(name).tsv").map(try FileByteSource(path: input.path)) { outcome in
            guard case .document(let document) = outcome else {
                Issue.record("a sample record was rejected: \(outcome)")
                return
            }
            lines.append(String(decoding: try encoder.encode(document), as: UTF8.self))
        }
        let golden = try String(
            contentsOf: repositoryRoot.appendingPathComponent(
                "Tests/OmnihubRuntimeTests/Golden/amazon-de-\(name).jsonl"),
            encoding: .utf8)
        #expect(lines.joined(separator: "\n") + "\n" == golden)
    }
}
