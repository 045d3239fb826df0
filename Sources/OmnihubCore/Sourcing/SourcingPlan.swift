/// Which node ships how many units of which order line (`omnihub.sourcing-plan/1`).
public struct SourcingPlan: Sendable, Hashable, Codable {
    /// Units of one line from one node.
    public struct Allocation: Sendable, Hashable, Codable {
        public var order: String
        public var line: String
        public var node: String
        public var qty: Int

        /// An allocation.
        public init(order: String, line: String, node: String, qty: Int) {
            self.order = order
            self.line = line
            self.node = node
            self.qty = qty
        }
    }

    /// Units of a line that no node ships.
    public struct Unfilled: Sendable, Hashable, Codable {
        public var order: String
        public var line: String
        public var qty: Int
    }

    public var format = "omnihub.sourcing-plan/1"
    public var allocations: [Allocation]
    public var unfilled: [Unfilled]

    /// A plan.
    public init(allocations: [Allocation], unfilled: [Unfilled]) {
        self.allocations = allocations
        self.unfilled = unfilled
    }
}
