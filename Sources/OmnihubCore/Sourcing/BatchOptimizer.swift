/// omnihub's sourcing optimizer: decides for a whole batch which nodes ship which units at the
/// lowest total cost of `docs/sourcing.md` (units, parcels, split penalties, unfilled units),
/// under stock, capacity, parcel limit and express rules.
///
/// Each order is solved exactly over its cheapest candidate nodes (every set of up to the parcel
/// limit, pruned by a lower bound), first in file order, then improved in rounds: every order is
/// taken out and solved again against what the others leave, and an order that misses stock held
/// by another tries the two the other way round. Deterministic: the same problem gives the same
/// plan.
public struct BatchOptimizer: Sendable {
    /// Candidate nodes kept per line, cheapest first, when an order is solved.
    public var candidatesPerLine = 12
    /// Improvement rounds over the batch.
    public var rounds = 3

    /// An optimizer with the default settings.
    public init() {}

    /// The optimized plan.
    public func plan(_ network: SourcingNetwork) -> SourcingPlan {
        allocation(network).plan(network)
    }

    struct State {
        var stock: [Int]
        var capacity: [Int]
    }

    func allocation(_ network: SourcingNetwork) -> SourcingAllocation {
        let full = State(stock: network.initialStock, capacity: network.nodes.map(\.capacity))
        // Each order alone, with all stock: its ideal, and what it loses if its ideal nodes are
        // taken. Orders that lose most go first, so scarce stock goes where it is worth most.
        let ideals = network.orders.indices.map { solve($0, network, full) }
        let regret = network.orders.indices.map { order in
            solve(order, network, full, excluding: Set(ideals[order].entries.map(\.node))).cost - ideals[order].cost
        }
        let sequence = network.orders.indices.sorted { regret[$0] != regret[$1] ? regret[$0] > regret[$1] : $0 < $1 }
        var state = full
        var result = SourcingAllocation(orderCount: network.orders.count)
        var costs = Array(repeating: SourcingNetwork.Cost(0), count: network.orders.count)
        for order in sequence {
            let solved = solve(order, network, state)
            apply(solved.entries, order: order, network, &state, sign: -1)
            result.orders[order] = solved.entries
            costs[order] = solved.cost
        }
        for _ in 0..<rounds {
            var improved = false
            for order in sequence {
                improved = reoptimize(order, network, &state, &result, &costs) || improved
            }
            var users: [Int: [Int]] = [:]
            for (order, entries) in result.orders.enumerated() {
                for node in Set(entries.map(\.node)) { users[node, default: []].append(order) }
            }
            for order in sequence where costs[order] > ideals[order].cost {
                let wanted = Set(ideals[order].entries.map(\.node))
                let rivals = wanted.sorted().flatMap { users[$0] ?? [] }.filter { $0 != order }
                improved =
                    exchange(order, rivals: Array(rivals.prefix(12)), network, &state, &result, &costs) || improved
            }
            if !improved { break }
        }
        return result
    }

    /// Takes `order` out and solves it again against what the others leave; keeps the cheaper.
    private func reoptimize(
        _ order: Int, _ network: SourcingNetwork, _ state: inout State, _ result: inout SourcingAllocation,
        _ costs: inout [SourcingNetwork.Cost]
    ) -> Bool {
        apply(result.orders[order], order: order, network, &state, sign: 1)
        let solved = solve(order, network, state)
        if solved.cost < costs[order] {
            apply(solved.entries, order: order, network, &state, sign: -1)
            result.orders[order] = solved.entries
            costs[order] = solved.cost
            return true
        }
        apply(result.orders[order], order: order, network, &state, sign: -1)
        return false
    }

    /// For an order that misses units (or pays for a far node), tries each order holding stock it
    /// wants: both out, this one first, then the other; keeps it if the two together cost less.
    private func exchange(
        _ order: Int, rivals: [Int], _ network: SourcingNetwork, _ state: inout State,
        _ result: inout SourcingAllocation, _ costs: inout [SourcingNetwork.Cost]
    ) -> Bool {
        for rival in rivals {
            let before = costs[order] + costs[rival]
            apply(result.orders[order], order: order, network, &state, sign: 1)
            apply(result.orders[rival], order: rival, network, &state, sign: 1)
            let first = solve(order, network, state)
            apply(first.entries, order: order, network, &state, sign: -1)
            let second = solve(rival, network, state)
            if first.cost + second.cost < before {
                apply(second.entries, order: rival, network, &state, sign: -1)
                result.orders[order] = first.entries
                result.orders[rival] = second.entries
                costs[order] = first.cost
                costs[rival] = second.cost
                return true
            }
            apply(first.entries, order: order, network, &state, sign: 1)
            apply(result.orders[order], order: order, network, &state, sign: -1)
            apply(result.orders[rival], order: rival, network, &state, sign: -1)
        }
        return false
    }

    private func apply(
        _ entries: [(line: Int, node: Int, quantity: Int)], order: Int, _ network: SourcingNetwork,
        _ state: inout State, sign: Int
    ) {
        var parcels: [Int] = []
        for entry in entries {
            let sku = network.orders[order].lines[entry.line].sku
            if let slot = network.slot(node: entry.node, sku: sku) { state.stock[slot] += sign * entry.quantity }
            if !parcels.contains(entry.node) { parcels.append(entry.node) }
        }
        for node in parcels where state.capacity[node] != Int.max { state.capacity[node] += sign }
    }

