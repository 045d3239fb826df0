/// How open orders are placed on the network, as a configuration's `sourcing.strategy` names it.
public enum SourcingStrategy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The batch optimizer: lowest total cost of the whole batch.
    case optimize
    /// Each line from the node with the lowest priority number that has the stock.
    case priority
    /// Each line from the nearest node that has the stock.
    case distance
}
