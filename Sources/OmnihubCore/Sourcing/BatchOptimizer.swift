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
    /// How much more than it would alone an order must pay before it tries exchanges with others,
    /// in ten-thousandths (1.00): smaller differences rarely pay for the search.
    public var exchangeThreshold: SourcingNetwork.Cost = 10_000

    /// An optimizer with the default settings.
    public init() {}

    /// The optimized plan.
    public func plan(_ network: SourcingNetwork) -> SourcingPlan {
        allocation(network).plan(network)
    }

    /// Rounds of pricing contested stock before the second construction.
    public var pricingRounds = 10

    struct State {
        var stock: [Int]
        var capacity: [Int]
        /// What a unit from each stock slot costs on top of its real price while deciding: stock
        /// that more orders want than there is becomes dearer, so orders with good alternatives
        /// leave it to those without. Empty: no surcharges.
        var unitSurcharge: [SourcingNetwork.Cost] = []
        /// Parcel prices of every holder of every line, worked out once.
        var holderPrices: HolderPrices?
    }

    /// For each order line, the parcel price from each node holding its SKU (in the order of
    /// ``SourcingNetwork/holders``), or `nil` where the node may not ship to the order.
    final class HolderPrices: Sendable {
        let prices: [[[SourcingNetwork.Cost?]]]

        init(_ network: SourcingNetwork) {
            prices = network.orders.indices.map { order in
                var known: [Int: SourcingNetwork.Cost?] = [:]
                return network.orders[order].lines.map { line in
                    guard line.sku < network.holders.count else { return [] }
                    return network.holders[line.sku].map { holder in
                        if let price = known[holder.node] { return price }
                        let price: SourcingNetwork.Cost? =
                            network.eligible(order: order, node: holder.node)
                            ? network.parcelPrice(order: order, node: holder.node) : nil
                        known[holder.node] = price
                        return price
                    }
                }
            }
        }
    }

    func allocation(_ network: SourcingNetwork) -> SourcingAllocation {
        var full = State(stock: network.initialStock, capacity: network.nodes.map(\.capacity))
        full.holderPrices = HolderPrices(network)
        let plain = allocation(network, deciding: full)
        guard pricingRounds > 0 else { return plain }
        let priced = allocation(network, deciding: surcharged(network, full))
        return priced.cost(network) < plain.cost(network) ? priced : plain
    }

    /// Surcharges for stock the orders' ideal choices oversubscribe, raised round by round where
    /// demand exceeds stock and lowered where it does not.
    private func surcharged(_ network: SourcingNetwork, _ full: State) -> State {
        var state = full
        state.unitSurcharge = Array(repeating: 0, count: network.initialStock.count)
        var step: SourcingNetwork.Cost = 5_000  // 0.50 a unit over stock, decreasing
        for _ in 0..<pricingRounds {
            var demand: [Int: Int] = [:]
            for order in network.orders.indices {
                for entry in solve(order, network, state).entries {
                    let sku = network.orders[order].lines[entry.line].sku
                    if let slot = network.slot(node: entry.node, sku: sku) {
                        demand[slot, default: 0] += entry.quantity
                    }
                }
            }
            var changed = false
            for slot in state.unitSurcharge.indices where state.unitSurcharge[slot] > 0 || demand[slot] != nil {
                let excess = (demand[slot] ?? 0) - network.initialStock[slot]
                let next = max(0, state.unitSurcharge[slot] + step * SourcingNetwork.Cost(excess))
                if next != state.unitSurcharge[slot] {
                    state.unitSurcharge[slot] = next
                    changed = true
                }
            }
            if !changed { break }
            step = step * 4 / 5
        }
        return state
    }

    /// Builds a plan deciding with `deciding`'s surcharges, then improves it at real prices.
    private func allocation(_ network: SourcingNetwork, deciding: State) -> SourcingAllocation {
        var full = State(stock: network.initialStock, capacity: network.nodes.map(\.capacity))
        full.holderPrices = deciding.holderPrices
        // Each order alone, with all stock: its ideal, and what it loses if its ideal nodes are
        // taken. Orders that lose most go first, so scarce stock goes where it is worth most.
        let ideals = network.orders.indices.map { solve($0, network, full) }
        let regret = network.orders.indices.map { order in
            solve(order, network, full, excluding: Set(ideals[order].entries.map(\.node))).cost - ideals[order].cost
        }
        let sequence = network.orders.indices.sorted { regret[$0] != regret[$1] ? regret[$0] > regret[$1] : $0 < $1 }
        var state = deciding
        var result = SourcingAllocation(orderCount: network.orders.count)
        var costs = Array(repeating: SourcingNetwork.Cost(0), count: network.orders.count)
        for order in sequence {
            let solved = solve(order, network, state)
            apply(solved.entries, order: order, network, &state, sign: -1)
            result.orders[order] = solved.entries
        }
        state.unitSurcharge = []
        for order in sequence { costs[order] = result.cost(order: order, network) }
        for _ in 0..<rounds {
            var improved = false
            for order in sequence {
                improved = reoptimize(order, network, &state, &result, &costs) || improved
            }
            var users: [Int: [Int]] = [:]
            for (order, entries) in result.orders.enumerated() {
                for node in Set(entries.map(\.node)) { users[node, default: []].append(order) }
            }
            for order in sequence where costs[order] - ideals[order].cost >= exchangeThreshold {
                let wanted = Set(ideals[order].entries.map(\.node))
                let rivals = wanted.sorted().flatMap { users[$0] ?? [] }.filter { $0 != order }
                improved =
                    exchange(order, rivals: Array(rivals.prefix(6)), network, &state, &result, &costs) || improved
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
        for (lineIndex, line) in lines.enumerated() where line.sku < network.holders.count {
            // The cheapest few for this line, and every DC and dropshipper: they can take several
            // lines in one parcel, which a line-by-line ranking does not see.
            var cheapest: [(node: Int, cost: SourcingNetwork.Cost)] = []
            cheapest.reserveCapacity(candidatesPerLine + 1)
            let known = state.holderPrices?.prices[orderIndex][lineIndex]
            for (position, holder) in network.holders[line.sku].enumerated() where state.stock[holder.slot] > 0 {
                let node = holder.node
                guard state.capacity[node] > 0, !excluding.contains(node) else { continue }
                let price: SourcingNetwork.Cost
                if let known {
                    guard let cached = known[position] else { continue }
                    price = cached
                } else {
                    guard network.eligible(order: orderIndex, node: node) else { continue }
                    price = prices[node] ?? network.parcelPrice(order: orderIndex, node: node)
                }
                prices[node] = price
                if network.nodes[node].type != .store && !candidates.contains(node) { candidates.append(node) }
                let take = min(state.stock[holder.slot], line.quantity)
                let standalone =
                    price + network.nodes[node].unitCost * SourcingNetwork.Cost(take)
                    + network.unfilledPenalty * SourcingNetwork.Cost(line.quantity - take)
                // Keep the cheapest `candidatesPerLine`, ordered by cost, then node.
                if cheapest.count == candidatesPerLine,
                    let last = cheapest.last, (standalone, node) >= (last.cost, last.node)
                {
                    continue
                }
                var index = cheapest.count
                while index > 0 && (standalone, node) < (cheapest[index - 1].cost, cheapest[index - 1].node) {
                    index -= 1
                }
                cheapest.insert((node, standalone), at: index)
                if cheapest.count > candidatesPerLine { cheapest.removeLast() }
            }
            for entry in cheapest where !candidates.contains(entry.node) { candidates.append(entry.node) }
        }
        candidates.sort()
        // Available units of each line at each candidate.
        let available: [[Int]] = candidates.map { node in
            lines.map { line in network.slot(node: node, sku: line.sku).map { state.stock[$0] } ?? 0 }
        }
        let candidatePrices = candidates.map { prices[$0]! }
        let unitCosts = candidates.map { network.nodes[$0].unitCost }
        // Unit cost of each line at each candidate, with the stock surcharge while deciding.
        let lineUnitCosts: [[SourcingNetwork.Cost]] = candidates.map { node in
            lines.map { line in
                let surcharge =
                    state.unitSurcharge.isEmpty
                    ? 0 : network.slot(node: node, sku: line.sku).map { state.unitSurcharge[$0] } ?? 0
                return network.nodes[node].unitCost + surcharge
            }
        }
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

        /// Whether a line takes units from candidate `a` before `b`: cheaper first, then priority.
        func less(_ a: Int, _ b: Int, line: Int) -> Bool {
            let (ca, cb) = (lineUnitCosts[a][line], lineUnitCosts[b][line])
            return ca < cb || (ca == cb && fillRank[a] < fillRank[b])
        }

        /// The candidates of a set in the order a line takes units from them: cheapest first.
        func fillOrder(_ members: [Int], line: Int) -> [Int] {
            var order = members
            for i in 1..<max(1, order.count) {  // insertion sort of at most the parcel limit
                var j = i
                while j > 0 && less(order[j], order[j - 1], line: line) {
                    order.swapAt(j, j - 1)
                    j -= 1
                }
            }
            return order
        }

        func evaluate(_ set: [Int]) -> SourcingNetwork.Cost? {
            var cost = set.reduce(SourcingNetwork.Cost(0)) { $0 + candidatePrices[$1] }
            cost += splitPenalty * SourcingNetwork.Cost(set.count - 1)
            if cost >= best.cost { return nil }
            var used = 0  // a bit per position of the set
            for (lineIndex, line) in lines.enumerated() {
                var remaining = line.quantity
                var taken = 0  // positions already drawn from for this line
                while remaining > 0 {
                    // The cheapest position not drawn from yet that has units of this line.
                    var pick = -1
                    for position in 0..<set.count where taken & (1 << position) == 0 {
                        let candidate = set[position]
                        guard available[candidate][lineIndex] > 0 else { continue }
                        if pick < 0 || less(candidate, set[pick], line: lineIndex) { pick = position }
                    }
                    if pick < 0 { break }
                    taken |= 1 << pick
                    let take = min(available[set[pick]][lineIndex], remaining)
                    cost += lineUnitCosts[set[pick]][lineIndex] * SourcingNetwork.Cost(take)
                    remaining -= take
                    used |= 1 << pick
                }
                cost += unfilledPenalty * SourcingNetwork.Cost(remaining)
                if cost >= best.cost { return nil }
            }
            return used == (1 << set.count) - 1 ? cost : nil
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
        for (lineIndex, line) in lines.enumerated() {
            var remaining = line.quantity
            for candidate in fillOrder(set, line: lineIndex) where remaining > 0 {
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
