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
    /// Surcharge per unit, by stock slot, in ten-thousandths of the currency unit (set through
    /// ``setUnitSurcharge(_:_:)``, which keeps `priced` in step).
    private(set) var unit: [SourcingNetwork.Cost]
    /// Surcharge per parcel, by node, in ten-thousandths of the currency unit.
    var parcel: [SourcingNetwork.Cost]
    /// A bit per stock slot, set where its unit surcharge is not zero. Few slots are priced, and
    /// a solve asks for the surcharge of every slot it considers: the bits fit in a core's cache
    /// where `unit` does not.
    private var priced: [UInt64]

    init(unit: [SourcingNetwork.Cost], parcel: [SourcingNetwork.Cost]) {
        self.unit = unit
        self.parcel = parcel
        var priced = [UInt64](repeating: 0, count: (unit.count + 63) / 64)
        for (slot, surcharge) in unit.enumerated() where surcharge != 0 {
            priced[slot >> 6] |= 1 << UInt64(slot & 63)
        }
        self.priced = priced
    }

    /// No surcharges.
    static func zero(_ network: SourcingNetwork) -> ScarcityPrices {
        ScarcityPrices(
            unit: Array(repeating: 0, count: network.initialStock.count),
            parcel: Array(repeating: 0, count: network.nodes.count))
    }

    /// The surcharge per unit of `slot`.
    func unitSurcharge(_ slot: Int) -> SourcingNetwork.Cost {
        priced[slot >> 6] & (1 << UInt64(slot & 63)) == 0 ? 0 : unit[slot]
    }

    var isZero: Bool { priced.allSatisfy { $0 == 0 } && parcel.allSatisfy { $0 == 0 } }

    /// Sets the surcharge per unit of `slot`.
    mutating func setUnitSurcharge(_ slot: Int, _ surcharge: SourcingNetwork.Cost) {
        unit[slot] = surcharge
        let bit: UInt64 = 1 << UInt64(slot & 63)
        if surcharge == 0 { priced[slot >> 6] &= ~bit } else { priced[slot >> 6] |= bit }
    }

    /// The slots whose unit surcharge is not zero, in slot order.
    var pricedSlots: [Int] {
        var slots: [Int] = []
        for (index, word) in priced.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                slots.append(index << 6 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return slots
    }

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

    /// Every order alone at `prices`, on the whole network's stock and capacity.
    func round(_ prices: ScarcityPrices) -> Round {
        round(prices, after: nil, changedSlots: [])
    }

    /// Every order alone at `prices`, on the whole network's stock and capacity; an order no
    /// changed price can reach keeps its choice from `previous`, whose unit surcharges differ
    /// from these at `changedSlots` alone.
    private func round(_ prices: ScarcityPrices, after previous: Round?, changedSlots: [Int]) -> Round {
        var changed = [Bool](repeating: false, count: previous == nil ? 0 : prices.unit.count)
        for slot in changedSlots { changed[slot] = true }
        let unitChanged = changed
        let parcelChanged = previous.map { zip($0.prices.parcel, prices.parcel).map { $0 != $1 } } ?? []
        let choices = parallelMap(network.orders.count, workers: workers) { order in
            if let previous,
                !solver.mayChange(
                    previous.choices[order], of: order, unitChanged: unitChanged, parcelChanged: parcelChanged)
            {
                return previous.choices[order]
            }
            return solver.solveAlone(order, prices: prices)
        }
        var bound = choices.reduce(SourcingNetwork.Cost(0)) { $0 + $1.cost }
        for slot in prices.pricedSlots where prices.unit[slot] > 0 {
            bound -= prices.unit[slot] * SourcingNetwork.Cost(network.initialStock[slot])
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
        // The multipliers, and the slots where one is above zero. A network has hundreds of
        // thousands of slots, few of them ever priced: a round works on the slots the orders
        // take from and those priced, never on all.
        var unit = [Double](repeating: 0, count: network.initialStock.count)
        var pricedSlots: [Int] = []
        var parcel = [Double](repeating: 0, count: network.nodes.count)
        var prices = start.prices
        // What the orders' choices leave of each slot, back at the initial stock after each round.
        var left = network.initialStock
        var touched = [Bool](repeating: false, count: left.count)
        var touchedSlots: [Int] = []
        var current = start
        var best: Round?
        var factor = 2.0
        var stalled = 0
        for number in 1...max(1, rounds) {
            // How far the orders' own choices overrun what there is, by slot and by node. Fenced
            // units are taken first; only shared ones are priced (what a channel takes beyond its
            // fence is taken from the shared units).
            var parcels = [Int](repeating: 0, count: parcel.count)
            for (order, choice) in current.choices.enumerated() {
                var nodes: [Int] = []
                for entry in choice.entries {
                    let sku = network.orders[order].lines[entry.line].sku
                    if let slot = network.slot(node: entry.node, sku: sku) {
                        network.draw(entry.quantity, order: order, slot: slot, from: &left)
                        if !touched[slot] {
                            touched[slot] = true
                            touchedSlots.append(slot)
                        }
                        if let fence = network.fenceSlot(slot, order: order), !touched[fence] {
                            touched[fence] = true
                            touchedSlots.append(fence)
                        }
                    }
                    if !nodes.contains(entry.node) { nodes.append(entry.node) }
                }
                for node in nodes { parcels[node] += 1 }
            }
            // The slots whose multiplier may move: overrun or priced, in slot order.
            var moving: [(slot: Int, excess: Double)] = []
            for slot in touchedSlots where slot < network.sharedSlots && (left[slot] < 0 || unit[slot] > 0) {
                moving.append((slot, Double(-left[slot])))
            }
            for slot in pricedSlots where !touched[slot] { moving.append((slot, Double(-left[slot]))) }
            moving.sort { $0.slot < $1.slot }
            for slot in touchedSlots {
                left[slot] = network.initialStock[slot]
                touched[slot] = false
            }
            touchedSlots.removeAll(keepingCapacity: true)
            var parcelStep = [Double](repeating: 0, count: parcel.count)
            var norm = 0.0
            for (_, excess) in moving { norm += excess * excess }
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
            var changedSlots: [Int] = []
            pricedSlots.removeAll(keepingCapacity: true)
            for (slot, excess) in moving {
                if excess != 0 { unit[slot] = max(0, unit[slot] + step * excess) }
                if unit[slot] > 0 { pricedSlots.append(slot) }
                let surcharge = ScarcityPrices.surcharge(unit[slot])
                if surcharge != prices.unit[slot] {
                    prices.setUnitSurcharge(slot, surcharge)
                    changedSlots.append(slot)
                }
            }
            for node in parcel.indices where parcelStep[node] != 0 {
                parcel[node] = max(0, parcel[node] + step * parcelStep[node])
            }
            prices.parcel = parcel.map(ScarcityPrices.surcharge)
            current = round(prices, after: current, changedSlots: changedSlots)
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
