public import Foundation

/// A batch of orders and a network of nodes to source them from, in the shared problem format
/// (`omnihub.sourcing-problem/1`, see `docs/sourcing.md`), for what-if studies and benchmarks.
public struct SourcingProblem: Sendable, Decodable {
    /// The format tag this version reads.
    public static let format = "omnihub.sourcing-problem/1"

    /// Costs and rules of the batch.
    public struct Parameters: Sendable, Decodable {
        public var currency: String
        public var rateCard: [RateBand]
        public var splitPenalty: Decimal
        public var unfilledPenalty: Decimal
        public var maxParcelsPerOrder: Int
        public var expressRadiusKm: Double
        public var collectTrunkCost: Decimal

        /// Parameters; see each property.
        public init(
            currency: String, rateCard: [RateBand], splitPenalty: Decimal, unfilledPenalty: Decimal,
            maxParcelsPerOrder: Int, expressRadiusKm: Double, collectTrunkCost: Decimal
        ) {
            self.currency = currency
            self.rateCard = rateCard
            self.splitPenalty = splitPenalty
            self.unfilledPenalty = unfilledPenalty
            self.maxParcelsPerOrder = maxParcelsPerOrder
            self.expressRadiusKm = expressRadiusKm
            self.collectTrunkCost = collectTrunkCost
        }

        enum CodingKeys: String, CodingKey {
            case currency
            case rateCard = "rate_card"
            case splitPenalty = "split_penalty"
            case unfilledPenalty = "unfilled_penalty"
            case maxParcelsPerOrder = "max_parcels_per_order"
            case expressRadiusKm = "express_radius_km"
            case collectTrunkCost = "collect_trunk_cost"
        }
    }

    /// One band of a carrier's rate card: parcels up to `maxKm` cost `cost`.
    public struct RateBand: Sendable, Decodable {
        /// The band's upper distance, inclusive; `nil` for the last, unbounded band.
        public var maxKm: Double?
        public var cost: Decimal
        /// Days a parcel in this band takes (an omnihub extension; unknown when absent).
        public var transitDays: Int?

        /// A band.
        public init(maxKm: Double?, cost: Decimal, transitDays: Int? = nil) {
            self.maxKm = maxKm
            self.cost = cost
            self.transitDays = transitDays
        }

        enum CodingKeys: String, CodingKey {
            case maxKm = "max_km"
            case cost
            case transitDays = "transit_days"
        }
    }

    /// A DC, store or dropshipper.
    public struct Node: Sendable, Decodable {
        public var id: String
        public var type: NodeType
        public var lat: Double
        public var lon: Double
        public var priority: Int
        public var unitCost: Decimal
        public var parcelCost: Decimal
        /// Parcels the node can ship in this batch; `nil` is unlimited.
        public var capacityParcels: Int?
        /// Units on hand by SKU that any channel's orders may have.
        public var stock: [String: Int]
        /// Units held for one channel's orders only, by channel and SKU, on top of `stock` (an
        /// omnihub extension of the shared format; other readers ignore it). An order of that
        /// channel takes them before the shared units.
        public var ringFenced: [String: [String: Int]]

        /// A node; see each property.
        public init(
            id: String, type: NodeType, lat: Double, lon: Double, priority: Int, unitCost: Decimal, parcelCost: Decimal,
            capacityParcels: Int?, stock: [String: Int], ringFenced: [String: [String: Int]] = [:]
        ) {
            self.id = id
            self.type = type
            self.lat = lat
            self.lon = lon
            self.priority = priority
            self.unitCost = unitCost
            self.parcelCost = parcelCost
            self.capacityParcels = capacityParcels
            self.stock = stock
            self.ringFenced = ringFenced
        }

        enum CodingKeys: String, CodingKey {
            case id, type, lat, lon, priority, stock
            case unitCost = "unit_cost"
            case parcelCost = "parcel_cost"
            case capacityParcels = "capacity_parcels"
            case ringFenced = "ring_fenced"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            type = try container.decode(NodeType.self, forKey: .type)
            lat = try container.decode(Double.self, forKey: .lat)
            lon = try container.decode(Double.self, forKey: .lon)
            priority = try container.decode(Int.self, forKey: .priority)
            unitCost = try container.decode(Decimal.self, forKey: .unitCost)
            parcelCost = try container.decode(Decimal.self, forKey: .parcelCost)
            capacityParcels = try container.decodeIfPresent(Int.self, forKey: .capacityParcels)
            stock = try container.decode([String: Int].self, forKey: .stock)
            ringFenced = try container.decodeIfPresent([String: [String: Int]].self, forKey: .ringFenced) ?? [:]
        }
    }

    /// What kind of node.
    public enum NodeType: String, Sendable, Decodable, CaseIterable {
        case dc, store, dropship
    }

