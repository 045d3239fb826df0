import Foundation
import Testing

@testable import OmnihubCore

@Suite("Batch optimizer: exact orders, prices for what is scarce, the same plan on any number of threads")
struct BatchOptimizerTests {
    static let params = SourcingProblem.Parameters(
        currency: "EUR",
        rateCard: [
            .init(maxKm: 100, cost: 4.5), .init(maxKm: 250, cost: 5.5), .init(maxKm: 400, cost: 6.5),
            .init(maxKm: nil, cost: 9),
        ], splitPenalty: 2, unfilledPenalty: 60, maxParcelsPerOrder: 3, expressRadiusKm: 250,
        collectTrunkCost: 1.5)

    /// A random network in Germany's box: a DC, `stores` stores with little stock and capacity, a
    /// dropshipper, `skus` SKUs, and `orders` orders of one to four lines, some express, some
    /// collected in a store.
    static func problem(seed: UInt64, stores: Int, skus: Int, orders: Int) -> SourcingProblem {
        var numbers = SplitMix(state: seed)
        var nodes: [SourcingProblem.Node] = []
        func stock(_ share: Int, _ most: Int) -> [String: Int] {
            var stock: [String: Int] = [:]
            for sku in 0..<skus where numbers.below(100) < share { stock["SKU-\(sku)"] = 1 + numbers.below(most) }
            return stock
        }
        nodes.append(
            .init(
                id: "DC", type: .dc, lat: 51, lon: 10, priority: 0, unitCost: 0.8, parcelCost: 1,
                capacityParcels: nil, stock: stock(60, 4)))
        for store in 0..<stores {
            nodes.append(
                .init(
                    id: "STORE-\(store)", type: .store, lat: numbers.between(47.5, 54.5),
                    lon: numbers.between(6, 14.5), priority: 1 + store, unitCost: 2.5, parcelCost: 3,
                    capacityParcels: 1 + numbers.below(4), stock: stock(50, 2)))
        }
        nodes.append(
            .init(
                id: "DROP", type: .dropship, lat: 48, lon: 8, priority: 1 + stores, unitCost: 0.5, parcelCost: 2,
                capacityParcels: nil, stock: stock(20, 50)))
        let list = (0..<orders).map { index -> SourcingProblem.Order in
            let lines = (0..<(1 + numbers.below(4))).map { line in
                SourcingProblem.Line(line: "\(line + 1)", sku: "SKU-\(numbers.below(skus))", qty: 1 + numbers.below(2))
            }
            let collect = numbers.below(5) == 0
            return .init(
                id: "O-\(index)", lat: numbers.between(47.5, 54.5), lon: numbers.between(6, 14.5),
                service: numbers.below(6) == 0 ? "express" : "standard",
                pickupNode: collect ? "STORE-\(numbers.below(stores))" : nil, lines: lines)
        }
        return SourcingProblem(params: params, nodes: nodes, orders: list)
    }

    /// The cheapest allocation of one order by trying every set of up to the parcel limit among all
    /// nodes that may ship it; each line takes its units from the set's cheapest nodes first.
    static func bruteForce(_ network: SourcingNetwork, order: Int) -> SourcingNetwork.Cost {
        let lines = network.orders[order].lines
        // Nodes holding none of the order's SKUs cannot ship it anything.
        let eligible = network.nodes.indices.filter { node in
            network.eligible(order: order, node: node)
                && lines.contains { network.slot(node: node, sku: $0.sku) != nil }
        }
        let prices = Dictionary(
            uniqueKeysWithValues: eligible.map { ($0, network.parcelPrice(order: order, node: $0)) })
        var best = network.unfilledPenalty * SourcingNetwork.Cost(lines.reduce(0) { $0 + $1.quantity })
        func visit(_ start: Int, _ set: [Int]) {
            if !set.isEmpty {
                var cost =
                    set.reduce(SourcingNetwork.Cost(0)) { $0 + prices[$1]! }
                    + network.splitPenalty * SourcingNetwork.Cost(set.count - 1)
                // Lines of the same SKU draw on the same stock.
                var left: [Int: Int] = [:]
                for line in lines {
                    var remaining = line.quantity
                    for node in set.sorted(by: { network.nodes[$0].unitCost < network.nodes[$1].unitCost }) {
                        guard let slot = network.slot(node: node, sku: line.sku) else { continue }
                        let take = min(remaining, left[slot] ?? network.initialStock[slot])
                        left[slot] = (left[slot] ?? network.initialStock[slot]) - take
                        cost += network.nodes[node].unitCost * SourcingNetwork.Cost(take)
                        remaining -= take
                    }
                    cost += network.unfilledPenalty * SourcingNetwork.Cost(remaining)
                }
                best = min(best, cost)
            }
            guard set.count < network.maxParcels else { return }
            for next in start..<eligible.count { visit(next + 1, set + [eligible[next]]) }
        }
        visit(0, [])
        return best
    }

