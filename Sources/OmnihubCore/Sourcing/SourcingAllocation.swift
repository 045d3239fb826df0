/// A plan in network indices while it is being built: per order, the units of each line by node.
struct SourcingAllocation: Sendable {
    /// `orders[o]` lists (line, node, quantity) triples.
    var orders: [[(line: Int, node: Int, quantity: Int)]]

    init(orderCount: Int) {
        orders = Array(repeating: [], count: orderCount)
    }

    /// The plan file form.
    func plan(_ network: SourcingNetwork) -> SourcingPlan {
        var allocations: [SourcingPlan.Allocation] = []
        var unfilled: [SourcingPlan.Unfilled] = []
        for (index, order) in network.orders.enumerated() {
            var shipped = Array(repeating: 0, count: order.lines.count)
            for entry in orders[index] {
                allocations.append(
                    SourcingPlan.Allocation(
                        order: order.id, line: order.lines[entry.line].id, node: network.nodes[entry.node].id,
                        qty: entry.quantity))
                shipped[entry.line] += entry.quantity
            }
            for (lineIndex, line) in order.lines.enumerated() where shipped[lineIndex] < line.quantity {
                unfilled.append(
                    SourcingPlan.Unfilled(order: order.id, line: line.id, qty: line.quantity - shipped[lineIndex]))
            }
        }
        return SourcingPlan(allocations: allocations, unfilled: unfilled)
    }

    /// The cost of one order's allocation, by the cost function of `docs/sourcing.md`.
    func cost(order index: Int, _ network: SourcingNetwork) -> SourcingNetwork.Cost {
        let order = network.orders[index]
        var cost: SourcingNetwork.Cost = 0
        var shipped = Array(repeating: 0, count: order.lines.count)
        var parcels: [Int] = []
        for entry in orders[index] {
            cost += network.nodes[entry.node].unitCost * SourcingNetwork.Cost(entry.quantity)
            shipped[entry.line] += entry.quantity
            if !parcels.contains(entry.node) { parcels.append(entry.node) }
        }
        for node in parcels { cost += network.parcelPrice(order: index, node: node) }
        cost += network.splitPenalty * SourcingNetwork.Cost(max(0, parcels.count - 1))
        for (lineIndex, line) in order.lines.enumerated() {
            cost += network.unfilledPenalty * SourcingNetwork.Cost(max(0, line.quantity - shipped[lineIndex]))
        }
        return cost
    }

    /// The cost of the whole plan.
    func cost(_ network: SourcingNetwork) -> SourcingNetwork.Cost {
        orders.indices.reduce(0) { $0 + cost(order: $1, network) }
    }
}
