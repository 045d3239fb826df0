/// What the optimizer charges on top of real costs for what is scarce, while it decides: a
/// surcharge per unit of each stock slot (a node's stock of one SKU) and per parcel of each node
/// with a parcel capacity.
///
/// They are the multipliers of a Lagrangian relaxation of the stock and capacity constraints:
/// with them, every order solved on its own, as if it had the whole network to itself, asks for
/// about as much as there is. An order with a good alternative leaves a priced unit to an order
/// without one.
///
/// Only shared stock is priced. An order's units from a node pay the shared slot's surcharge even
/// where its channel's fence covers them: the search overprices them a little, and the plans are
/// judged at real costs.
struct ScarcityPrices: Sendable, Equatable {
    /// Surcharge per unit, by stock slot, in ten-thousandths of the currency unit.
    var unit: [SourcingNetwork.Cost]
    /// Surcharge per parcel, by node, in ten-thousandths of the currency unit.
    var parcel: [SourcingNetwork.Cost]

    /// No surcharges.
    static func zero(_ network: SourcingNetwork) -> ScarcityPrices {
        ScarcityPrices(
            unit: Array(repeating: 0, count: network.initialStock.count),
            parcel: Array(repeating: 0, count: network.nodes.count))
    }

    var isZero: Bool { unit.allSatisfy { $0 == 0 } && parcel.allSatisfy { $0 == 0 } }

    /// The highest surcharge: 100,000,000 a unit or parcel, far above any price the search needs
    /// (a unit is never worth more than the unfilled penalty), and low enough that a surcharge
    /// times the largest quantity an order may carry (``Order/largestQuantity``) stays within
    /// `Int64`: a problem file with absurd costs cannot make the search trap.
    static let ceiling: SourcingNetwork.Cost = 1_000_000_000_000

    /// A multiplier of the search as a surcharge: rounded, and kept between 0 and ``ceiling``.
    static func surcharge(_ multiplier: Double) -> SourcingNetwork.Cost {
        SourcingNetwork.Cost(min(max(multiplier, 0), Double(ceiling)).rounded())
    }
}

/// Finds ``ScarcityPrices`` by subgradient steps on the Lagrangian dual of the stock and capacity
/// constraints: each round every order is solved alone at the current prices, a price rises where
/// the orders ask for more than there is and falls where they ask for less, by a step that shrinks
/// as the dual bound approaches the best plan known (Polyak's rule).
struct ScarcityPricing {
    let network: SourcingNetwork
    let solver: OrderSolver
    let workers: Int

    /// A round's outcome: each order's cheapest choice at the prices, and the bound they give.
    struct Round {
        var prices: ScarcityPrices
        var choices: [OrderSolver.Solution]
        /// The Lagrangian dual value: no plan (over the solver's candidates) costs less.
        var bound: SourcingNetwork.Cost
    }

    /// Every order alone at `prices`, on the whole network's stock and capacity; an order no
    /// changed price can reach keeps its choice from `previous`.
    func round(_ prices: ScarcityPrices, after previous: Round? = nil) -> Round {
        let unitChanged = previous.map { zip($0.prices.unit, prices.unit).map { $0 != $1 } } ?? []
        let parcelChanged = previous.map { zip($0.prices.parcel, prices.parcel).map { $0 != $1 } } ?? []
        let choices = parallelMap(network.orders.count, workers: workers) { order in
            if let previous,
                !solver.mayChange(
                    previous.choices[order], of: order, unitChanged: unitChanged, parcelChanged: parcelChanged)
            {
                return previous.choices[order]
            }
            return solver.solve(order, stock: network.initialStock, capacity: solver.fullCapacity, prices: prices)
        }
        var bound = choices.reduce(SourcingNetwork.Cost(0)) { $0 + $1.cost }
        for (slot, surcharge) in prices.unit.enumerated() where surcharge > 0 {
            bound -= surcharge * SourcingNetwork.Cost(network.initialStock[slot])
        }
        for (node, surcharge) in prices.parcel.enumerated() where surcharge > 0 {
            bound -= surcharge * SourcingNetwork.Cost(network.nodes[node].capacity)
        }
        return Round(prices: prices, choices: choices, bound: bound)
    }

    /// Prices after up to `rounds` subgradient steps from `start` (the round at zero prices), with
    /// `upperBound` the cost of a plan known to be feasible. Returns the rounds numbered in
    /// `checkpoints`, the priced round with the best bound (the bound at zero prices can be better
    /// while the prices are still far off) and the last.
    func search(from start: Round, upperBound: SourcingNetwork.Cost, rounds: Int, keeping checkpoints: Set<Int>)
        -> [Round]
    {
        var kept: [Round] = []
        var unit = [Double](repeating: 0, count: network.initialStock.count)
        var parcel = [Double](repeating: 0, count: network.nodes.count)
        var current = start
        var best: Round?
        var factor = 2.0
        var stalled = 0
        for number in 1...max(1, rounds) {
            // How far the orders' own choices overrun what there is, by slot and by node. Fenced
            // units are taken first; only shared ones are priced (what a channel takes beyond its
            // fence is taken from the shared units).
            var left = network.initialStock
            var parcels = [Int](repeating: 0, count: parcel.count)
            for (order, choice) in current.choices.enumerated() {
                var nodes: [Int] = []
                for entry in choice.entries {
                    let sku = network.orders[order].lines[entry.line].sku
                    if let slot = network.slot(node: entry.node, sku: sku) {
                        network.draw(entry.quantity, order: order, slot: slot, from: &left)
                    }
                    if !nodes.contains(entry.node) { nodes.append(entry.node) }
                }
                for node in nodes { parcels[node] += 1 }
            }
            var unitStep = [Double](repeating: 0, count: unit.count)
            var parcelStep = [Double](repeating: 0, count: parcel.count)
            var norm = 0.0
            for slot in 0..<network.sharedSlots {
                let excess = Double(-left[slot])
                if excess > 0 || unit[slot] > 0 {
                    unitStep[slot] = excess
                    norm += excess * excess
                }
            }
            for node in parcel.indices where network.nodes[node].capacity != Int.max {
                let excess = Double(parcels[node] - network.nodes[node].capacity)
                if excess > 0 || parcel[node] > 0 {
                    parcelStep[node] = excess
                    norm += excess * excess
                }
            }
            if norm == 0 { break }  // nothing overrun and nothing priced: the prices cannot improve
            let gap = Double(max(upperBound - current.bound, upperBound / 1000))
            let step = factor * gap / norm
            for slot in unit.indices where unitStep[slot] != 0 {
                unit[slot] = max(0, unit[slot] + step * unitStep[slot])
            }
            for node in parcel.indices where parcelStep[node] != 0 {
                parcel[node] = max(0, parcel[node] + step * parcelStep[node])
            }
            let prices = ScarcityPrices(
                unit: unit.map(ScarcityPrices.surcharge), parcel: parcel.map(ScarcityPrices.surcharge))
            current = round(prices, after: current)
            if checkpoints.contains(number) { kept.append(current) }
            if current.bound > best?.bound ?? .min {
                best = current
                stalled = 0
            } else {
                stalled += 1
                if stalled == 3 {
                    factor /= 2
                    stalled = 0
                }
            }
        }
        if let best, !kept.contains(where: { $0.prices == best.prices }) { kept.append(best) }
        if !kept.contains(where: { $0.prices == current.prices }) { kept.append(current) }
        return kept.filter { !$0.prices.isZero }
    }
}