    static func cost(_ plan: SourcingPlan, _ network: SourcingNetwork) -> Amount {
        Amount(parsing: SourcingSummary(plan, network).cost)!
    }

    /// The rules `plan` breaks: stock (a channel's units beyond its fence come out of the shared
    /// units), capacity, parcel limit, nodes that may not ship an order.
    static func broken(_ plan: SourcingPlan, _ network: SourcingNetwork) -> [String] {
        let nodeIndex = Dictionary(uniqueKeysWithValues: network.nodes.enumerated().map { ($1.id, $0) })
        let orderIndex = Dictionary(uniqueKeysWithValues: network.orders.enumerated().map { ($1.id, $0) })
        var taken: [Int: [Int: Int]] = [:]  // by slot and fenced channel (-1: none)
        var parcels: [Int: Set<Int>] = [:]
        var broken: [String] = []
        for allocation in plan.allocations {
            let order = orderIndex[allocation.order]!
            let node = nodeIndex[allocation.node]!
            let sku = network.orders[order].lines.first { $0.id == allocation.line }!.sku
            guard let slot = network.slot(node: node, sku: sku) else {
                broken.append("\(allocation.node) holds no \(sku)")
                continue
            }
            taken[slot, default: [:]][network.orders[order].fence, default: 0] += allocation.qty
            parcels[order, default: []].insert(node)
            if !network.eligible(order: order, node: node) {
                broken.append("\(allocation.node) ships \(allocation.order)")
            }
        }
        for (slot, byChannel) in taken {
            let shared = byChannel.reduce(0) { sum, channel in
                let fenced = network.fenceSlot(slot, channel: channel.key).map { network.initialStock[$0] } ?? 0
                return sum + max(0, channel.value - fenced)
            }
            if shared > network.initialStock[slot] { broken.append("slot \(slot) overdrawn") }
        }
        for (order, nodes) in parcels where nodes.count > network.maxParcels {
            broken.append("\(order): too many parcels")
        }
        for node in network.nodes.indices {
            let used = parcels.values.filter { $0.contains(node) }.count
            if used > network.nodes[node].capacity { broken.append("\(network.nodes[node].id) over capacity") }
        }
        return broken
    }

    @Test("an order solved alone costs what trying every set of up to three nodes costs")
    func exactOrder() {
        for seed in 1...3 {
            let network = SourcingNetwork(Self.problem(seed: UInt64(seed), stores: 30, skus: 6, orders: 40))
            let solver = OrderSolver(network, candidatesPerLine: 100, workers: 1)
            for order in network.orders.indices {
                let solved = solver.solve(
                    order, stock: network.initialStock, capacity: solver.fullCapacity, prices: nil)
                #expect(solved.cost == Self.bruteForce(network, order: order), "seed \(seed), order \(order)")
                var allocation = SourcingAllocation(orderCount: network.orders.count)
                allocation.orders[order] = solved.entries
                #expect(allocation.cost(order: order, network) == solved.cost)
            }
        }
    }

    @Test("an order solved alone reads the stock it was given: as a solve on the initial stock, at any prices")
    func solvedAlone() {
        let network = SourcingNetwork(Self.problem(seed: 5, stores: 80, skus: 8, orders: 60))
        let solver = OrderSolver(network, candidatesPerLine: 6, workers: 1, ranked: 16)
        var generator = SplitMix(state: 5)
        for trial in 0..<3 {
            // No prices, then surcharges on a third of the slots and a parcel surcharge on a fifth
            // of the nodes.
            var prices = ScarcityPrices.zero(network)
            if trial > 0 {
                for slot in prices.unit.indices where generator.next() % 3 == 0 {
                    prices.setUnitSurcharge(slot, Int64(generator.next() % 40_000))
                }
                for node in prices.parcel.indices where generator.next() % 5 == 0 {
                    prices.parcel[node] = Int64(generator.next() % 30_000)
                }
            }
            for order in network.orders.indices {
                let alone = solver.solveAlone(order, prices: prices)
                let given = solver.solve(
                    order, stock: network.initialStock, capacity: solver.fullCapacity, prices: prices)
                #expect(alone.cost == given.cost, "trial \(trial), order \(order)")
                #expect(alone.entries.map(\.node) == given.entries.map(\.node), "trial \(trial), order \(order)")
                #expect(alone.entries.map(\.quantity) == given.entries.map(\.quantity))
                #expect(alone.candidates == given.candidates)
            }
        }
    }

