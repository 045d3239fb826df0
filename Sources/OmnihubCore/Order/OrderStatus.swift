/// Where an order stands in its life.
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Imported, with lines still waiting for stock (or rejected by a node and to be placed again).
    case open
    /// Every open unit is reserved at a node.
    case sourced
    /// Nothing left to ship, and some units shipped.
    case shipped
    /// Nothing left to ship, and nothing shipped: every unit was cancelled.
    case cancelled
}
