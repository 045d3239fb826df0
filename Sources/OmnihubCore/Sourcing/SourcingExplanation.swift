/// Why an order is sourced the way it is: what the chosen parcels cost, part by part, and what each
/// other node would have cost or why it was not allowed.
public struct SourcingExplanation: Sendable, Codable {
    /// One parcel of the chosen plan.
    public struct Parcel: Sendable, Codable {
        public var node: String
        public var lines: [String]
        public var units: Int
        public var distanceKm: Double?
        public var unitCosts: String
        public var handling: String
        public var shipping: String

        enum CodingKeys: String, CodingKey {
            case node, lines, units, handling, shipping
            case distanceKm = "distance_km"
            case unitCosts = "unit_costs"
        }
    }

    /// A node that was not chosen.
    public struct Alternative: Sendable, Codable {
        public var node: String
        /// What shipping the whole order from this node alone would cost, when it may.
        public var cost: String?
        /// Why it was not chosen.
        public var reason: String
    }

    public var parcels: [Parcel]
    public var splitPenalty: String
    public var unfilledUnits: Int
    public var unfilledPenalty: String
    public var total: String
    public var alternatives: [Alternative]

    enum CodingKeys: String, CodingKey {
        case parcels, total, alternatives
        case splitPenalty = "split_penalty"
        case unfilledUnits = "unfilled_units"
        case unfilledPenalty = "unfilled_penalty"
    }

    /// The explanation of the first order of `network` allocated as `plan` says; `exclusions`
    /// names why each node the order excludes may not take part (by node id), when known.
    public init(_ network: SourcingNetwork, plan: SourcingPlan, exclusions: [String: String] = [:]) {
        let order = 0
        let lines = network.orders[order].lines
        let nodeIndex = Dictionary(uniqueKeysWithValues: network.nodes.enumerated().map { ($1.id, $0) })
        var shipped = Array(repeating: 0, count: lines.count)
        var byNode: [(node: Int, lines: [String], units: Int)] = []
        for allocation in plan.allocations {
            guard let node = nodeIndex[allocation.node],
                let line = lines.firstIndex(where: { $0.id == allocation.line })
            else { continue }
            shipped[line] += allocation.qty
            if let existing = byNode.firstIndex(where: { $0.node == node }) {
                byNode[existing].lines.append(allocation.line)
                byNode[existing].units += allocation.qty
            } else {
                byNode.append((node, [allocation.line], allocation.qty))
            }
        }
        var total: SourcingNetwork.Cost = 0
        parcels = byNode.map { entry in
            let node = network.nodes[entry.node]
            let units = node.unitCost * SourcingNetwork.Cost(entry.units)
            let price = network.parcelPrice(order: order, node: entry.node)
            total += units + price
            let distance = network.distanceKm(order: order, node: entry.node)
            return Parcel(
                node: node.id, lines: entry.lines, units: entry.units,
                distanceKm: distance.isFinite && distance < 20_000 ? (distance * 10).rounded() / 10 : nil,
                unitCosts: SourcingNetwork.format(units), handling: SourcingNetwork.format(node.parcelCost),
                shipping: SourcingNetwork.format(price - node.parcelCost))
        }
        let split = network.splitPenalty * SourcingNetwork.Cost(max(0, byNode.count - 1))
        let unfilled = zip(lines, shipped).reduce(0) { $0 + max(0, $1.0.quantity - $1.1) }
        let unfilledCost = network.unfilledPenalty * SourcingNetwork.Cost(unfilled)
        total += split + unfilledCost
        splitPenalty = SourcingNetwork.format(split)
        unfilledUnits = unfilled
        unfilledPenalty = SourcingNetwork.format(unfilledCost)
        self.total = SourcingNetwork.format(total)
        let chosen = Set(byNode.map(\.node))
        alternatives = network.nodes.indices.filter { !chosen.contains($0) }.map { index in
            Self.alternative(index, network, order: order, chosenTotal: total, exclusions: exclusions)
        }
    }

    private static func alternative(
        _ index: Int, _ network: SourcingNetwork, order: Int, chosenTotal: SourcingNetwork.Cost,
        exclusions: [String: String]
    )
        -> Alternative
    {
        let node = network.nodes[index]
        let lines = network.orders[order].lines
        if network.orders[order].excluded.contains(index) {
            return Alternative(
                node: node.id, cost: nil,
                reason: "not allowed: " + (exclusions[node.id] ?? "the order excludes it"))
        }
        if let deadline = network.orders[order].deadlineDays,
            let transit = network.transitDays(order: order, node: index),
            transit > deadline
        {
            return Alternative(
                node: node.id, cost: nil,
                reason:
                    "not allowed: \(transit) transit day(s), but delivery was promised within \(max(0, deadline)) day(s)"
            )
        }
        if network.orders[order].express && node.type == .dropship {
            return Alternative(node: node.id, cost: nil, reason: "not allowed: dropshippers do not ship express orders")
        }
        if !network.eligible(order: order, node: index) {
            let km = network.distanceKm(order: order, node: index)
            return Alternative(
                node: node.id, cost: nil,
                reason:
                    "not allowed: \(Int(km.rounded())) km is beyond the express radius of \(Int(network.expressRadiusKm)) km"
            )
        }
        if node.capacity <= 0 {
            return Alternative(node: node.id, cost: nil, reason: "not allowed: no parcel capacity left")
        }
        var units = 0
        var missing = 0
        for line in lines {
            let available =
                network.slot(node: index, sku: line.sku).map {
                    network.available(network.initialStock, order: order, slot: $0)
                } ?? 0
            units += min(available, line.quantity)
            missing += max(0, line.quantity - available)
        }
        guard units > 0 else {
            return Alternative(node: node.id, cost: nil, reason: "has none of the order's articles available")
        }
        let cost =
            node.unitCost * SourcingNetwork.Cost(units) + network.parcelPrice(order: order, node: index)
            + network.unfilledPenalty * SourcingNetwork.Cost(missing)
        let difference = cost - chosenTotal
        let reason =
            difference > 0
            ? "alone it costs \(SourcingNetwork.format(difference)) more"
                + (missing > 0 ? " (it lacks \(missing) unit(s), each charged as unfilled)" : "")
            : "alone it would cost no more, but the batch needed its stock or capacity elsewhere"
        return Alternative(node: node.id, cost: SourcingNetwork.format(cost), reason: reason)
    }
}