    /// The cheapest allocation of one order against the stock and capacity in `state`.
    func solve(_ orderIndex: Int, _ network: SourcingNetwork, _ state: State, excluding: Set<Int> = [])
        -> (cost: SourcingNetwork.Cost, entries: [(line: Int, node: Int, quantity: Int)])
    {
        let order = network.orders[orderIndex]
        let lines = order.lines
        // Candidates: nodes with stock of a line, capacity and eligibility; the cheapest per line.
        var candidates: [Int] = []
        var prices: [Int: SourcingNetwork.Cost] = [:]
        for line in lines where line.sku < network.holders.count {
            var scored: [(node: Int, cost: SourcingNetwork.Cost)] = []
            for holder in network.holders[line.sku] where state.stock[holder.slot] > 0 {
                let node = holder.node
                guard state.capacity[node] > 0, !excluding.contains(node),
                    network.eligible(order: orderIndex, node: node)
                else { continue }
                let price = prices[node] ?? network.parcelPrice(order: orderIndex, node: node)
                prices[node] = price
                let take = min(state.stock[holder.slot], line.quantity)
                let standalone =
                    price + network.nodes[node].unitCost * SourcingNetwork.Cost(take)
                    + network.unfilledPenalty * SourcingNetwork.Cost(line.quantity - take)
                scored.append((node, standalone))
            }
            scored.sort { $0.cost != $1.cost ? $0.cost < $1.cost : $0.node < $1.node }
            for (rank, entry) in scored.enumerated() where !candidates.contains(entry.node) {
                // The cheapest few for this line, and every DC and dropshipper: they can take
                // several lines in one parcel, which a line-by-line ranking does not see.
                if rank < candidatesPerLine || network.nodes[entry.node].type != .store {
                    candidates.append(entry.node)
                }
            }
        }
        candidates.sort()
        // Available units of each line at each candidate.
        let available: [[Int]] = candidates.map { node in
            lines.map { line in network.slot(node: node, sku: line.sku).map { state.stock[$0] } ?? 0 }
        }
        let candidatePrices = candidates.map { prices[$0]! }
        let unitCosts = candidates.map { network.nodes[$0].unitCost }
        // Units are taken from the cheapest node of a set first (ties: priority); rank once.
        let fillRank: [Int] = {
            let byCost = candidates.indices.sorted { a, b in
                unitCosts[a] != unitCosts[b]
                    ? unitCosts[a] < unitCosts[b]
                    : network.nodes[candidates[a]].priorityKey < network.nodes[candidates[b]].priorityKey
            }
            var rank = Array(repeating: 0, count: candidates.count)
            for (position, candidate) in byCost.enumerated() { rank[candidate] = position }
            return rank
        }()
        let totalUnits = lines.reduce(0) { $0 + $1.quantity }
        let cheapestUnit = unitCosts.min() ?? 0
        let unfilledPenalty = network.unfilledPenalty
        let splitPenalty = network.splitPenalty
        var best = (cost: unfilledPenalty * SourcingNetwork.Cost(totalUnits), set: [Int]())
        let sortedPrices = candidatePrices.sorted()

        func evaluate(_ set: [Int]) -> SourcingNetwork.Cost? {
            var cost = set.reduce(SourcingNetwork.Cost(0)) { $0 + candidatePrices[$1] }
            cost += splitPenalty * SourcingNetwork.Cost(set.count - 1)
            if cost >= best.cost { return nil }
            var used = Array(repeating: false, count: set.count)
            var order = Array(set.indices)
            for i in 1..<max(1, order.count) {  // insertion sort of at most the parcel limit
                var j = i
                while j > 0 && fillRank[set[order[j]]] < fillRank[set[order[j - 1]]] {
                    order.swapAt(j, j - 1)
                    j -= 1
                }
            }
            for (lineIndex, line) in lines.enumerated() {
                var remaining = line.quantity
                for position in order where remaining > 0 {
                    let take = min(available[set[position]][lineIndex], remaining)
                    if take > 0 {
                        cost += unitCosts[set[position]] * SourcingNetwork.Cost(take)
                        remaining -= take
                        used[position] = true
                    }
                }
                cost += unfilledPenalty * SourcingNetwork.Cost(remaining)
                if cost >= best.cost { return nil }
            }
            return used.allSatisfy { $0 } ? cost : nil
        }

        let limit = min(network.maxParcels, candidates.count)
        if limit >= 1 {
            for size in 1...limit {
                // No set of this size can cost less than its cheapest parcels and cheapest units.
                let bound =
                    sortedPrices.prefix(size).reduce(0, +) + network.splitPenalty * SourcingNetwork.Cost(size - 1)
                    + cheapestUnit * SourcingNetwork.Cost(totalUnits)
                if bound >= best.cost { break }
                var set = Array(0..<size)
                while true {
                    if let cost = evaluate(set), cost < best.cost { best = (cost, set) }
                    // The next combination in lexicographic order.
                    var position = size - 1
                    while position >= 0 && set[position] == candidates.count - size + position { position -= 1 }
                    if position < 0 { break }
                    set[position] += 1
                    for next in position + 1..<size { set[next] = set[next - 1] + 1 }
                }
            }
        }
        // The entries of the best set, filled the way evaluate() priced them.
        var entries: [(line: Int, node: Int, quantity: Int)] = []
        let set = best.set
        let fillOrder = set.sorted { fillRank[$0] < fillRank[$1] }
        for (lineIndex, line) in lines.enumerated() {
            var remaining = line.quantity
            for candidate in fillOrder where remaining > 0 {
                let take = min(available[candidate][lineIndex], remaining)
                if take > 0 {
                    entries.append((lineIndex, candidates[candidate], take))
                    remaining -= take
                }
            }
        }
        return (best.cost, entries)
    }
}
