import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Stock snapshots and deltas set on-hand, in order, exactly once")
struct StockTests {
    /// A world whose network has a DC and a store, with a snapshot feed and a delta feed.
    func world() throws -> TestWorld {
        let world = try TestWorld()
        let mappings = world.root.appendingPathComponent("mappings")
        try """
        mapping: snapshot
        document: stock_snapshot
        format: {type: csv}
        group_by: node
        fields: {node: node, as_of: as_of}
        lines: {sku: sku, quantity: qty}
        """.write(to: mappings.appendingPathComponent("snapshot.yaml"), atomically: true, encoding: .utf8)
        try """
        mapping: delta
        document: stock_delta
        format: {type: csv}
        fields: {node: node, as_of: at}
        lines: {sku: sku, quantity: change}
        """.write(to: mappings.appendingPathComponent("delta.yaml"), atomically: true, encoding: .utf8)
        try """
        store: {path: var/omnihub.sqlite}
        inbox: {stable_after_seconds: 0}
        network:
          safety_stock: {store: 1}
          nodes:
            - {id: DC-1, type: dc}
            - {id: STORE-1, type: store}
        partners:
          - id: wms
            feeds:
              - {name: snapshots, folder: inbox/wms, pattern: "snap-*.csv", mapping: mappings/snapshot.yaml}
              - {name: deltas, folder: inbox/wms, pattern: "delta-*.csv", mapping: mappings/delta.yaml}
        """.write(to: world.configFile, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: world.root.appendingPathComponent("inbox/wms"), withIntermediateDirectories: true)
        return world
    }

    func drop(_ world: TestWorld, _ name: String, _ text: String) throws {
        let url = world.root.appendingPathComponent("inbox/wms/\(name)")
        try text.write(to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
    }

    func onHand(_ world: TestWorld, _ sku: String) throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try world.store().stock.levels(sku: sku).map { ($0.node, $0.onHand) })
    }

    @Test("a snapshot replaces the node's on-hand; deltas after it add; older data is reported, not counted")
    func snapshotsAndDeltas() throws {
        let world = try world()
        try drop(
            world, "snap-1.csv",
            "node,as_of,sku,qty\nDC-1,2026-11-26T05:00:00Z,SHIRT,10\nDC-1,2026-11-26T05:00:00Z,SOCKS,4\n")
        #expect(try world.cycle().outcomes.map(\.file.status) == [.imported])
        #expect(try onHand(world, "SHIRT") == ["DC-1": 10])

        try drop(
            world, "delta-1.csv",
            "node,at,sku,change\nDC-1,2026-11-26T04:00:00Z,SHIRT,-3\nDC-1,2026-11-26T06:00:00Z,SHIRT,-2\n")
        let deltas = try #require(try world.cycle().outcomes.first)
        #expect(try onHand(world, "SHIRT") == ["DC-1": 8], "the 04:00 change is already in the 05:00 snapshot")
        #expect(deltas.file.status == .quarantined)
        #expect(deltas.issues.map(\.code) == [.deltaBeforeSnapshot])

        try drop(world, "snap-0.csv", "node,as_of,sku,qty\nDC-1,2026-11-25T05:00:00Z,SHIRT,99\n")
        let stale = try #require(try world.cycle().outcomes.first)
        #expect(stale.issues.map(\.code) == [.staleSnapshot])
        #expect(try onHand(world, "SHIRT") == ["DC-1": 8])

        try drop(world, "snap-2.csv", "node,as_of,sku,qty\nDC-1,2026-11-27T05:00:00Z,SHIRT,7\n")
        _ = try world.cycle()
        #expect(try onHand(world, "SHIRT") == ["DC-1": 7])
        #expect(try onHand(world, "SOCKS").isEmpty, "a SKU the newer snapshot does not list is gone")
    }

    @Test("a delta that would take on-hand past what can be counted fails its file alone, on-hand unchanged")
    func deltaBeyondCounting() throws {
        let world = try world()
        try drop(
            world, "snap-1.csv",
            "node,as_of,sku,qty\nDC-1,2026-11-26T05:00:00Z,SHIRT,\(Int.max - 5)\nDC-1,2026-11-26T05:00:00Z,SOCKS,4\n")
        _ = try world.cycle()
        try drop(world, "delta-1.csv", "node,at,sku,change\nDC-1,2026-11-26T06:00:00Z,SHIRT,10\n")
        let outcome = try #require(try world.cycle().outcomes.first)
        #expect(outcome.file.status == .quarantined)
        #expect(outcome.issues.map(\.code) == [.quantityOutOfRange])
        #expect(outcome.issues.first?.record == 1)
        #expect(try onHand(world, "SHIRT") == ["DC-1": Int.max - 5])
        try drop(world, "delta-2.csv", "node,at,sku,change\nDC-1,2026-11-26T07:00:00Z,SOCKS,-1\n")
        #expect(try world.cycle().outcomes.map(\.file.status) == [.imported])
        #expect(try onHand(world, "SOCKS") == ["DC-1": 3])
    }

    @Test("stock for a node the network does not know is refused, naming the known nodes")
    func unknownNode() throws {
        let world = try world()
        try drop(world, "snap-1.csv", "node,as_of,sku,qty\nDC-9,2026-11-26T05:00:00Z,SHIRT,10\n")
        let outcome = try #require(try world.cycle().outcomes.first)
        #expect(outcome.issues.map(\.code) == [.unknownNode])
        #expect(outcome.issues.first?.message.contains("DC-1, STORE-1") == true)
        #expect(try onHand(world, "SHIRT").isEmpty)
    }

    @Test("stock show gives on-hand, safety stock and available per node")
    func stockShow() throws {
        let world = try world()
        try drop(
            world, "snap-1.csv",
            "node,as_of,sku,qty\nDC-1,2026-11-26T05:00:00Z,SHIRT,10\nSTORE-1,2026-11-26T05:00:00Z,SHIRT,3\n")
        _ = try world.cycle()
        let result = try OmnihubProcess.run(["stock", "show", "SHIRT", "--json", "--config", world.configFile.path])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]]
        #expect(rows?.map { $0["node"] as? String } == ["DC-1", "STORE-1"])
        #expect(rows?.map { $0["available"] as? Int } == [10, 2])
        #expect(rows?.map { $0["safety_stock"] as? Int } == [0, 1])
    }
}