    @Test("an order's table keeps the units up to what a demand needs, and none when the need passes 32 bits")
    func reachUnits() {
        #expect(OrderSolver.Reach.units(5, need: 3) == 3)
        #expect(OrderSolver.Reach.units(2, need: 3) == 2)
        #expect(OrderSolver.Reach.units(SourcingNetwork.largestStock, need: 1_000_000) == 1_000_000)
        #expect(OrderSolver.Reach.units(SourcingNetwork.largestStock, need: Int(Int32.max)) == Int32.max)
        #expect(OrderSolver.Reach.units(SourcingNetwork.largestStock, need: Int(Int32.max) + 1) == nil)
    }

    @Test("a unit surcharge set, changed and cleared is what the prices report, and only priced slots are listed")
    func pricedSlots() {
        let network = SourcingNetwork(Self.problem(seed: 3, stores: 30, skus: 6, orders: 10))
        var prices = ScarcityPrices.zero(network)
        let slots = [0, 63, 64, network.initialStock.count - 1]
        for (index, slot) in slots.enumerated() { prices.setUnitSurcharge(slot, Int64(index + 1) * 500) }
        #expect(prices.pricedSlots == slots)
        #expect(slots.map { prices.unitSurcharge($0) } == [500, 1_000, 1_500, 2_000])
        prices.setUnitSurcharge(63, 0)
        #expect(prices.pricedSlots == [0, 64, network.initialStock.count - 1])
        #expect(prices.unitSurcharge(63) == 0)
        #expect(!prices.isZero)
        for slot in slots { prices.setUnitSurcharge(slot, 0) }
        #expect(prices.isZero)
        #expect(prices == ScarcityPrices.zero(network))
    }

