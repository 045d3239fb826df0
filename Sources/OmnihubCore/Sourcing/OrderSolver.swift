/// Sources one order exactly over its candidate nodes: every set of up to the parcel limit, the
/// units of each line taken from the cheapest member first, against the stock and parcel capacity
/// left, at real costs plus any ``ScarcityPrices``.
///
/// Candidates are every DC and dropshipper that holds a line's SKU (they can take several lines in
/// one parcel, which a line-by-line ranking does not see) and, per line, the `candidatesPerLine`
/// stores cheapest for that line alone. Each line's eligible stores are ranked once, by parcel
/// price plus units, and the first `ranked` kept; a solve walks them only until no further store
/// can make the cut, and scans every holder only when too few of them have stock and capacity.
struct OrderSolver: Sendable {
    typealias Cost = SourcingNetwork.Cost
    typealias Entry = (line: Int, node: Int, quantity: Int)

    /// An order's allocation and what it costs (with the surcharges it was decided at).
    struct Solution: Sendable {
        var cost: Cost
        var entries: [Entry]
        /// The nodes it chose among (32 bits each: the solutions of a batch's rounds are kept).
        var candidates: [Int32] = []
        /// Each candidate's entry in the order's ``Reach``, or -1.
        var candidateEntries: [Int32] = []
        /// Whether a line's ranked stores ran out and every holder was scanned.
        var scannedEveryHolder = false
        /// How many of each demand's ranked stores the walk looked at; the others could not have
        /// made the cut at any prices.
        var walked: [Int32] = []
    }

    /// A node holding a line's SKU, may ship to the order, and what a parcel from it costs.
    struct Holder: Sendable {
        let node: Int32
        let slot: Int32
        let price: Cost
        /// No choice of this holder for the line alone costs less: price plus its cheapest units.
        let floor: Cost
        /// The units of the line's SKU there the order may take from the network's initial stock,
        /// up to what the line needs (a solve never takes more); see ``Reach/units(_:need:)``.
        let units: Int32
        /// The node's entry in the order's ``Reach``, or -1.
        var entry: Int32 = -1
    }

    /// The nodes that may ship to an order as a line's DC, dropshipper or ranked store, each with
    /// the stock slot of every demand and the units there the order may take from the network's
    /// initial stock. A solve reads a candidate's slots here, next to each other, instead of
    /// looking each up in a network-wide table (a cache miss each, most of a solve's time on a
    /// large network).
    struct Reach: Sendable {
        /// At `entry * demands + demand`: the slot, or -1 when the node does not hold the SKU.
        var slots: [Int32] = []
        /// At `entry * demands + demand`: the units there at the start, up to what the demand
        /// needs.
        var units: [Int32] = []

        /// `units` up to `need`, kept in 32 bits (a table per order, and a holder per store a line
        /// may take, for every order of the batch): exact for a solve, which takes no more than a
        /// demand needs, whenever the need fits in 32 bits; beyond, `nil` says to read the stock.
        static func units(_ units: Int, need: Int) -> Int32? {
            need <= Int(Int32.max) ? Int32(min(units, need)) : nil
        }
    }

    /// A store kept for a line while a solve walks them: what the line alone would cost from it.
    struct Kept {
        let cost: Cost
        let floor: Cost
        let node: Int
        let price: Cost
        let entry: Int32

        /// Cheaper, or as cheap and ranked first.
        func precedes(_ other: Kept) -> Bool {
            (cost, floor, node) < (other.cost, other.floor, other.node)
        }
    }

    /// What an order asks of one SKU: lines of the same SKU are sourced as one, since they draw
    /// on the same stock.
    struct Demand: Sendable {
        let sku: Int
        let quantity: Int
        /// The order's lines of this SKU and their quantities, in the order's order.
        let lines: [(line: Int, quantity: Int)]
    }

