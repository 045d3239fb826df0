/// What a channel's inventory feed tells it: the sellable quantities that differ from what the
/// channel was last told.
public struct InventoryChanges: Sendable, Hashable {
    /// What the channel was last told, per SKU.
    public let lastTold: [String: Int]
    /// The quantities that changed, per SKU: the channel's new "last told".
    public let changed: [String: Int]
    /// The lines the feed carries, by SKU: every SKU for a full feed, else the changed ones.
    public let lines: [(sku: String, quantity: Int)]

    /// The changes from `lastTold` to `sellable` (per SKU now); a SKU told before and missing now
    /// is sent as 0. `nil` when nothing changed: no feed is sent.
    public init?(lastTold: [String: Int], sellable: [String: Int], full: Bool) {
        var now = sellable
        for sku in lastTold.keys where now[sku] == nil { now[sku] = 0 }
        let changed = now.filter { lastTold[$0.key] != $0.value }
        guard !changed.isEmpty else { return nil }
        self.lastTold = lastTold
        self.changed = changed
        self.lines = (full ? now : changed).sorted { $0.key < $1.key }.map { (sku: $0.key, quantity: $0.value) }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.lastTold == rhs.lastTold && lhs.changed == rhs.changed
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(lastTold)
        hasher.combine(changed)
    }
}