    @Test("a walk that settles keeps the stores a scan of every store keeps; with too few in stock it scans")
    func rankedWalk() {
        let network = SourcingNetwork(Self.problem(seed: 7, stores: 150, skus: 5, orders: 60))
        let solver = OrderSolver(network, candidatesPerLine: 12, workers: 1, ranked: 24)
        let scanner = OrderSolver(network, candidatesPerLine: 12, workers: 1, ranked: 0)
        for emptied in [0, 2] {
            var stock = network.initialStock
            // Take stock from two stores in three, so that walks run past them and some run out.
            if emptied > 0 { for slot in stock.indices where slot % 3 != 0 { stock[slot] = 0 } }
            var settledWalks = 0
            var scans = 0
            for order in network.orders.indices {
                let walked = solver.solve(order, stock: stock, capacity: solver.fullCapacity, prices: nil)
                let scanned = scanner.solve(order, stock: stock, capacity: solver.fullCapacity, prices: nil)
                let settled = solver.demands[order].indices.allSatisfy {
                    walked.walked[$0] < solver.stores[order][$0].count || solver.storesComplete[order][$0]
                }
                if walked.scannedEveryHolder { scans += 1 }
                guard settled else { continue }
                settledWalks += 1
                #expect(walked.cost == scanned.cost, "order \(order)")
                #expect(Set(walked.candidates) == Set(scanned.candidates), "order \(order)")
            }
            // With every store stocked, a third of the walks settle (22 of 60: a store with one
            // unit for a line of two pays the unfilled penalty and keeps walks going); with two
            // stores in three emptied, most scan (55).
            if emptied == 0 { #expect(settledWalks > 10) } else { #expect(scans > 30) }
        }
    }

    @Test("a DC unit two orders want is priced and goes to the order whose next best is dearest")
    func scarceUnitPriced() throws {
        // One shirt in the DC. Alice's alternative is a store next door; Bob's is a store 500 km
        // away. Alone, both would take the DC's shirt.
        let problem = SourcingProblem(
            params: Self.params,
            nodes: [
                .init(
                    id: "DC", type: .dc, lat: 51, lon: 10, priority: 0, unitCost: 0.8, parcelCost: 1,
                    capacityParcels: nil, stock: ["SHIRT": 1]),
                .init(
                    id: "STORE-A", type: .store, lat: 52.5, lon: 13.4, priority: 1, unitCost: 2.5, parcelCost: 3,
                    capacityParcels: 5, stock: ["SHIRT": 1]),
                .init(
                    id: "STORE-FAR", type: .store, lat: 48.1, lon: 11.6, priority: 2, unitCost: 2.5, parcelCost: 3,
                    capacityParcels: 5, stock: ["SHIRT": 1]),
            ],
            orders: [
                .init(
                    id: "ALICE", lat: 52.52, lon: 13.40, service: "standard", pickupNode: nil,
                    lines: [.init(line: "1", sku: "SHIRT", qty: 1)]),
                .init(
                    id: "BOB", lat: 53.55, lon: 9.99, service: "standard", pickupNode: nil,
                    lines: [.init(line: "1", sku: "SHIRT", qty: 1)]),
            ])
        let network = SourcingNetwork(problem)
        let solver = OrderSolver(network, candidatesPerLine: 12, workers: 1)
        let pricing = ScarcityPricing(network: network, solver: solver, workers: 1)
        let start = pricing.round(.zero(network))
        let dcShirt = try #require(network.slot(node: 0, sku: network.orders[0].lines[0].sku))
        let rounds = pricing.search(from: start, upperBound: 1_000_000, rounds: 20, keeping: [])
        let best = try #require(rounds.max { $0.bound < $1.bound })
        #expect(best.prices.unit[dcShirt] > 0)
        let plan = BatchOptimizer().plan(network)
        #expect(plan.allocations.contains(.init(order: "BOB", line: "1", node: "DC", qty: 1)))
        #expect(plan.allocations.contains(.init(order: "ALICE", line: "1", node: "STORE-A", qty: 1)))
        // No plan costs less than the bound.
        #expect(Amount(units: best.bound, scale: 4) <= Self.cost(plan, network))
    }

    @Test("the plan is the same on one thread and on two, and keeps every rule")
    func sameOnAnyThreads() throws {
        // Some orders have two lines of one SKU: they draw on the same stock.
        let problem = Self.problem(seed: 11, stores: 40, skus: 30, orders: 200)
        let network = SourcingNetwork(problem)
        var one = BatchOptimizer()
        one.workers = 1
        one.pricingRounds = 12
        var two = one
        two.workers = 2
        let plan = one.plan(network)
        #expect(two.plan(network) == plan)
        #expect(Self.cost(plan, network) <= Self.cost(RuleBasedSourcing.plan(network, rule: .priority), network))
        #expect(Self.broken(plan, network).isEmpty, "\(Self.broken(plan, network))")
    }

    @Test("a node's offer to an order is its parcel price when it may ship it, and nothing when it may not")
    func offerIsPriceWhenEligible() {
        var problem = Self.problem(seed: 5, stores: 30, skus: 10, orders: 120)
        problem.params.rateCard = problem.params.rateCard.enumerated().map { index, band in
            var band = band
            band.transitDays = 1 + index
            return band
        }
        var numbers = SplitMix(state: 5)
        for index in problem.orders.indices {
            if numbers.below(3) == 0 { problem.orders[index].deadlineDays = numbers.below(4) }
            if numbers.below(5) == 0 { problem.orders[index].zoneRate = .init(maxKm: nil, cost: 7.9, transitDays: 2) }
            if numbers.below(6) == 0 { problem.orders[index].excludedNodes = ["STORE-\(numbers.below(30))"] }
        }
        let network = SourcingNetwork(problem)
        for order in network.orders.indices {
            for node in network.nodes.indices {
                let expected =
                    network.eligible(order: order, node: node) ? network.parcelPrice(order: order, node: node) : nil
                #expect(network.offer(order: order, node: node) == expected, "order \(order), node \(node)")
            }
        }
    }

    @Test(
        "a node may not ship an order that excludes it, misses its promised days, or is express from a dropshipper or too far"
    )
    func eligibilityRules() {
        var problem = Self.problem(seed: 9, stores: 30, skus: 10, orders: 150)
        problem.params.rateCard = problem.params.rateCard.enumerated().map { index, band in
            var band = band
            band.transitDays = 1 + index
            return band
        }
        var numbers = SplitMix(state: 9)
        for index in problem.orders.indices {
            if numbers.below(2) == 0 { problem.orders[index].deadlineDays = numbers.below(4) }
            if numbers.below(6) == 0 { problem.orders[index].excludedNodes = ["STORE-\(numbers.below(30))"] }
        }
        let network = SourcingNetwork(problem)
        var refused = 0
        for order in network.orders.indices {
            let o = network.orders[order]
            for node in network.nodes.indices {
                var allowed = !o.excluded.contains(node)
                if let deadline = o.deadlineDays, let days = network.transitDays(order: order, node: node),
                    days > deadline
                {
                    allowed = false
                }
                if o.express
                    && (network.nodes[node].type == .dropship
                        || network.distanceKm(order: order, node: node) > network.expressRadiusKm)
                {
                    allowed = false
                }
                if !allowed { refused += 1 }
                #expect(network.eligible(order: order, node: node) == allowed, "order \(order), node \(node)")
            }
        }
        #expect(refused > 100)  // each rule refuses some: the check is not of an empty case
    }

    @Test("a parallel map is the map, whatever the threads")
    func parallelMapIsMap() {
        for workers in [1, 2, 3, 8] {
            #expect(parallelMap(1_000, workers: workers) { $0 * $0 } == (0..<1_000).map { $0 * $0 })
        }
        #expect(parallelMap(0, workers: 2) { $0 }.isEmpty)
    }
}
