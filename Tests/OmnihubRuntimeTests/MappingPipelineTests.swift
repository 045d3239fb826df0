import Foundation
import OmnihubCore
import OmnihubStore
import Testing

@testable import OmnihubRuntime

@Suite("Mapping on a thread of its own")
struct MappingPipelineTests {
    func file(orders: Int) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString).tsv")
        let rows = (1...orders).map { AmazonReport.row(order: "A\($0)", item: "\($0)") }
        try ([AmazonReport.columns.joined(separator: "\t")] + rows).joined(separator: "\n").write(
            to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func mapper() throws -> FeedMapper {
        FeedMapper(
            mapping: try MappingFile.load(repositoryRoot.appendingPathComponent("mappings/amazon-de-orders.yaml").path),
            fileName: "pipeline.tsv")
    }

    @Test("every document arrives once and in file order, across many batches")
    func order() throws {
        var seen: [String] = []
        let summary = try MappingPipeline(mapper: try mapper(), file: try InboxFile(opening: try file(orders: 1_000)))
            .drain { outcome in
                if case .order(let storable) = outcome { seen.append(storable.order.externalID) }
            }
        #expect(seen == (1...1_000).map { "A\($0)" })
        #expect(summary.documents == 1_000)
    }

    @Test("when the store fails, the mapping thread stops and the error comes back")
    func consumerFails() throws {
        struct StoreDown: Error {}
        var taken = 0
        #expect(throws: StoreDown.self) {
            _ = try MappingPipeline(mapper: try mapper(), file: try InboxFile(opening: try file(orders: 5_000))).drain {
                _ in
                taken += 1
                if taken == 300 { throw StoreDown() }
            }
        }
        #expect(taken == 300)
    }

    @Test("a file that cannot be read reports why")
    func unreadable() throws {
        #expect(throws: FileError.self) {
            let file = try InboxFile(opening: "/nonexistent/file.tsv")
            _ = try MappingPipeline(mapper: try mapper(), file: file).drain { _ in }
        }
    }
}
