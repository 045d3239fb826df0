import Foundation
import Testing

@testable import OmnihubCore

@Suite("Ring-fenced stock: a channel's fence is its own, the shared rest goes where the whole batch needs it")
struct RingFenceSourcingTests {
    /// Hamburg's DC holds one shared shirt; Munich's store holds one shirt fenced for `amazon`. An
    /// Amazon customer and a web shop customer in Hamburg each want a shirt, the Amazon order first.
    static func problem() -> SourcingProblem {
        SourcingProblem(
            params: BatchOptimizerTests.params,
            nodes: [
                .init(
                    id: "DC-HAMBURG", type: .dc, lat: 53.55, lon: 10.0, priority: 0, unitCost: 0.8, parcelCost: 1,
                    capacityParcels: nil, stock: ["SHIRT": 1]),
                .init(
                    id: "STORE-MUNICH", type: .store, lat: 48.14, lon: 11.58, priority: 1, unitCost: 2.5,
                    parcelCost: 3, capacityParcels: nil, stock: [:], ringFenced: ["amazon": ["SHIRT": 1]]),
            ],
            orders: [
                .init(
                    id: "AMAZON-1", lat: 53.56, lon: 9.99, service: "standard", pickupNode: nil,
                    lines: [.init(line: "1", sku: "SHIRT", qty: 1)], channel: "amazon"),
                .init(
                    id: "WEB-1", lat: 53.57, lon: 10.02, service: "standard", pickupNode: nil,
                    lines: [.init(line: "1", sku: "SHIRT", qty: 1)], channel: "webshop"),
            ])
    }

    @Test("the optimizer sends the fenced shirt to the Amazon order and the shared one to the web shop")
    func jointly() {
        let network = SourcingNetwork(Self.problem())
        let plan = BatchOptimizer().plan(network)
        #expect(
            plan.allocations == [
                .init(order: "AMAZON-1", line: "1", node: "STORE-MUNICH", qty: 1),
                .init(order: "WEB-1", line: "1", node: "DC-HAMBURG", qty: 1),
            ])
        #expect(plan.unfilled.isEmpty)
        #expect(BatchOptimizerTests.broken(plan, network).isEmpty)
        // The priority rule takes orders one by one: the Amazon order takes the nearer shared shirt,
        // and the web shop's customer may not have the fenced one.
        let rule = RuleBasedSourcing.plan(network, rule: .priority)
        #expect(rule.allocations == [.init(order: "AMAZON-1", line: "1", node: "DC-HAMBURG", qty: 1)])
        #expect(rule.unfilled == [.init(order: "WEB-1", line: "1", qty: 1)])
    }

    @Test("units are taken from the fence first, and given back, so that what is left depends only on what each holds")
    func drawAndGiveBack() throws {
        var problem = Self.problem()
        problem.nodes[1].stock = ["SHIRT": 3]
        problem.nodes[1].ringFenced = ["amazon": ["SHIRT": 2]]
        let network = SourcingNetwork(problem)
        let slot = try #require(network.slot(node: 1, sku: network.orders[0].lines[0].sku))
        var stock = network.initialStock
        #expect(network.available(stock, order: 0, slot: slot) == 5)
        #expect(network.available(stock, order: 1, slot: slot) == 3)
        network.draw(4, order: 0, slot: slot, from: &stock)  // two fenced, two shared
        #expect(network.available(stock, order: 0, slot: slot) == 1)
        #expect(network.available(stock, order: 1, slot: slot) == 1)
        network.draw(1, order: 1, slot: slot, from: &stock)
        #expect(network.available(stock, order: 0, slot: slot) == 0)
        network.draw(-3, order: 0, slot: slot, from: &stock)  // the Amazon order gives three back
        #expect(network.available(stock, order: 1, slot: slot) == 2, "two shared units come back, one fenced")
        #expect(network.available(stock, order: 0, slot: slot) == 3)
        network.draw(-1, order: 0, slot: slot, from: &stock)
        network.draw(-1, order: 1, slot: slot, from: &stock)
        #expect(stock == network.initialStock)
    }

    @Test("with fences on random networks, every strategy keeps every fence and rule, on any number of threads")
    func randomNetworks() {
        for seed: UInt64 in [3] {
            var problem = BatchOptimizerTests.problem(seed: seed, stores: 30, skus: 20, orders: 100)
            var numbers = SplitMix(state: seed * 7)
            let channels = ["amazon", "otto", "webshop"]
            for index in problem.orders.indices { problem.orders[index].channel = channels[numbers.below(3)] }
            for index in problem.nodes.indices {
                var fenced: [String: [String: Int]] = [:]
                for sku in problem.nodes[index].stock.keys.sorted() where numbers.below(3) == 0 {
                    let units = problem.nodes[index].stock[sku]!
                    let fence = 1 + numbers.below(units)
                    fenced[channels[numbers.below(2)], default: [:]][sku] = fence
                    problem.nodes[index].stock[sku] = units - fence
                }
                problem.nodes[index].ringFenced = fenced
            }
            let network = SourcingNetwork(problem)
            #expect(network.hasFences)
            var one = BatchOptimizer()
            one.workers = 1
            one.pricingRounds = 12
            var two = one
            two.workers = 2
            let plan = one.plan(network)
            #expect(two.plan(network) == plan, "seed \(seed)")
            #expect(BatchOptimizerTests.broken(plan, network).isEmpty, "seed \(seed)")
            // An order alone counts its channel's fenced units as a solve on the initial stock does.
            let solver = OrderSolver(network, candidatesPerLine: 12, workers: 1)
            for order in network.orders.indices {
                let alone = solver.solveAlone(order, prices: nil)
                let given = solver.solve(
                    order, stock: network.initialStock, capacity: solver.fullCapacity, prices: nil)
                #expect(alone.cost == given.cost, "seed \(seed), order \(order)")
            }
            for rule in RuleBasedSourcing.Rule.allCases {
                let ruled = RuleBasedSourcing.plan(network, rule: rule)
                #expect(BatchOptimizerTests.broken(ruled, network).isEmpty, "seed \(seed), \(rule)")
                #expect(BatchOptimizerTests.cost(plan, network) <= BatchOptimizerTests.cost(ruled, network))
            }
        }
    }
}
