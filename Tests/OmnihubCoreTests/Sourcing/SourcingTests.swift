import Foundation
import OmnihubCore
import Testing

@Suite("Sourcing: problem files, the rule-based strategies and the batch optimizer")
struct SourcingTests {
    /// A DC far in the west, a store in Berlin with little stock and capacity for one parcel, a
    /// dropshipper for mugs, and three orders in Berlin: one standard, one express, one click &
    /// collect at the store. The file is shared with the command-line tests.
    static let problem = try! String(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/small.problem.json"),
        encoding: .utf8)

    static func network() throws -> SourcingNetwork {
        SourcingNetwork(try SourcingProblem.decode(Data(problem.utf8)))
    }

    static func allocations(_ plan: SourcingPlan) -> [String] {
        plan.allocations.map { "\($0.order)/\($0.line) \($0.node) \($0.qty)" }
    }

    @Test("priority walks the nodes by priority and keeps every rule")
    func priority() throws {
        let network = try Self.network()
        let plan = RuleBasedSourcing.plan(network, rule: .priority)
        // O-1 takes the shirt from the DC and the mug from the dropshipper. O-2 is express: the DC
        // in the west is 452 km away (beyond 250), so the Berlin store ships both socks. O-3's
        // shirt comes from the DC: the store has used its one parcel for O-2.
        #expect(
            Self.allocations(plan) == ["O-1/1 DC-WEST 1", "O-1/2 DROP-1 1", "O-2/1 STORE-BERLIN 2", "O-3/1 DC-WEST 1"])
        #expect(plan.unfilled.isEmpty)
        // Units 0.8 + 0.5 + 2 × 2.5 + 0.8 = 7.10; parcels: O-1 from the DC 1.0 + 9.0 (456 km) and
        // from the dropshipper 2.0 + 9.0 (503 km), O-2 from the store 3.0 + 4.5, O-3 from the DC
        // 1.0 + trunk 1.5 = 31.00; one split penalty 2.00. The shared referee agrees: 40.10.
        #expect(SourcingSummary(plan, network).cost == "40.10")
    }

    @Test("distance walks the nearest nodes first")
    func distance() throws {
        let network = try Self.network()
        let plan = RuleBasedSourcing.plan(network, rule: .distance)
        // O-1's shirt now comes from the store next door, which uses its only parcel; the socks
        // for the express O-2 can then come from nowhere in range.
        #expect(Self.allocations(plan).prefix(2) == ["O-1/1 STORE-BERLIN 1", "O-1/2 DROP-1 1"])
        #expect(plan.unfilled.map { "\($0.order)/\($0.line) \($0.qty)" } == ["O-2/1 2"])
    }

    @Test("the optimizer keeps every rule, costs no more than the rules, and is deterministic")
    func optimizer() throws {
        let network = try Self.network()
        let plan = BatchOptimizer().plan(network)
        let rules = [RuleBasedSourcing.Rule.priority, .distance].map {
            Amount(parsing: SourcingSummary(RuleBasedSourcing.plan(network, rule: $0), network).cost)!
        }
        let cost = Amount(parsing: SourcingSummary(plan, network).cost)!
        #expect(rules.allSatisfy { cost <= $0 })
        #expect(
            plan.unfilled.isEmpty, "the express socks can only come from the store: it must keep its parcel for them")
        #expect(Self.allocations(plan).contains("O-2/1 STORE-BERLIN 2"))
        #expect(BatchOptimizer().plan(network) == plan)
        try SourcingRules.check(plan, Self.problem)
    }

    @Test("a file in another format is refused with the expected format named")
    func wrongFormat() {
        let text = Self.problem.replacingOccurrences(of: "sourcing-problem/1", with: "sourcing-problem/9")
        #expect {
            _ = try SourcingProblem.decode(Data(text.utf8))
        } throws: { error in
            "\(error)".contains("omnihub.sourcing-problem/1")
        }
    }

    @Test("a quantity or a parcel limit the optimizer cannot count with is refused, naming the value")
    func outOfRange() {
        let cases = [
            (#""sku": "SOCKS", "qty": 2"#, #""sku": "SOCKS", "qty": 0"#, "orders 0 units"),
            (#""sku": "SOCKS", "qty": 2"#, #""sku": "SOCKS", "qty": 9223372036854775807"#, "a line orders 1 to"),
            (#""max_parcels_per_order": 2"#, #""max_parcels_per_order": 64"#, "max_parcels_per_order is 64"),
        ]
        for (original, replacement, message) in cases {
            #expect(Self.problem.contains(original))
            let text = Self.problem.replacingOccurrences(of: original, with: replacement)
            #expect {
                _ = try SourcingProblem.decode(Data(text.utf8))
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }
}

/// The constraints of the sourcing spec, checked independently of the code under test.
enum SourcingRules {
    struct Broken: Error, CustomStringConvertible {
        let description: String
    }

    static func check(_ plan: SourcingPlan, _ problemText: String) throws {
        let raw = try JSONSerialization.jsonObject(with: Data(problemText.utf8)) as! [String: Any]
        let params = raw["params"] as! [String: Any]
        let nodes = Dictionary(
            uniqueKeysWithValues: (raw["nodes"] as! [[String: Any]]).map { ($0["id"] as! String, $0) })
        let orders = Dictionary(
            uniqueKeysWithValues: (raw["orders"] as! [[String: Any]]).map { ($0["id"] as! String, $0) })
        var taken: [String: Int] = [:]
        var parcels: [String: Set<String>] = [:]
        var perLine: [String: Int] = [:]
        for allocation in plan.allocations {
            let order = orders[allocation.order]!
            let line = (order["lines"] as! [[String: Any]]).first { $0["line"] as! String == allocation.line }!
            let node = nodes[allocation.node]!
            taken["\(allocation.node)/\(line["sku"]!)", default: 0] += allocation.qty
            parcels[allocation.order, default: []].insert(allocation.node)
            perLine["\(allocation.order)/\(allocation.line)", default: 0] += allocation.qty
            if perLine["\(allocation.order)/\(allocation.line)"]! > line["qty"] as! Int {
                throw Broken(description: "\(allocation.order)/\(allocation.line) gets more than it asked for")
            }
            if order["service"] as! String == "express" && node["type"] as! String == "dropship" {
                throw Broken(description: "a dropshipper ships express order \(allocation.order)")
            }
        }
        for (key, quantity) in taken {
            let parts = key.split(separator: "/").map(String.init)
            let stock = (nodes[parts[0]]!["stock"] as! [String: Int])[parts[1]] ?? 0
            if quantity > stock { throw Broken(description: "\(key): \(quantity) taken, \(stock) in stock") }
        }
        for (order, used) in parcels where used.count > params["max_parcels_per_order"] as! Int {
            throw Broken(description: "\(order) has \(used.count) parcels")
        }
        for (id, node) in nodes {
            guard let capacity = node["capacity_parcels"] as? Int else { continue }
            let used = parcels.values.filter { $0.contains(id) }.count
            if used > capacity { throw Broken(description: "\(id) ships \(used) parcels, capacity \(capacity)") }
        }
    }
}
