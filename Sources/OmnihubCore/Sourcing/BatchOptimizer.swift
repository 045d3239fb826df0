/// omnihub's sourcing optimizer: decides for a whole batch which nodes ship which units at the
/// lowest total cost of `docs/sourcing.md` (units, parcels, split penalties, unfilled units),
/// under stock, capacity, parcel limit and express rules.
///
/// Each order is solved exactly over its cheapest candidate nodes (``OrderSolver``). A first plan
/// takes the orders one by one, those that lose most without their ideal nodes first; its cost
/// steers a search for prices of scarce stock and parcel capacity (``ScarcityPricing``). At the
/// prices of the search's last round and of its best, a plan is built the same way while deciding
/// with those prices, and improved in rounds at real costs: every order is taken
/// out and solved again against what the others leave, and an order that misses what another
/// holds tries the two the other way round. The plans are built side by side, and the cheapest at
/// real costs wins. Deterministic: the same problem gives the same plan, whatever the threads.
public struct BatchOptimizer: Sendable {
    /// Candidate stores kept per line, cheapest first, when an order is solved. More candidates
    /// cost little (the set search's bound cuts most of the sets they add) and give scarce units
    /// more places to go: with 24 instead of 12 and 40 pricing rounds instead of 60, L's plans come
    /// 0.6 to 0.8 points closer to the optimum, the tight networks' worst seed gains 1.3 points,
    /// and L takes no longer.
    public var candidatesPerLine = 24
    /// Improvement rounds over the batch (a third gained less than 0.25 % on the benchmark's
    /// problems and cost a tenth of L's time).
    public var rounds = 2
    /// How much more than it would alone an order must pay before it tries exchanges with others,
    /// in ten-thousandths (1.00): smaller differences rarely pay for the search.
    public var exchangeThreshold: SourcingNetwork.Cost = 10_000
    /// Subgradient rounds of the search for prices of scarce stock and capacity; 0 builds the
    /// first plan only.
    public var pricingRounds = 40
    /// Threads the independent solves of a round share (the plan does not depend on it).
    public var workers = sourcingWorkers

    /// An optimizer with the default settings.
    public init() {}

    /// The optimized plan.
    public func plan(_ network: SourcingNetwork) -> SourcingPlan {
        decide(network).plan
    }

    /// The optimized plan and the prices of scarce stock and capacity it was decided at.
    public func decide(_ network: SourcingNetwork) -> BatchDecision {
        let (allocation, prices) = allocation(network)
        return BatchDecision(plan: allocation.plan(network), network: network, prices: prices)
    }

    func allocation(_ network: SourcingNetwork) -> (SourcingAllocation, ScarcityPrices?) {
        let solver = OrderSolver(network, candidatesPerLine: candidatesPerLine, workers: workers)
        let pricing = ScarcityPricing(network: network, solver: solver, workers: workers)
        let start = pricing.round(.zero(network))
        guard pricingRounds > 0 else { return (allocation(network, solver, start: start, ideals: start.choices), nil) }
        // The first plan, not improved, bounds the search's steps: improving it would cost as much
        // as a priced plan, and a priced plan has always come out cheaper.
        let first = allocation(network, solver, start: start, ideals: start.choices, improving: false)
        let firstCost = first.cost(network)
        // Plans at the prices of earlier rounds (15, 30, 45 of 60) never came out cheapest on the
        // benchmark's fifteen problems but one (by 0.01 %): plans at the last round's prices and at
        // the best bound's.
        let priced = pricing.search(from: start, upperBound: firstCost, rounds: pricingRounds, keeping: [pricingRounds])
        // One thread per plan when there are threads to share: they are few, and each is mostly
        // one thread's work in turn.
        let plans = parallelMap(priced.count, workers: workers > 1 ? priced.count : 1, minimumPerWorker: 1) {
            index in
            allocation(network, solver, start: priced[index], ideals: start.choices)
        }
        let costs = plans.map { $0.cost(network) }
        // A priced plan as cheap as the first is kept: its prices explain the decision.
        guard let cheapest = costs.indices.min(by: { costs[$0] < costs[$1] }), costs[cheapest] <= firstCost else {
            return (allocation(network, solver, start: start, ideals: start.choices), nil)
        }
        return (plans[cheapest], priced[cheapest].prices)
    }