    /// An order to source.
    public struct Order: Sendable, Decodable {
        public var id: String
        public var lat: Double
        public var lon: Double
        /// `standard` or `express`.
        public var service: String
        /// The store for click & collect.
        public var pickupNode: String?
        public var lines: [Line]
        /// Nodes that may not ship this order, e.g. a store that rejected it (an omnihub extension
        /// of the shared format; other readers ignore it).
        public var excludedNodes: [String]
        /// Whole days left until the delivery promised to the customer (an omnihub extension):
        /// nodes whose rate band takes longer may not ship the order.
        public var deadlineDays: Int?
        /// A carrier's price for the order's zone (country and postal code prefix), which replaces
        /// the distance bands for parcels shipped to it (an omnihub extension).
        public var zoneRate: RateBand?
        /// The sales channel it was sold in, whose ring-fenced stock it may have (an omnihub
        /// extension).
        public var channel: String?

        /// An order; see each property.
        public init(
            id: String, lat: Double, lon: Double, service: String, pickupNode: String?, lines: [Line],
            excludedNodes: [String] = [], deadlineDays: Int? = nil, zoneRate: RateBand? = nil, channel: String? = nil
        ) {
            self.id = id
            self.lat = lat
            self.lon = lon
            self.service = service
            self.pickupNode = pickupNode
            self.lines = lines
            self.excludedNodes = excludedNodes
            self.deadlineDays = deadlineDays
            self.zoneRate = zoneRate
            self.channel = channel
        }

        enum CodingKeys: String, CodingKey {
            case id, lat, lon, service, lines, channel
            case pickupNode = "pickup_node"
            case excludedNodes = "excluded_nodes"
            case deadlineDays = "deadline_days"
            case zoneRate = "zone_rate"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            lat = try container.decode(Double.self, forKey: .lat)
            lon = try container.decode(Double.self, forKey: .lon)
            service = try container.decode(String.self, forKey: .service)
            pickupNode = try container.decodeIfPresent(String.self, forKey: .pickupNode)
            lines = try container.decode([Line].self, forKey: .lines)
            excludedNodes = try container.decodeIfPresent([String].self, forKey: .excludedNodes) ?? []
            deadlineDays = try container.decodeIfPresent(Int.self, forKey: .deadlineDays)
            zoneRate = try container.decodeIfPresent(RateBand.self, forKey: .zoneRate)
            channel = try container.decodeIfPresent(String.self, forKey: .channel)
        }
    }

    /// A line of an order.
    public struct Line: Sendable, Decodable {
        public var line: String
        public var sku: String
        public var qty: Int

        /// A line.
        public init(line: String, sku: String, qty: Int) {
            self.line = line
            self.sku = sku
            self.qty = qty
        }
    }

    public var params: Parameters
    public var nodes: [Node]
    public var orders: [Order]

    /// A problem built in memory, from the store's state.
    public init(params: Parameters, nodes: [Node], orders: [Order]) {
        self.params = params
        self.nodes = nodes
        self.orders = orders
    }

    enum CodingKeys: String, CodingKey {
        case format, params, nodes, orders
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(String.self, forKey: .format)
        guard format == SourcingProblem.format else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: container,
                debugDescription: "'\(format)' is not a format this version reads; expected \(SourcingProblem.format)")
        }
        params = try container.decode(Parameters.self, forKey: .params)
        nodes = try container.decode([Node].self, forKey: .nodes)
        orders = try container.decode([Order].self, forKey: .orders)
        // The optimizer tries every set of up to the parcel limit, and sums units as money.
        guard (1...Self.largestParcelLimit).contains(params.maxParcelsPerOrder) else {
            throw DecodingError.dataCorruptedError(
                forKey: .params, in: container,
                debugDescription:
                    "max_parcels_per_order is \(params.maxParcelsPerOrder); it must be 1 to \(Self.largestParcelLimit)")
        }
        for (index, order) in orders.enumerated() {
            for line in order.lines where !(1...OmnihubCore.Order.largestQuantity).contains(line.qty) {
                throw DecodingError.dataCorruptedError(
                    forKey: .orders, in: container,
                    debugDescription:
                        "orders[\(index)] (\(order.id)) line \(line.line) orders \(line.qty) units; a line orders 1 to "
                        + "\(OmnihubCore.Order.largestQuantity)")
            }
        }
    }

    /// The most parcels an order may be split into that a problem may allow.
    public static let largestParcelLimit = 8

    /// Reads a problem file's bytes.
    ///
    /// - Throws: ``ConversionFailure`` naming the field and what is wrong with it.
    public static func decode(_ data: Data) throws(ConversionFailure) -> SourcingProblem {
        do {
            return try JSONDecoder().decode(SourcingProblem.self, from: data)
        } catch let error as DecodingError {
            throw ConversionFailure(Self.explain(error))
        } catch {
            throw ConversionFailure("it is not a sourcing problem: \(error)")
        }
    }

    /// Where a problem file is wrong and how, in words.
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let named = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return named.isEmpty ? "the top level" : String(named.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing; see docs/sourcing.md for the problem format"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) is not a \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null where a \(type) is expected"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
