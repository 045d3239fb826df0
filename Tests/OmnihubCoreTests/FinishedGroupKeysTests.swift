import Foundation
import Testing

@testable import OmnihubCore

@Suite("A long feed's finished group keys, in bounded memory")
struct FinishedGroupKeysTests {
    /// Hashes spread like a string's `hashValue`: a fixed sequence from a 64-bit mixer.
    static func hashes(_ count: Int, seed: UInt64) -> [UInt64] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    @Test("every key inserted is found again, in memory and after several merges into the file")
    func everyKeyFound() throws {
        let keys = FinishedGroupKeys(inMemory: 1_000)
        let inserted = Self.hashes(5_500, seed: 1)
        for hash in inserted {
            #expect(try !keys.contains(hash), "a new key is not taken for one seen before")
            try keys.insert(hash)
        }
        #expect(keys.spilledCount == 5_000, "five full sets went to the file, the rest is in memory")
        for hash in inserted { #expect(try keys.contains(hash)) }
    }

    @Test("keys never inserted are not found, whether or not the filter lets them through")
    func othersNotFound() throws {
        let keys = FinishedGroupKeys(inMemory: 700)
        for hash in Self.hashes(3_000, seed: 2) { try keys.insert(hash) }
        let inserted = Set(Self.hashes(3_000, seed: 2))
        let others = Self.hashes(20_000, seed: 3).filter { !inserted.contains($0) }
        #expect(others.count == 20_000)
        for hash in others { #expect(try !keys.contains(hash)) }
        // Neighbours of stored keys land in the same blocks and pass the filter's word more often.
        for hash in inserted.prefix(500) where !inserted.contains(hash &+ 1) {
            #expect(try !keys.contains(hash &+ 1))
        }
    }

    @Test("the smallest and largest hashes, and the first key of every block, are found")
    func edges() throws {
        let keys = FinishedGroupKeys(inMemory: 4)
        let edges: [UInt64] = [0, 1, .max, .max - 1, 1 << 63, 42, 7, 99]
        for hash in edges { try keys.insert(hash) }
        for hash in edges { #expect(try keys.contains(hash)) }
        #expect(try !keys.contains(2))
        #expect(keys.spilledCount == 8)
    }

    @Test("a temporary folder that cannot be written to is named in the error")
    func unwritableFolder() throws {
        let keys = FinishedGroupKeys(inMemory: 2, folder: "/nonexistent-omnihub-folder")
        try keys.insert(1)
        #expect {
            try keys.insert(2)
        } throws: { error in
            let message = (error as? GroupKeySpillError)?.description ?? ""
            return message.contains("/nonexistent-omnihub-folder") && message.contains("TMPDIR")
        }
    }

    @Test("a merge that cannot be written leaves every key found and none made up")
    func failedMergeKeepsKeys() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let keys = FinishedGroupKeys(inMemory: 4, folder: folder)
        let first = Self.hashes(4, seed: 5)
        for hash in first { try keys.insert(hash) }
        #expect(keys.spilledCount == 4)
        try FileManager.default.removeItem(atPath: folder)
        let second = Self.hashes(4, seed: 6)
        for hash in second.dropLast() { try keys.insert(hash) }
        #expect(throws: GroupKeySpillError.self) { try keys.insert(second.last!) }
        for hash in first + second { #expect(try keys.contains(hash)) }
        for hash in Self.hashes(1_000, seed: 7) { #expect(try !keys.contains(hash)) }
    }

    @Test("the spilled file is unlinked at once: nothing is left in the temporary folder")
    func nothingLeft() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let keys = FinishedGroupKeys(inMemory: 10, folder: folder)
        for hash in Self.hashes(100, seed: 4) { try keys.insert(hash) }
        #expect(keys.spilledCount == 100)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("a feed's order that comes back after its key went to the file is still rejected as scattered")
    func scatteredAfterSpill() throws {
        var body = (1...30).map { "A\($0);20.11.2026 10:15;EUR;DE;Berlin;0;SKU-1;1;10,00\n" }.joined()
        body += "A3;20.11.2026 10:15;EUR;DE;Berlin;0;SKU-2;1;10,00\n"
        var mapper = FeedMapper(mapping: FeedMapperTests.mapping(), fileName: "shop/test.csv")
        mapper.groupKeysInMemory = 4
        var orders: [String] = []
        var rejections: [DocumentRejection] = []
        try mapper.map(InMemoryBytes(FeedMapperTests.header + body)) { outcome in
            switch outcome {
            case .document(.order(let order)): orders.append(order.externalID)
            case .document(let other): Issue.record("unexpected \(other.kind)")
            case .rejected(let rejection): rejections.append(rejection)
            }
        }
        #expect(orders == (1...30).map { "A\($0)" })
        #expect(rejections.map(\.key) == ["A3"])
        #expect(rejections.first?.issues.first?.code == .scatteredGroup)
        #expect(rejections.first?.issues.first?.line == 32)
    }
}
