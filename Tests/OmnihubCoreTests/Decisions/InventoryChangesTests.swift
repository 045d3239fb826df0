import OmnihubCore
import Testing

@Suite("Inventory feed changes: a channel is told what differs from what it was told last")
struct InventoryChangesTests {
    @Test("changed and vanished SKUs, full or changes only")
    func changes() throws {
        let changes = try #require(
            InventoryChanges(lastTold: ["A": 5, "B": 2, "C": 1], sellable: ["A": 5, "B": 3, "D": 7], full: false))
        #expect(changes.changed == ["B": 3, "C": 0, "D": 7])
        #expect(changes.lines.map(\.sku) == ["B", "C", "D"])
        let full = try #require(InventoryChanges(lastTold: ["A": 5, "B": 2], sellable: ["A": 5, "B": 3], full: true))
        #expect(full.lines.map(\.sku) == ["A", "B"])
        #expect(full.changed == ["B": 3])
    }

    @Test("nothing changed: no feed")
    func unchanged() {
        #expect(InventoryChanges(lastTold: ["A": 5], sellable: ["A": 5], full: true) == nil)
        #expect(InventoryChanges(lastTold: [:], sellable: [:], full: false) == nil)
    }
}
