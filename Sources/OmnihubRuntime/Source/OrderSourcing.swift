import Foundation
package import OmnihubCore
package import OmnihubStore

/// Sources the stored open orders against the network's available stock and reserves what the
/// strategy chooses, in one transaction.
///
/// Available is on-hand less open reservations, safety stock and other channels' ring-fences, at
/// enabled nodes serving the order's channel and not excluded for it. An order ships
/// to its postal area's centre (by country and the longest matching postal code prefix in the
/// `postal_areas` file); click & collect and reserve in store are located at their store. Lines
/// without stock anywhere stay open as backorders and are sourced by a later run.
package struct OrderSourcing: Sendable {
    let configuration: Configuration
    let sourcing: Configuration.Sourcing
    let store: OrderStore

    /// A sourcing run for `configuration`'s network; `nil` when it has no `sourcing:` section.
    package init?(configuration: Configuration, store: OrderStore) {
        guard let sourcing = configuration.sourcing else { return nil }
        self.configuration = configuration
        self.sourcing = sourcing
        self.store = store
    }

    /// Sources every open order now and returns the reservations written: reads the open orders
    /// and stock, decides, and records the reservations while the store is still as it was read
    /// (deciding again, up to three times, when another process changed it meanwhile).
    ///
    /// The open orders are sourced in batches of `batch_orders`, oldest first, each batch read,
    /// decided and recorded on the stock and parcels the batches before it left. Those totals are
    /// carried from batch to batch while no other writer changes the store, rather than added up
    /// from every reservation again for each batch; and each batch's orders are read on a thread
    /// of their own while the batch before is decided and recorded, so the two cores overlap them.
    ///
    /// The whole batch is sourced at once, every channel's orders together: an order may have the
    /// shared stock and the stock fenced for its own channel (taken first), never stock fenced for
    /// another channel.
    package func run(at time: Timestamp, listing: Int = SourcingOutcome.listed) throws -> SourcingOutcome {
        var reserved = SourcingOutcome(listing: listing)
        let off = try switchedOff()
        var after: Int64 = 0
        var totals: SourcingTotals?
        // The revision the batch before was decided and recorded on, and the next batch read ahead.
        var decidedOn: StockRevision?
        var ahead: (after: Int64, job: BackgroundJob<Result<SourcingState, any Error>>)?
        // Every read ahead is waited for, whatever ends the run.
        defer { _ = ahead?.job.wait() }
        while true {
            var attempt = 1
            while true {
                var readAhead: SourcingState?
                if let pending = ahead {
                    ahead = nil
                    let batch = pending.job.wait()
                    if pending.after == after, let totals, let decidedOn, let read = try? batch.get() {
                        readAhead = read.carrying(totals, recordedOn: decidedOn)
                    }
                }
                let state =
                    try readAhead
                    ?? store.stock.sourcingState(at: time, after: after, limit: sourcing.batchOrders, carrying: totals)
                guard let through = state.through else { return reserved }
                guard !state.orders.isEmpty else {
                    after = through
                    break
                }
                let (stock, limit) = (store.stock, sourcing.batchOrders)
                ahead = (
                    through,
                    BackgroundJob { Result { try stock.sourcingBatch(at: time, after: through, limit: limit) } }
                )
                let (reservations, prices) = try decide(state, switchedOff: off, at: time)
                Failpoint.whileSourcing.reach()
                do {
                    let revision = try store.stock.recordReservations(
                        reservations, sourced: state.fullyReserved(by: reservations), basedOn: state.revision,
                        at: time, prices: prices)
                    totals = state.totals(after: reservations, at: revision)
                    decidedOn = state.revision
                    reserved.add(reservations)
                    after = through
                    break
                } catch let error as StoreError where error.code == .changedMeanwhile && attempt < 3 {
                    attempt += 1
                }
            }
        }
    }

    /// The nodes whose partner is switched off: `enabled: false` in the configuration, or
    /// `omnihub partner disable` for either direction. They promise nothing until it is back on.
    func switchedOff() throws -> Set<String> {
        let switches = try store.transfers.switches()
        let off = Set(
            configuration.partners.filter { partner in
                !partner.enabled || switches[partner.id]?.values.contains(.disabled) == true
            }.map(\.id))
        return Set(configuration.network.nodes.filter { $0.partner.map(off.contains) ?? false }.map(\.id))
    }

    /// The reservations the strategy chooses for `state`, and the optimizer's prices of scarce
    /// stock and capacity that concerned each order (by order id; none for the rule-based
    /// strategies); nodes `switchedOff` take no part.
    func decide(_ state: SourcingState, switchedOff: Set<String> = [], at time: Timestamp) throws -> (
        [Reservation], [Int64: [ScarcityPrice]]
    ) {
        let network = SourcingNetwork(problem(state, switchedOff: switchedOff, at: time))
        let plan: SourcingPlan
        var prices: [Int64: [ScarcityPrice]] = [:]
        switch sourcing.strategy {
        case .priority: plan = RuleBasedSourcing.plan(network, rule: .priority)
        case .distance: plan = RuleBasedSourcing.plan(network, rule: .distance)
        case .optimize:
            let decision = BatchOptimizer().decide(network)
            plan = decision.plan
            // Every order's, even when none concerned it: they replace those of an earlier run.
            for (index, order) in state.orders.enumerated() {
                prices[order.id] = decision.scarcityPrices(order: index)
            }
        }
        // The problem names lines by order id and position; each allocation maps back to the open
        // line it came from, and one that names no open line is a fault of the strategy.
        var lines: [String: [String: SourcingState.OpenLine]] = [:]
        for order in state.orders {
            for line in order.lines { lines[String(order.id), default: [:]][String(line.position)] = line }
        }
        let reservations = try plan.allocations.map { allocation in
            guard let line = lines[allocation.order]?[allocation.line] else {
                throw SourcingFault(
                    "the \(sourcing.strategy) strategy allocated order \(allocation.order) line \(allocation.line), "
                        + "which is not an open line of this batch; nothing was reserved")
            }
            return Reservation(
                orderID: line.orderID, position: line.position, node: allocation.node, sku: line.sku,
                quantity: allocation.qty)
        }
        return (reservations, prices)
    }

    /// Why a stored order is sourced as it is: its parcels' costs and each other node's.
    ///
    /// The decision is shown as it was taken: the units still reserved at each node and those
    /// that already left it (a shipment consumes its reservation), so an order that shipped is
    /// explained by where it shipped from. The other nodes are judged on the stock and capacity
    /// they have now, with this order's own reservations counted as free again, and beside each
    /// the prices the optimizer put on its scarce stock and capacity when it decided the order.
    package func explain(_ stored: StoredOrder, at time: Timestamp) throws -> SourcingExplanation {
        let state = try store.stock.sourcingState(limit: 0)  // the stock, not the open orders
        let reserved = try store.stock.reservations(orderID: stored.id)
        var own: [String: [String: Int]] = [:]
        for reservation in reserved {
            own[reservation.node, default: [:]][reservation.sku, default: 0] += reservation.quantity
        }
        struct Placed: Hashable {
            let position: Int
            let node: String
        }
        var placed: [Placed: Int] = [:]
        for reservation in reserved {
            placed[Placed(position: reservation.position, node: reservation.node), default: 0] += reservation.quantity
        }
        for shipment in try store.stock.shipments(orderID: stored.id) {
            placed[Placed(position: shipment.position, node: shipment.node), default: 0] += shipment.quantity
        }
        let lines = stored.order.lines.enumerated().map { index, line in
            SourcingState.OpenLine(orderID: stored.id, position: index + 1, sku: line.sku, quantity: line.quantity)
        }
        let single = SourcingState(
            orders: [SourcingState.OpenOrder(id: stored.id, order: stored.order, lines: lines)], onHand: state.onHand,
            reserved: state.reserved, exclusions: state.exclusions)
        let network = SourcingNetwork(problem(single, freed: own, switchedOff: try switchedOff(), at: time))
        let exclusions = exclusions(single.orders[0], rejectedBy: state.exclusions[stored.id] ?? [])
        let plan = SourcingPlan(
            allocations: placed.filter { $0.value > 0 }.sorted {
                ($0.key.position, $0.key.node) < ($1.key.position, $1.key.node)
            }.map {
                SourcingPlan.Allocation(
                    order: String(stored.id), line: String($0.key.position), node: $0.key.node, qty: $0.value)
            }, unfilled: [])
        let prices = try store.stock.scarcityPrices(orderID: stored.id)
        var heldFor: [ScarcityPrice: [String]] = [:]
        for price in prices {
            guard let sku = price.sku else { continue }
            heldFor[price] = try store.stock.ordersHolding(node: price.node, sku: sku, besides: stored.id, limit: 3)
        }
        return SourcingExplanation(network, plan: plan, exclusions: exclusions, prices: prices, heldFor: heldFor)
    }

    /// The batch as a sourcing problem: the network's available stock and the open lines.
    ///
    /// Each node's stock is split as the channels may have it: the units fenced for a channel,
    /// and the shared rest (on-hand less what is held, the safety stock and every fence). When
    /// more is held than the shared rest, each fence gives up the difference, so that a channel
    /// may have on-hand less what is held, the safety stock and the other channels' fences.
    ///
    /// - Parameters:
    ///   - freed: reserved units to count as available again, by node and SKU.
    ///   - switchedOff: nodes whose partner is switched off, left out like disabled nodes.
    func problem(
        _ state: SourcingState, freed: [String: [String: Int]] = [:], switchedOff: Set<String> = [],
        at time: Timestamp
    ) -> SourcingProblem {
        let network = configuration.network
        var fences: [String: [String: [String: Int]]] = [:]  // node, SKU, channel
        for fence in network.ringFences where fence.units > 0 {
            fences[fence.node, default: [:]][fence.sku, default: [:]][fence.channel, default: 0] += fence.units
        }
        let nodes = network.nodes.compactMap { node -> SourcingProblem.Node? in
            guard node.enabled, !switchedOff.contains(node.id), let latitude = node.latitude,
                let longitude = node.longitude
            else { return nil }
            var stock: [String: Int] = [:]
            var fenced: [String: [String: Int]] = [:]
            for (sku, units) in state.onHand[node.id] ?? [:] {
                let held = (state.reserved[node.id]?[sku] ?? 0) - (freed[node.id]?[sku] ?? 0)
                let shared = network.available(node: node, sku: sku, onHand: units, held: held, for: nil)
                if shared > 0 { stock[sku] = shared }
                for (channel, units) in fences[node.id]?[sku] ?? [:] where units + min(0, shared) > 0 {
                    fenced[channel, default: [:]][sku] = units + min(0, shared)
                }
            }
            return SourcingProblem.Node(
                id: node.id, type: node.type, lat: latitude, lon: longitude, priority: node.priority,
                unitCost: node.unitCost, parcelCost: node.parcelCost,
                capacityParcels: node.capacityParcels.map { max(0, $0 - (state.parcelsToday[node.id] ?? 0)) },
                stock: stock, ringFenced: fenced)
        }
        let orders = state.orders.map { open in
            let delivery = open.delivery
            let pickup = delivery.method == .ship ? nil : delivery.pickupNode.flatMap { network.node($0) }
            let (lat, lon) =
                pickup.map { ($0.latitude ?? .nan, $0.longitude ?? .nan) } ?? location(of: open.shipTo)
            let service =
                delivery.service.map { ["express", "expedited", "next_day"].contains($0.lowercased()) } ?? false
            return SourcingProblem.Order(
                id: String(open.id), lat: lat, lon: lon, service: service ? "express" : "standard",
                pickupNode: pickup?.id,
                lines: open.lines.map {
                    SourcingProblem.Line(line: String($0.position), sku: $0.sku, qty: $0.quantity)
                },
                excludedNodes: exclusions(open, rejectedBy: state.exclusions[open.id] ?? []).keys.sorted(),
                deadlineDays: delivery.promisedBy.map {
                    Int(($0.millisecondsSince1970 - time.millisecondsSince1970).floorDivided(by: 86_400_000))
                },
                zoneRate: pickup == nil
                    ? sourcing.zoneRate(for: open.shipTo).map {
                        SourcingProblem.RateBand(maxKm: nil, cost: $0.cost, transitDays: $0.transitDays)
                    } : nil, channel: open.channel)
        }
        return SourcingProblem(params: sourcing.parameters, nodes: nodes, orders: orders)
    }

    /// The nodes that may not take part in `order`, each with its one reason: the node rejected
    /// the order (`rejectedBy`), does not serve its channel, or may not do its kind of delivery,
    /// the first that applies.
    func exclusions(_ order: SourcingState.OpenOrder, rejectedBy: [String]) -> [String: String] {
        let network = configuration.network
        let method = order.delivery.method
        let pickup = method == .ship ? nil : order.delivery.pickupNode.flatMap { network.node($0)?.id }
        var reasons: [String: String] = [:]
        for node in rejectedBy { reasons[node] = "it rejected this order" }
        for node in network.nodes where reasons[node.id] == nil {
            if let channels = node.channels, !channels.contains(order.channel) {
                reasons[node.id] = "it does not serve \(order.channel) (channels: \(channels.joined(separator: ", ")))"
            } else if !Self.may(node, serve: method, pickup: pickup) {
                reasons[node.id] =
                    switch method {
                    case .ship: "it does not ship parcels"
                    case .collect:
                        node.id == pickup
                            ? "it is the pickup store but does not hand over click & collect orders"
                            : "it does not ship parcels to the pickup store"
                    case .reserve:
                        node.id == pickup
                            ? "it is the store but does not take reserve-in-store orders"
                            : "a reserve-in-store order is served from its store's own stock alone"
                    }
            }
        }
        return reasons
    }

    /// Whether `node` may take part in an order delivered by `method` (at `pickup` for collect and
    /// reserve): ship needs `ship`; the pickup store needs `collect` or `reserve`, and other nodes
    /// ship to it; reserve in store is the store's own stock only.
    static func may(_ node: Configuration.Node, serve method: DeliveryMethod, pickup: String?) -> Bool {
        switch method {
        case .ship:
            return node.capabilities.contains(.ship)
        case .collect:
            return node.id == pickup ? node.capabilities.contains(.collect) : node.capabilities.contains(.ship)
        case .reserve:
            return node.id == pickup && node.capabilities.contains(.reserve)
        }
    }

    /// The centre of the address's postal area; unknown places cost the farthest rate band and
    /// cannot be served express.
    func location(of address: Address?) -> (Double, Double) {
        guard let country = address?.country, let postalCode = address?.postalCode else { return (.nan, .nan) }
        let best = sourcing.postalAreas
            .filter { $0.country == country && postalCode.hasPrefix($0.prefix) }
            .max { $0.prefix.count < $1.prefix.count }
        return best.map { ($0.latitude, $0.longitude) } ?? (.nan, .nan)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

/// A sourcing strategy answered with something that does not fit the problem it was given.
struct SourcingFault: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// What a sourcing run reserved: the reservations (the first ``listed`` of them unless asked
/// for more, for reports and tests) and their totals, so a peak day's cycle does not hold every
/// reservation.
package struct SourcingOutcome: Sendable {
    /// How many reservations a cycle keeps in full in ``reservations``.
    package static let listed = 1_000

    /// How many reservations are kept in full.
    let listing: Int
    /// The reservations written, the first ``listing`` of them.
    package private(set) var reservations: [Reservation] = []
    /// How many reservations were written.
    package private(set) var count = 0
    /// The units they reserve.
    package private(set) var units = 0
    /// The orders they reserve for.
    package private(set) var orders = 0

    /// Nothing reserved yet; the first `listing` reservations will be kept.
    package init(listing: Int = SourcingOutcome.listed) {
        self.listing = listing
    }

    /// Adds one batch's reservations (an order's reservations are all in one batch).
    mutating func add(_ batch: [Reservation]) {
        count += batch.count
        units += batch.reduce(0) { $0 + $1.quantity }
        orders += Set(batch.map(\.orderID)).count
        reservations += batch.prefix(max(0, listing - reservations.count))
    }
}
