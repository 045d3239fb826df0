/// Magento MSI's source selection for retailers who want fixed rules: per order, per line, walk
/// the nodes holding the SKU (by priority, or by distance to the order) and take what is there.
///
/// A node is skipped when it has no stock left, cannot take another parcel, would exceed the
/// order's parcel limit, or may not serve an express order. Stock and capacity are used up across
/// the batch in file order; ties are broken by priority, then by position in the file.
public enum RuleBasedSourcing {
    /// How the nodes are walked.
    public enum Rule: String, Sendable, CaseIterable {
        /// By the nodes' configured priority.
        case priority
        /// By distance to the order, nearest first.
        case distance
    }

    /// The plan the rule gives for the whole batch.
    public static func plan(_ network: SourcingNetwork, rule: Rule) -> SourcingPlan {
        allocation(network, rule: rule).plan(network)
    }

    static func allocation(_ network: SourcingNetwork, rule: Rule) -> SourcingAllocation {
        var stock = network.initialStock
        var capacity = network.nodes.map(\.capacity)
        var result = SourcingAllocation(orderCount: network.orders.count)
        for (orderIndex, order) in network.orders.enumerated() {
            var opened: [Int] = []
            var distances: [Int: Double] = [:]
            for (lineIndex, line) in order.lines.enumerated() where line.quantity > 0 {
                var remaining = line.quantity
                var walk = line.sku < network.holders.count ? network.holders[line.sku] : []
                if rule == .distance {
                    for holder in walk where distances[holder.node] == nil {
                        distances[holder.node] = network.distanceKm(order: orderIndex, node: holder.node)
                    }
                    walk.sort { a, b in
                        let (da, db) = (distances[a.node]!, distances[b.node]!)
                        return da != db
                            ? da < db : network.nodes[a.node].priorityKey < network.nodes[b.node].priorityKey
                    }
                }
                for holder in walk {
                    if remaining == 0 { break }
                    let available = network.available(stock, order: orderIndex, slot: holder.slot)
                    if available <= 0 || !network.eligible(order: orderIndex, node: holder.node) { continue }
                    let isNew = !opened.contains(holder.node)
                    if isNew && (capacity[holder.node] <= 0 || opened.count >= network.maxParcels) { continue }
                    let take = min(available, remaining)
                    network.draw(take, order: orderIndex, slot: holder.slot, from: &stock)
                    remaining -= take
                    result.orders[orderIndex].append((lineIndex, holder.node, take))
                    if isNew {
                        opened.append(holder.node)
                        capacity[holder.node] -= 1
                    }
                }
            }
        }
        return result
    }
}
