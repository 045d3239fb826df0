/// What the batch optimizer decided: the plan, and the prices of scarce stock and capacity it was
/// decided at, which explain why an order did not get a node that alone would have cost less.
public struct BatchDecision: Sendable {
    /// The plan.
    public let plan: SourcingPlan
    let network: SourcingNetwork
    /// The surcharges the plan was built at; `nil` when nothing was priced.
    let prices: ScarcityPrices?

    /// The surcharges that concern the order at `index` (in the problem's order): on its SKUs'
    /// units at every node that holds them, and on parcels from nodes that hold any of them. Empty
    /// when nothing it could have had was scarce.
    public func scarcityPrices(order index: Int) -> [ScarcityPrice] {
        guard let prices, network.orders.indices.contains(index) else { return [] }
        var skus: [Int] = []
        for line in network.orders[index].lines where !skus.contains(line.sku) { skus.append(line.sku) }
        var result: [ScarcityPrice] = []
        var nodes: Set<Int> = []
        for sku in skus where sku < network.holders.count {
            for holder in network.holders[sku] {
                nodes.insert(holder.node)
                if prices.unit[holder.slot] > 0 {
                    result.append(
                        ScarcityPrice(
                            node: network.nodes[holder.node].id, sku: network.skuNames[sku],
                            surcharge: prices.unit[holder.slot]))
                }
            }
        }
        for node in nodes.sorted() where prices.parcel[node] > 0 {
            result.append(ScarcityPrice(node: network.nodes[node].id, sku: nil, surcharge: prices.parcel[node]))
        }
        return result
    }
}

/// A surcharge the optimizer put on what was scarce in a batch: a unit of one SKU at a node, or a
/// parcel from a node with a parcel capacity.
public struct ScarcityPrice: Sendable, Hashable {
    /// The node's id.
    public let node: String
    /// The SKU whose units were priced; `nil` for a parcel from the node.
    public let sku: String?
    /// The surcharge per unit or parcel, in ten-thousandths of the currency unit.
    public let surcharge: SourcingNetwork.Cost

    /// A price.
    public init(node: String, sku: String?, surcharge: SourcingNetwork.Cost) {
        self.node = node
        self.sku = sku
        self.surcharge = surcharge
    }
}
