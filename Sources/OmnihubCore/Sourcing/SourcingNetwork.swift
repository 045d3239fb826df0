import Foundation

/// A problem turned into arrays for fast sourcing: indices instead of ids, costs as exact whole
/// numbers of ten-thousandths, distances computed once per order and node.
public struct SourcingNetwork: Sendable {
    /// Costs in ten-thousandths of the currency unit: exact for every cost written with up to
    /// four decimals, and summed without rounding.
    public typealias Cost = Int64

    struct Node: Sendable {
        let id: String
        let type: SourcingProblem.NodeType
        let latitude: Double
        let longitude: Double
        let priorityKey: (Int, Int)
        let unitCost: Cost
        let parcelCost: Cost
        let capacity: Int
    }

    struct Line: Sendable {
        let id: String
        let sku: Int
        let quantity: Int
    }

    struct Order: Sendable {
        let id: String
        let latitude: Double
        let longitude: Double
        let express: Bool
        let pickupNode: Int?
        let lines: [Line]
        let excluded: Set<Int>
        let deadlineDays: Int?
        /// The zone's parcel price and transit days, replacing the distance bands for this order.
        let zoneRate: (cost: Cost, transitDays: Int?)?
        /// Its channel's number among the channels with ring-fenced stock, or -1 when none is
        /// fenced for it.
        let fence: Int
    }

    let nodes: [Node]
    let orders: [Order]
    /// The SKUs' names, by number.
    let skuNames: [String]
    /// For each SKU, the nodes holding it (shared or fenced stock > 0) in priority order, with
    /// their stock slot.
    let holders: [[(node: Int, slot: Int)]]
    /// Initial stock by slot: the shared units of each node and SKU (slots below
    /// ``sharedSlots``), then the units fenced for a channel there.
    let initialStock: [Int]
    /// How many slots hold shared stock; the slots after them hold fenced stock.
    let sharedSlots: Int
    /// Whether any stock is fenced for a channel.
    let hasFences: Bool
    let rateCard: [(maxKm: Double?, cost: Cost, transitDays: Int?)]
    let splitPenalty: Cost
    let unfilledPenalty: Cost
    let maxParcels: Int
    let expressRadiusKm: Double
    let collectTrunkCost: Cost
    private let slotByNodeAndSKU: SlotTable
    /// The slot of a channel's fenced stock, by shared slot and channel number.
    private let fenceBySlotAndChannel: SlotTable

    /// The most units of one node and SKU the network counts: more is counted as this many, so
    /// that shared and fenced units add up without overflow.
    static let largestStock = 1 << 40

