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
        /// What the optimizer charged for this node's scarce stock and capacity when it decided.
        public var batchPrices: [BatchPrice] = []
        /// `cost` with those charges, when there are any.
        public var atBatchPrices: String?
        /// `cost` unrounded.
        var aloneCost: SourcingNetwork.Cost?

        enum CodingKeys: String, CodingKey {
            case node, cost, reason
            case batchPrices = "batch_prices"
            case atBatchPrices = "at_batch_prices"
        }
    }

    /// A surcharge the optimizer put on a node's scarce stock or capacity while it decided the
    /// batch: the batch needed it elsewhere.
    public struct BatchPrice: Sendable, Codable {
        /// The SKU whose units were priced; `nil` for a parcel (the node's parcel capacity).
        public var sku: String?
        /// Per unit or parcel.
        public var surcharge: String
        /// The units of this order it concerns (1 for a parcel): at prices, the alternative is
        /// charged for those it has.
        public var units: Int
        /// Some of the orders the stock is reserved for now, by their channel's number.
        public var heldFor: [String]

        enum CodingKeys: String, CodingKey {
            case sku, surcharge, units
            case heldFor = "held_for"
        }
    }

    public var parcels: [Parcel]
    public var splitPenalty: String
    public var unfilledUnits: Int
    public var unfilledPenalty: String
    public var total: String
    /// `total` with the optimizer's charges for scarce stock and capacity, when there are any.
    public var totalAtBatchPrices: String?
    public var alternatives: [Alternative]

    enum CodingKeys: String, CodingKey {
        case parcels, total, alternatives
        case totalAtBatchPrices = "total_at_batch_prices"
        case splitPenalty = "split_penalty"
        case unfilledUnits = "unfilled_units"
        case unfilledPenalty = "unfilled_penalty"
    }

    /// The explanation of the first order of `network` allocated as `plan` says; `exclusions`
    /// names why each node the order excludes may not take part (by node id), when known.
    /// `prices` are the optimizer's charges for scarce stock and capacity the order was decided
    /// at, and `heldFor` some of the orders holding each priced stock now.
    public init(
        _ network: SourcingNetwork, plan: SourcingPlan, exclusions: [String: String] = [:],
        prices: [ScarcityPrice] = [], heldFor: [ScarcityPrice: [String]] = [:]
    ) {
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
        let charges = BatchCharges(prices: prices, heldFor: heldFor)
        var chosenCharges: SourcingNetwork.Cost = 0
        for entry in byNode {
            let node = network.nodes[entry.node].id
            chosenCharges += charges.parcel(node)
            for allocation in plan.allocations where allocation.node == node {
                if let line = lines.first(where: { $0.id == allocation.line }) {
                    chosenCharges +=
                        charges.unit(node, network.skuNames[line.sku]) * SourcingNetwork.Cost(allocation.qty)
                }
            }
        }
        totalAtBatchPrices = prices.isEmpty ? nil : SourcingNetwork.format(total + chosenCharges)
        let chosen = Set(byNode.map(\.node))
        alternatives = network.nodes.indices.filter { !chosen.contains($0) }.map { index in
            var alternative = Self.alternative(index, network, order: order, chosenTotal: total, exclusions: exclusions)
            charges.add(to: &alternative, network, order: order, node: index, chosenAtPrices: total + chosenCharges)
            return alternative
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
        var alternative = Alternative(node: node.id, cost: SourcingNetwork.format(cost), reason: reason)
        alternative.aloneCost = cost
        return alternative
    }
}

/// The optimizer's charges an order was decided at, looked up by node and SKU.
private struct BatchCharges {
    var units: [String: [String: SourcingNetwork.Cost]] = [:]
    var parcels: [String: SourcingNetwork.Cost] = [:]
    let heldFor: [ScarcityPrice: [String]]

    init(prices: [ScarcityPrice], heldFor: [ScarcityPrice: [String]]) {
        self.heldFor = heldFor
        for price in prices {
            if let sku = price.sku {
                units[price.node, default: [:]][sku] = price.surcharge
            } else {
                parcels[price.node] = price.surcharge
            }
        }
    }

    func unit(_ node: String, _ sku: String) -> SourcingNetwork.Cost { units[node]?[sku] ?? 0 }
    func parcel(_ node: String) -> SourcingNetwork.Cost { parcels[node] ?? 0 }

    /// Adds the charges for `node`'s stock of the order's SKUs and its parcels to `alternative`,
    /// with its cost at them and a sentence to its reason.
    func add(
        to alternative: inout SourcingExplanation.Alternative, _ network: SourcingNetwork, order: Int, node: Int,
        chosenAtPrices: SourcingNetwork.Cost
    ) {
        let id = network.nodes[node].id
        var charged: SourcingNetwork.Cost = 0
        var words: [String] = []
        var units: [Int: Int] = [:]  // by SKU number
        var skus: [Int] = []
        for line in network.orders[order].lines {
            if units[line.sku] == nil { skus.append(line.sku) }
            units[line.sku, default: 0] += line.quantity
        }
        for skuNumber in skus {
            let sku = network.skuNames[skuNumber]
            let surcharge = unit(id, sku)
            guard surcharge > 0 else { continue }
            let price = ScarcityPrice(node: id, sku: sku, surcharge: surcharge)
            let available =
                network.slot(node: node, sku: skuNumber).map {
                    network.available(network.initialStock, order: order, slot: $0)
                } ?? 0
            let taken = min(units[skuNumber] ?? 0, available)
            charged += surcharge * SourcingNetwork.Cost(taken)
            let held = heldFor[price] ?? []
            alternative.batchPrices.append(
                .init(
                    sku: sku, surcharge: SourcingNetwork.format(surcharge), units: units[skuNumber] ?? 0, heldFor: held)
            )
            words.append(
                "\(sku) at \(SourcingNetwork.format(surcharge)) a unit"
                    + (held.isEmpty ? "" : " (reserved for \(held.joined(separator: ", ")))"))
        }
        let parcelSurcharge = parcel(id)
        if parcelSurcharge > 0 {
            charged += parcelSurcharge
            alternative.batchPrices.append(
                .init(sku: nil, surcharge: SourcingNetwork.format(parcelSurcharge), units: 1, heldFor: []))
            words.append("a parcel at \(SourcingNetwork.format(parcelSurcharge)) (its parcel capacity)")
        }
        guard !words.isEmpty else { return }
        var sentence = "; the batch priced what was scarce here: " + words.joined(separator: ", ")
        if let cost = alternative.aloneCost {
            let atPrices = cost + charged
            alternative.atBatchPrices = SourcingNetwork.format(atPrices)
            sentence +=
                "; at those prices it costs \(SourcingNetwork.format(atPrices)), "
                + "the chosen parcels \(SourcingNetwork.format(chosenAtPrices))"
        }
        alternative.reason += sentence
    }
}