    let network: SourcingNetwork
    let candidatesPerLine: Int
    /// Per order, its demands, first appearance of each SKU first.
    let demands: [[Demand]]
    /// Per order and line: the eligible DCs and dropshippers holding its SKU.
    let bulk: [[[Holder]]]
    /// Per order and line: the eligible stores holding its SKU, by floor, then node; at most
    /// `ranked` of them.
    let stores: [[[Holder]]]
    /// Per order and line: whether `stores` holds every eligible store.
    let storesComplete: [[Bool]]
    /// Per order: its DCs, dropshippers and ranked stores, with their slots.
    let reaches: [Reach]
    let fullCapacity: [Int]
    /// Each node's unit cost and whether it is a store, apart from the rest of the node.
    let unitCosts: [Cost]
    let isStore: [Bool]
    /// Each node's place when a line takes units from the cheapest node of a set first: by unit
    /// cost, then priority.
    let fillRank: [Int32]

    /// Stores kept ranked per line; beyond them a solve that needs more scans every holder.
    let ranked: Int

    init(_ network: SourcingNetwork, candidatesPerLine: Int, workers: Int, ranked: Int = 64) {
        self.network = network
        self.ranked = ranked
        self.candidatesPerLine = candidatesPerLine
        fullCapacity = network.nodes.map(\.capacity)
        unitCosts = network.nodes.map(\.unitCost)
        isStore = network.nodes.map { $0.type == .store }
        var fillRank = [Int32](repeating: 0, count: network.nodes.count)
        for (rank, node) in network.nodes.indices.sorted(by: { a, b in
            let (ua, ub) = (network.nodes[a].unitCost, network.nodes[b].unitCost)
            return ua != ub ? ua < ub : network.nodes[a].priorityKey < network.nodes[b].priorityKey
        }).enumerated() {
            fillRank[node] = Int32(rank)
        }
        self.fillRank = fillRank
        let demands = network.orders.map { order in
            var demands: [(sku: Int, quantity: Int, lines: [(line: Int, quantity: Int)])] = []
            for (index, line) in order.lines.enumerated() {
                if let known = demands.firstIndex(where: { $0.sku == line.sku }) {
                    demands[known].quantity += line.quantity
                    demands[known].lines.append((index, line.quantity))
                } else {
                    demands.append((line.sku, line.quantity, [(index, line.quantity)]))
                }
            }
            return demands.map { Demand(sku: $0.sku, quantity: $0.quantity, lines: $0.lines) }
        }
        self.demands = demands
        let tables = parallelMap(network.orders.count, workers: workers) { order in
            Self.holders(network, order: order, demands: demands[order], ranked: ranked)
        }
        bulk = tables.map(\.bulk)
        stores = tables.map(\.stores)
        storesComplete = tables.map(\.complete)
        reaches = tables.map(\.reach)
    }

    private static func holders(_ network: SourcingNetwork, order: Int, demands: [Demand], ranked: Int)
        -> (bulk: [[Holder]], stores: [[Holder]], complete: [Bool], reach: Reach)
    {
        // Each node's parcel price for the order, worked out once.
        let unknown = Cost.min
        let barred = Cost.min + 1
        var prices = [Cost](repeating: unknown, count: network.nodes.count)
        var bulk: [[Holder]] = []
        var stores: [[Holder]] = []
        var complete: [Bool] = []
        for line in demands {
            var lineBulk: [Holder] = []
            var lineStores: [Holder] = []
            if line.sku < network.holders.count {
                for holder in network.holders[line.sku] {
                    let available = network.available(network.initialStock, order: order, slot: holder.slot)
                    guard available > 0 else { continue }
                    let units = Reach.units(available, need: line.quantity) ?? 0
                    if prices[holder.node] == unknown {
                        prices[holder.node] = network.offer(order: order, node: holder.node) ?? barred
                    }
                    let price = prices[holder.node]
                    guard price != barred else { continue }
                    let entry = Holder(
                        node: Int32(holder.node), slot: Int32(holder.slot), price: price,
                        floor: price + network.unitFloor(node: holder.node) * Cost(line.quantity), units: units)
                    if network.nodes[holder.node].type == .store {
                        lineStores.append(entry)
                    } else {
                        lineBulk.append(entry)
                    }
                }
            }
            lineStores.sort { ($0.floor, $0.node) < ($1.floor, $1.node) }
            complete.append(lineStores.count <= ranked)
            bulk.append(lineBulk)
            stores.append(Array(lineStores.prefix(ranked)))
        }
        // Every node kept, numbered in the order first met, with its slot of each demand.
        var reach = Reach()
        var entries = [Int32](repeating: -1, count: network.nodes.count)
        var entered: Int32 = 0
        func enter(_ holder: inout Holder) {
            let node = Int(holder.node)
            if entries[node] >= 0 {
                holder.entry = entries[node]
                return
            }
            holder.entry = entered
            entries[node] = entered
            entered += 1
            for demand in demands {
                if let slot = network.slot(node: node, sku: demand.sku) {
                    reach.slots.append(Int32(slot))
                    let available = network.available(network.initialStock, order: order, slot: slot)
                    reach.units.append(Reach.units(available, need: demand.quantity) ?? 0)
                } else {
                    reach.slots.append(-1)
                    reach.units.append(0)
                }
            }
        }
        for line in demands.indices {
            for index in bulk[line].indices { enter(&bulk[line][index]) }
            for index in stores[line].indices { enter(&stores[line][index]) }
        }
        return (bulk, stores, complete, reach)
    }

