/// What a plan costs and how it ships, by the cost function of `docs/sourcing.md`.
public struct SourcingSummary: Sendable, Hashable, Codable {
    /// Total cost, in the currency, to the cent.
    public var cost: String
    /// Parcels shipped.
    public var parcels: Int
    /// Orders shipped in two or more parcels, as a share of all orders.
    public var splitShare: Double
    /// Units allocated, as a share of all units ordered.
    public var fillRate: Double

    enum CodingKeys: String, CodingKey {
        case cost, parcels
        case splitShare = "split_share"
        case fillRate = "fill_rate"
    }

    /// The summary of `plan` for `network`'s problem.
    public init(_ plan: SourcingPlan, _ network: SourcingNetwork) {
        var allocation = SourcingAllocation(orderCount: network.orders.count)
        var orderIndex: [String: Int] = [:]
        for (index, order) in network.orders.enumerated() { orderIndex[order.id] = index }
        let nodeIndex = Dictionary(uniqueKeysWithValues: network.nodes.enumerated().map { ($1.id, $0) })
        for entry in plan.allocations {
            guard let order = orderIndex[entry.order], let node = nodeIndex[entry.node],
                let line = network.orders[order].lines.firstIndex(where: { $0.id == entry.line })
            else { continue }
            allocation.orders[order].append((line, node, entry.qty))
        }
        var parcels = 0
        var split = 0
        var shipped = 0
        for entries in allocation.orders {
            let nodes = Set(entries.map(\.node)).count
            parcels += nodes
            if nodes > 1 { split += 1 }
            shipped += entries.reduce(0) { $0 + $1.quantity }
        }
        let ordered = network.orders.reduce(0) { $0 + $1.lines.reduce(0) { $0 + $1.quantity } }
        cost = SourcingNetwork.format(allocation.cost(network))
        self.parcels = parcels
        splitShare = network.orders.isEmpty ? 0 : Double(split) / Double(network.orders.count)
        fillRate = ordered == 0 ? 1 : Double(shipped) / Double(ordered)
    }
}