    /// The network of `problem`.
    public init(_ problem: SourcingProblem) {
        func cost(_ value: Decimal) -> Cost {
            var scaled = value * 10_000
            var rounded = Decimal()
            NSDecimalRound(&rounded, &scaled, 0, .plain)
            return NSDecimalNumber(decimal: rounded).int64Value
        }
        var skuIndex: [String: Int] = [:]
        func sku(_ name: String) -> Int {
            if let index = skuIndex[name] { return index }
            skuIndex[name] = skuIndex.count
            return skuIndex.count - 1
        }
        func units(_ quantity: Int) -> Int { min(max(quantity, 0), Self.largestStock) }
        var channelIndex: [String: Int] = [:]
        for node in problem.nodes {
            for (channel, fenced) in node.ringFenced.sorted(by: { $0.key < $1.key })
            where channelIndex[channel] == nil && fenced.values.contains(where: { $0 > 0 }) {
                channelIndex[channel] = channelIndex.count
            }
        }
        var nodes: [Node] = []
        var stock: [Int] = []
        var holders: [[(node: Int, slot: Int)]] = []
        var fences: [(slot: Int, channel: Int, units: Int)] = []
        for (index, node) in problem.nodes.enumerated() {
            nodes.append(
                Node(
                    id: node.id, type: node.type, latitude: node.lat, longitude: node.lon,
                    priorityKey: (node.priority, index), unitCost: cost(node.unitCost),
                    parcelCost: cost(node.parcelCost), capacity: node.capacityParcels ?? Int.max))
            var fencedHere: [String: [(channel: Int, units: Int)]] = [:]
            for (channel, fenced) in node.ringFenced {
                for (name, quantity) in fenced where quantity > 0 {
                    fencedHere[name, default: []].append((channelIndex[channel]!, units(quantity)))
                }
            }
            let names = Set(node.stock.filter { $0.value > 0 }.keys).union(fencedHere.keys)
            for name in names.sorted() {
                let skuID = sku(name)
                while holders.count <= skuID { holders.append([]) }
                let slot = stock.count
                holders[skuID].append((index, slot))
                stock.append(units(node.stock[name] ?? 0))
                for fence in fencedHere[name, default: []].sorted(by: { $0.channel < $1.channel }) {
                    fences.append((slot, fence.channel, fence.units))
                }
            }
        }
        sharedSlots = stock.count
        hasFences = !fences.isEmpty
        var fenceTable = SlotTable(count: fences.count)
        for fence in fences {
            fenceTable.insert(node: fence.slot, sku: fence.channel, slot: stock.count)
            stock.append(fence.units)
        }
        fenceBySlotAndChannel = fenceTable
        for skuID in holders.indices {
            holders[skuID].sort { nodes[$0.node].priorityKey < nodes[$1.node].priorityKey }
        }
        let nodeIndex = Dictionary(uniqueKeysWithValues: problem.nodes.enumerated().map { ($1.id, $0) })
        orders = problem.orders.map { order in
            Order(
                id: order.id, latitude: order.lat, longitude: order.lon, express: order.service == "express",
                pickupNode: order.pickupNode.flatMap { nodeIndex[$0] },
                lines: order.lines.map { Line(id: $0.line, sku: sku($0.sku), quantity: $0.qty) },
                excluded: Set(order.excludedNodes.compactMap { nodeIndex[$0] }), deadlineDays: order.deadlineDays,
                zoneRate: order.zoneRate.map { (cost($0.cost), $0.transitDays) },
                fence: order.channel.flatMap { channelIndex[$0] } ?? -1)
        }
        while holders.count < skuIndex.count { holders.append([]) }
        var skuNames = [String](repeating: "", count: skuIndex.count)
        for (name, index) in skuIndex { skuNames[index] = name }
        self.skuNames = skuNames
        self.nodes = nodes
        self.holders = holders
        self.initialStock = stock
        var table = SlotTable(count: stock.count)
        for (skuID, skuHolders) in holders.enumerated() {
            for holder in skuHolders { table.insert(node: holder.node, sku: skuID, slot: holder.slot) }
        }
        self.slotByNodeAndSKU = table
        rateCard = problem.params.rateCard.map { ($0.maxKm, cost($0.cost), $0.transitDays) }
        splitPenalty = cost(problem.params.splitPenalty)
        unfilledPenalty = cost(problem.params.unfilledPenalty)
        maxParcels = problem.params.maxParcelsPerOrder
        expressRadiusKm = problem.params.expressRadiusKm
        collectTrunkCost = cost(problem.params.collectTrunkCost)
    }

    /// The stock slot of a node and SKU, when the node holds it.
    func slot(node: Int, sku: Int) -> Int? {
        slotByNodeAndSKU.slot(node: node, sku: sku)
    }

    /// The slot of the stock fenced at `slot`'s node and SKU for `order`'s channel, when there is.
    func fenceSlot(_ slot: Int, order: Int) -> Int? {
        guard hasFences else { return nil }
        return fenceSlot(slot, channel: orders[order].fence)
    }

    /// The slot of the stock fenced at `slot`'s node and SKU for channel number `channel`.
    func fenceSlot(_ slot: Int, channel: Int) -> Int? {
        guard channel >= 0 else { return nil }
        return fenceBySlotAndChannel.slot(node: slot, sku: channel)
    }

    /// The units of shared slot `slot` that `order` may take from `stock`: the shared ones and
    /// those fenced for its channel.
    func available(_ stock: [Int], order: Int, slot: Int) -> Int {
        let shared = max(0, stock[slot])
        guard let fence = fenceSlot(slot, order: order) else { return shared }
        return shared + max(0, stock[fence])
    }

    /// Takes `quantity` units of shared slot `slot` from `stock` for `order` (gives them back
    /// when negative): its channel's fenced units first, then shared ones.
    ///
    /// A fence slot holds the fenced units less all its channel has taken there, below zero when
    /// the channel took more than its fence: the shared slot holds the shared units less what
    /// other channels took and what each channel took beyond its fence. So what is left depends
    /// only on what each channel holds, whatever order units are taken and given back in.
    func draw(_ quantity: Int, order: Int, slot: Int, from stock: inout [Int]) {
        guard let fence = fenceSlot(slot, order: order) else {
            stock[slot] -= quantity
            return
        }
        let before = stock[fence]
        let after = before - quantity
        stock[fence] = after
        stock[slot] -= max(0, -after) - max(0, -before)
    }