    /// The cheapest allocation of `orderIndex` against `stock` and `capacity`, with the surcharges
    /// of `prices` counted, never using a node in `excluding`.
    func solve(
        _ orderIndex: Int, stock: [Int], capacity: [Int], prices: ScarcityPrices?, excluding: [Int] = []
    ) -> Solution {
        solve(orderIndex, whole: false, stock: stock, capacity: capacity, prices: prices, excluding: excluding)
    }

    /// The cheapest allocation of `orderIndex` as if it had the network's initial stock and full
    /// capacity to itself, with the surcharges of `prices` counted, never using a node in
    /// `excluding`.
    func solveAlone(_ orderIndex: Int, prices: ScarcityPrices?, excluding: [Int] = []) -> Solution {
        solve(
            orderIndex, whole: true, stock: network.initialStock, capacity: fullCapacity, prices: prices,
            excluding: excluding)
    }

    /// A solve against `stock`, which is the network's initial stock when `whole`: the units are
    /// then read from the holders and the order's ``Reach``.
    private func solve(
        _ orderIndex: Int, whole: Bool, stock: [Int], capacity: [Int], prices: ScarcityPrices?, excluding: [Int]
    ) -> Solution {
        let lines = demands[orderIndex]
        var scannedEveryHolder = false
        var walked: [Int32] = []
        walked.reserveCapacity(lines.count)
        var candidates: [Int32] = []
        var candidateEntries: [Int32] = []
        var candidatePrices: [Cost] = []
        func parcelSurcharge(_ node: Int) -> Cost { prices?.parcel[node] ?? 0 }
        func unitSurcharge(_ slot: Int) -> Cost { prices?.unitSurcharge(slot) ?? 0 }
        // The first line's candidates are distinct nodes (a node holds a SKU in one slot): only a
        // later line's can repeat one.
        var laterLine = false
        func add(_ node: Int, _ price: Cost, _ entry: Int32) {
            if !laterLine || !candidates.contains(Int32(node)) {
                candidates.append(Int32(node))
                candidateEntries.append(entry)
                candidatePrices.append(price + parcelSurcharge(node))
            }
        }
        var cheapest: [Kept] = []
        cheapest.reserveCapacity(candidatesPerLine + 1)
        func units(_ holder: Holder, _ line: Demand) -> Int {
            whole && line.quantity <= Int(Int32.max)
                ? Int(holder.units) : network.available(stock, order: orderIndex, slot: Int(holder.slot))
        }
        func usable(_ holder: Holder, _ line: Demand) -> Bool {
            units(holder, line) > 0 && capacity[Int(holder.node)] > 0 && !excluding.contains(Int(holder.node))
        }
        for (lineIndex, line) in lines.enumerated() {
            for holder in bulk[orderIndex][lineIndex] where usable(holder, line) {
                add(Int(holder.node), holder.price, holder.entry)
            }
            // The cheapest stores for this line alone. Ties go to the store ranked first (by floor,
            // then node), so that the walk can stop at the first store whose floor reaches the
            // last cost kept.
            cheapest.removeAll(keepingCapacity: true)
            func consider(_ holder: Holder) {
                guard usable(holder, line) else { return }
                let node = Int(holder.node)
                let slot = Int(holder.slot)
                let take = min(units(holder, line), line.quantity)
                let cost =
                    holder.price + parcelSurcharge(node)
                    + (unitCosts[node] + unitSurcharge(slot)) * Cost(take)
                    + network.unfilledPenalty * Cost(line.quantity - take)
                let kept = Kept(cost: cost, floor: holder.floor, node: node, price: holder.price, entry: holder.entry)
                if cheapest.count == candidatesPerLine, let last = cheapest.last, !kept.precedes(last) {
                    return
                }
                var index = cheapest.count
                while index > 0 && kept.precedes(cheapest[index - 1]) { index -= 1 }
                if cheapest.count == candidatesPerLine { cheapest.removeLast() }
                cheapest.insert(kept, at: index)
            }
            var settled = false
            var scanned = false
            var steps = 0
            for holder in stores[orderIndex][lineIndex] {
                if cheapest.count == candidatesPerLine, holder.floor >= cheapest[candidatesPerLine - 1].cost {
                    settled = true
                    break
                }
                steps += 1
                consider(holder)
            }
            walked.append(Int32(steps))
            if !settled && !storesComplete[orderIndex][lineIndex] && cheapest.count < candidatesPerLine {
                // Too few ranked stores have stock and capacity left: every holder decides. (When
                // enough have, surcharges kept the walk from settling: the ranked ones are kept,
                // and the pricing rounds do not scan every store of a popular SKU each time.)
                cheapest.removeAll(keepingCapacity: true)
                scanned = true
                for holder in network.holders[line.sku] where isStore[holder.node] {
                    guard network.available(stock, order: orderIndex, slot: holder.slot) > 0, capacity[holder.node] > 0,
                        let price = network.offer(order: orderIndex, node: holder.node)
                    else { continue }
                    consider(
                        Holder(
                            node: Int32(holder.node), slot: Int32(holder.slot), price: price,
                            floor: price + network.unitFloor(node: holder.node) * Cost(line.quantity),
                            units: Reach.units(
                                network.available(network.initialStock, order: orderIndex, slot: holder.slot),
                                need: line.quantity) ?? 0))
                }
            }
            for kept in cheapest { add(kept.node, kept.price, kept.entry) }
            laterLine = true
            scannedEveryHolder = scannedEveryHolder || scanned
        }
        var solution = best(
            orderIndex, candidates: candidates, entries: candidateEntries, prices: candidatePrices, whole: whole,
            stock: stock, surcharges: prices)
        solution.candidates = candidates
        solution.candidateEntries = candidateEntries
        solution.scannedEveryHolder = scannedEveryHolder
        solution.walked = walked
        return solution
    }