    /// Builds a plan deciding at `start`'s prices, from its choices, then improves it at real
    /// costs unless not `improving`; `ideals` are the orders' choices at real costs with the whole
    /// network to themselves.
    private func allocation(
        _ network: SourcingNetwork, _ solver: OrderSolver, start: ScarcityPricing.Round,
        ideals: [OrderSolver.Solution], improving: Bool = true
    ) -> SourcingAllocation {
        let prices = start.prices.isZero ? nil : start.prices
        // What each order loses at these prices if its chosen nodes are taken. Orders that lose
        // most go first, so scarce stock goes where it is worth most.
        let regret = parallelMap(network.orders.count, workers: workers) { order in
            solver.solveAlone(order, prices: prices, excluding: start.choices[order].entries.map(\.node)).cost
                - start.choices[order].cost
        }
        let sequence = network.orders.indices.sorted { regret[$0] != regret[$1] ? regret[$0] > regret[$1] : $0 < $1 }
        var state = State(stock: network.initialStock, capacity: solver.fullCapacity)
        var result = SourcingAllocation(orderCount: network.orders.count)
        for order in sequence {
            let solved = solver.solve(order, stock: state.stock, capacity: state.capacity, prices: prices)
            apply(solved.entries, order: order, network, &state, sign: -1)
            result.orders[order] = solved.entries
        }
        var costs = [SourcingNetwork.Cost](repeating: 0, count: network.orders.count)
        for order in sequence { costs[order] = result.cost(order: order, network) }
        for _ in 0..<(improving ? rounds : 0) {
            var improved = false
            // An order at its own best, as if alone, cannot do better.
            for order in sequence where costs[order] > ideals[order].cost {
                improved = reoptimize(order, network, solver, &state, &result, &costs) || improved
            }
            // Who holds what: orders by the nodes with a parcel capacity they use, and by the stock
            // slots they take units from, each list in order number.
            var users: [Int: [Int]] = [:]
            var holders: [Int: [Int]] = [:]
            for (order, entries) in result.orders.enumerated() {
                var slots: [Int] = []
                var nodes: [Int] = []
                for entry in entries {
                    if network.nodes[entry.node].capacity != Int.max && !nodes.contains(entry.node) {
                        nodes.append(entry.node)
                    }
                    let sku = network.orders[order].lines[entry.line].sku
                    if let slot = network.slot(node: entry.node, sku: sku), !slots.contains(slot) { slots.append(slot) }
                }
                for node in nodes { users[node, default: []].append(order) }
                for slot in slots { holders[slot, default: []].append(order) }
            }
            for order in sequence where costs[order] - ideals[order].cost >= exchangeThreshold {
                // The first six other orders holding what it would take alone: units of its SKUs at
                // the nodes it would choose, or a parcel of one with a capacity (a DC has thousands
                // of users: take six, not all).
                var rivals: [Int] = []
                let lines = network.orders[order].lines
                for node in Set(ideals[order].entries.map(\.node)).sorted() where rivals.count < 6 {
                    var found: [Int]
                    if network.nodes[node].capacity != Int.max {
                        found = Array((users[node] ?? []).lazy.filter { $0 != order }.prefix(6 - rivals.count))
                    } else {
                        found = []
                        for entry in ideals[order].entries where entry.node == node {
                            guard let slot = network.slot(node: node, sku: lines[entry.line].sku) else { continue }
                            found += (holders[slot] ?? []).lazy.filter { $0 != order }.prefix(6 - rivals.count)
                        }
                        found = Array(Set(found)).sorted().prefix(6 - rivals.count).map { $0 }
                    }
                    rivals += found
                }
                improved =
                    exchange(order, rivals: rivals, ideals: ideals, network, solver, &state, &result, &costs)
                    || improved
            }
            if !improved { break }
        }
        return result
    }

    /// Stock and parcel capacity left while a plan is built.
    struct State {
        var stock: [Int]
        var capacity: [Int]
    }

    /// Takes `order` out and solves it again against what the others leave; keeps the cheaper.
    private func reoptimize(
        _ order: Int, _ network: SourcingNetwork, _ solver: OrderSolver, _ state: inout State,
        _ result: inout SourcingAllocation, _ costs: inout [SourcingNetwork.Cost]
    ) -> Bool {
        apply(result.orders[order], order: order, network, &state, sign: 1)
        let solved = solver.solve(order, stock: state.stock, capacity: state.capacity, prices: nil)
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
        _ order: Int, rivals: [Int], ideals: [OrderSolver.Solution], _ network: SourcingNetwork,
        _ solver: OrderSolver, _ state: inout State, _ result: inout SourcingAllocation,
        _ costs: inout [SourcingNetwork.Cost]
    ) -> Bool {
        for rival in rivals {
            let before = costs[order] + costs[rival]
            apply(result.orders[order], order: order, network, &state, sign: 1)
            apply(result.orders[rival], order: rival, network, &state, sign: 1)
            let first = solver.solve(order, stock: state.stock, capacity: state.capacity, prices: nil)
            // The rival costs at least what it would alone: when that is already too much, the
            // pair cannot improve and the rival need not be solved.
            if first.cost + ideals[rival].cost < before {
                apply(first.entries, order: order, network, &state, sign: -1)
                let second = solver.solve(rival, stock: state.stock, capacity: state.capacity, prices: nil)
                if first.cost + second.cost < before {
                    apply(second.entries, order: rival, network, &state, sign: -1)
                    result.orders[order] = first.entries
                    result.orders[rival] = second.entries
                    costs[order] = first.cost
                    costs[rival] = second.cost
                    return true
                }
                apply(first.entries, order: order, network, &state, sign: 1)
            }
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
            if let slot = network.slot(node: entry.node, sku: sku) {
                network.draw(-sign * entry.quantity, order: order, slot: slot, from: &state.stock)
            }
            if !parcels.contains(entry.node) { parcels.append(entry.node) }
        }
        for node in parcels where state.capacity[node] != Int.max { state.capacity[node] += sign }
    }
}