    /// Great-circle distance in km (haversine, Earth radius 6371.0 km), as the referee computes it.
    static func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let p1 = lat1 * .pi / 180
        let p2 = lat2 * .pi / 180
        let dp = p2 - p1
        let dl = (lon2 - lon1) * .pi / 180
        let a = pow(sin(dp / 2), 2) + cos(p1) * cos(p2) * pow(sin(dl / 2), 2)
        return 2 * 6371.0 * asin(min(1, a).squareRoot())
    }

    func distanceKm(order: Int, node: Int) -> Double {
        let o = orders[order]
        let n = nodes[node]
        return Self.distanceKm(n.latitude, n.longitude, o.latitude, o.longitude)
    }

    func rate(_ km: Double) -> Cost {
        for band in rateCard where band.maxKm == nil || km <= band.maxKm! { return band.cost }
        return rateCard.last?.cost ?? 0
    }

    /// Days a parcel from `node` takes to `order` (to its store for click & collect), when the rate
    /// card says.
    func transitDays(order: Int, node: Int) -> Int? {
        transitDays(orders[order], toStore: distanceToStore(order: order, node: node)) {
            distanceKm(order: order, node: node)
        }
    }

    /// The distance from `node` to the store `order` is collected in, when it is a click & collect
    /// order and `node` is not that store.
    private func distanceToStore(order: Int, node: Int) -> Double? {
        guard let pickup = orders[order].pickupNode, pickup != node else { return nil }
        let (n, store) = (nodes[node], nodes[pickup])
        return Self.distanceKm(n.latitude, n.longitude, store.latitude, store.longitude)
    }

    /// Transit days to `o` given the distance to its store (`nil` for the store itself) and, for a
    /// delivery, the distance to the customer (asked for only when the rate card needs it).
    private func transitDays(_ o: Order, toStore: Double?, toCustomer: () -> Double) -> Int? {
        if o.pickupNode != nil { return toStore.map { band($0)?.transitDays } ?? 0 }
        if let zone = o.zoneRate { return zone.transitDays }
        return band(toCustomer())?.transitDays
    }

    /// Shipping to `o` from `n`, on the same distances as ``transitDays(_:toStore:toCustomer:)``:
    /// the trunk from a DC to the collect store, or the rate card (a zone's rate for a delivery that
    /// has one).
    private func shipping(_ o: Order, from n: Node, toStore: Double?, toCustomer: () -> Double) -> Cost {
        if o.pickupNode != nil { return toStore.map { n.type == .dc ? collectTrunkCost : rate($0) } ?? 0 }
        if let zone = o.zoneRate { return zone.cost }
        return rate(toCustomer())
    }

    private func band(_ km: Double) -> (maxKm: Double?, cost: Cost, transitDays: Int?)? {
        rateCard.first { $0.maxKm == nil || km <= $0.maxKm! }
    }

    /// What one parcel from `node` to `order` costs: handling plus shipping.
    func parcelPrice(order: Int, node: Int) -> Cost {
        let ship = shipping(orders[order], from: nodes[node], toStore: distanceToStore(order: order, node: node)) {
            distanceKm(order: order, node: node)
        }
        return nodes[node].parcelCost + ship
    }

    /// Whether `node` may ship to `order`: not a node the order excludes, and express orders only
    /// from non-dropship nodes in range.
    func eligible(order: Int, node: Int) -> Bool {
        offer(order: order, node: node) != nil
    }

    /// What one parcel from `node` to `order` costs (``parcelPrice(order:node:)``) when the node
    /// may ship it, each distance computed once; `nil` when it may not: the order excludes it, its
    /// rate band takes longer than the promised delivery, or the order is express and the node is
    /// a dropshipper or beyond the express radius.
    func offer(order: Int, node: Int) -> Cost? {
        let o = orders[order]
        let n = nodes[node]
        if o.excluded.contains(node) { return nil }
        var toCustomer: Double?
        func distanceToCustomer() -> Double {
            if let toCustomer { return toCustomer }
            let km = distanceKm(order: order, node: node)
            toCustomer = km
            return km
        }
        let toStore = distanceToStore(order: order, node: node)
        if let deadline = o.deadlineDays,
            let transit = transitDays(o, toStore: toStore, toCustomer: distanceToCustomer), transit > deadline
        {
            return nil
        }
        if o.express && (n.type == .dropship || distanceToCustomer() > expressRadiusKm) { return nil }
        return n.parcelCost + shipping(o, from: n, toStore: toStore, toCustomer: distanceToCustomer)
    }

    /// Formats a cost in the currency, e.g. 3650.8000 as `3650.80`.
    public static func format(_ cost: Cost) -> String {
        let amount = Amount(units: cost, scale: 4)
        return amount.rounded(toScale: 2).description
    }
}