    /// Whether `solution`, found for `orderIndex` on the whole network's stock and capacity, could
    /// change if the prices marked changed did: a price of a store its walk looked at, or of a
    /// node it chose among, changed. (A store past the walk's end costs at least the last one
    /// kept at any prices, since surcharges are never negative.)
    func mayChange(
        _ solution: Solution, of orderIndex: Int, unitChanged: [Bool], parcelChanged: [Bool]
    ) -> Bool {
        if solution.scannedEveryHolder { return true }
        if solution.candidates.contains(where: { parcelChanged[Int($0)] }) { return true }
        for (lineIndex, line) in demands[orderIndex].enumerated() {
            for holder in stores[orderIndex][lineIndex].prefix(Int(solution.walked[lineIndex]))
            where unitChanged[Int(holder.slot)] || parcelChanged[Int(holder.node)] {
                return true
            }
            for (node, entry) in zip(solution.candidates, solution.candidateEntries) {
                if entry >= 0 {
                    let slot = reaches[orderIndex].slots[Int(entry) * demands[orderIndex].count + lineIndex]
                    if slot >= 0 && unitChanged[Int(slot)] { return true }
                } else if let slot = network.slot(node: Int(node), sku: line.sku), unitChanged[slot] {
                    return true
                }
            }
        }
        return false
    }

    /// The cheapest set of candidates and its fill.
    private func best(
        _ orderIndex: Int, candidates: [Int32], entries: [Int32], prices candidatePrices: [Cost], whole: Bool,
        stock: [Int], surcharges: ScarcityPrices?
    ) -> Solution {
        let lines = demands[orderIndex]
        // Candidates by parcel price, then node: sets are tried cheapest first, and a set whose
        // parcels alone cost more than the best found ends the search along its branch.
        let byPrice = candidates.indices.sorted {
            (candidatePrices[$0], candidates[$0]) < (candidatePrices[$1], candidates[$1])
        }
        let lineCount = lines.count
        let reach = reaches[orderIndex]
        // Every member of a set ships a unit at least: a set larger than the order's units cannot be.
        let limit = min(network.maxParcels, byPrice.count, lines.reduce(0) { $0 + $1.quantity })
        var search = SetSearch(
            lineCount: lineCount, count: byPrice.count, maxSize: max(limit, 1),
            unfilledPenalty: network.unfilledPenalty, splitPenalty: network.splitPenalty)
        for (lineIndex, line) in lines.enumerated() { search.setNeed(lineIndex, line.quantity) }
        var cheapestUnit = network.unfilledPenalty
        for (position, index) in byPrice.enumerated() {
            let node = Int(candidates[index])
            search.setPrice(position, candidatePrices[index])
            search.setRank(position, fillRank[node])
            cheapestUnit = min(cheapestUnit, unitCosts[node])
            let entry = Int(entries[index])
            for (lineIndex, line) in lines.enumerated() {
                let slot: Int
                var available: Int?
                if entry >= 0 {
                    let known = reach.slots[entry * lineCount + lineIndex]
                    guard known >= 0 else { continue }
                    slot = Int(known)
                    if whole && line.quantity <= Int(Int32.max) {
                        available = Int(reach.units[entry * lineCount + lineIndex])
                    }
                } else {
                    guard let found = network.slot(node: node, sku: line.sku) else { continue }
                    slot = found
                }
                search.setUnits(
                    position, lineIndex, available ?? network.available(stock, order: orderIndex, slot: slot),
                    cost: unitCosts[node] + (surcharges?.unitSurcharge(slot) ?? 0))
            }
        }
        search.cheapestUnit = cheapestUnit
        search.prepare()
        if limit >= 1 {
            for size in 1...limit { search.extend(from: 0, size: size, partial: 0) }
        }
        // The entries of the best set, filled the way the search priced them, each demand's units
        // handed to its lines in turn.
        var entries: [Entry] = []
        var members = [Int](repeating: 0, count: search.bestSize)
        for (demandIndex, demand) in lines.enumerated() {
            var remaining = demand.quantity
            var current = 0  // the line being handed units, and what it still needs
            var needed = demand.lines.first?.quantity ?? 0
            for index in members.indices { members[index] = search.bestMember(index) }
            members.sort { search.before($0, $1, line: demandIndex) }
            for member in members where remaining > 0 {
                var take = min(search.available(member, demandIndex), remaining)
                remaining -= take
                while take > 0 && current < demand.lines.count {
                    let part = min(take, needed)
                    if part > 0 { entries.append((demand.lines[current].line, Int(candidates[byPrice[member]]), part)) }
                    take -= part
                    needed -= part
                    if needed <= 0 {
                        current += 1
                        needed = current < demand.lines.count ? demand.lines[current].quantity : 0
                    }
                }
            }
        }
        return Solution(cost: search.bestCost, entries: entries)
    }
}

extension SourcingNetwork {
    /// The least a unit from `node` can cost: its unit cost, or the unfilled penalty when that is
    /// less (a unit is never worse than unfilled).
    func unitFloor(node: Int) -> Cost {
        min(nodes[node].unitCost, unfilledPenalty)
    }
}
