package import Foundation
package import OmnihubCore

/// What `omnihub.yaml` says: where the store and folders are, and which partners send which feeds.
///
/// Paths in the file are relative to the file's own folder; here they are absolute.
package struct Configuration: Sendable {
    /// The configuration file this was read from.
    package var file: String
    /// The SQLite store.
    package var storePath: String
    /// Where imported originals are kept, by date and partner.
    package var archiveFolder: String
    /// Where files with errors go, with their `.errors.json` reports.
    package var quarantineFolder: String
    /// Where outbound documents are written, one folder per destination.
    package var outboxFolder: String = ""
    /// Where files fetched from partners' servers are downloaded before they enter an inbox.
    package var stagingFolder: String = ""
    /// The outbox destinations delivered to partners' servers (`destinations:`).
    package var destinations: [RemoteDestination] = []
    /// The daemon's HTTP server; `nil` when the configuration has no `server:` section.
    package var server: Server?
    /// The web console and partner portal; `nil` when the configuration has no `console:` section.
    package var console: Console?
    /// How long a file's size and modification time must stay unchanged before it is taken.
    package var stableAfter: Duration
    /// The pause between cycles of `omnihub run`.
    package var pollInterval: Duration
    /// The partners, in file order.
    package var partners: [Partner]
    /// The nodes that hold and ship stock.
    package var network: Network = Network()
    /// The conditions (lower-cased) in which returned goods go back into stock (`returns:`);
    /// goods in any other condition are booked out.
    package var resellableConditions = ReturnPolicy.resellableConditions
    /// How long click & collect and reserve orders wait on the pickup shelf (`collect:`); `nil`:
    /// they wait until collected.
    package var pickupWindow: PickupPolicy.Window?

    /// The fulfilment network: DCs, stores and dropshippers, and the stock each keeps back.
    package struct Network: Sendable {
        /// The nodes, in file order.
        package var nodes: [Node] = []
        /// Units kept back at every node of a type, never promised to an order.
        package var safetyStockByType: [NodeType: Int] = [:]
        /// Units kept back of a SKU at every node, on top of the node type's.
        package var safetyStockBySKU: [String: Int] = [:]
        /// Units held at a node for one channel's orders only.
        package var ringFences: [RingFence] = []

        /// Units of `sku` at `node` fenced for channels other than `channel` (every fence when `nil`).
        package func fenced(node: String, sku: String, otherThan channel: String?) -> Int {
            ringFences.filter { $0.node == node && $0.sku == sku && $0.channel != channel }.reduce(0) { $0 + $1.units }
        }

        /// The node with `id`.
        package func node(_ id: String) -> Node? { nodes.first { $0.id == id } }

        /// Units of `sku` kept back at `node`.
        package func safetyStock(node: Node, sku: String) -> Int {
            (safetyStockByType[node.type] ?? 0) + (safetyStockBySKU[sku] ?? 0)
        }

        /// Units of `sku` at `node` that `channel`'s orders may have (every channel's when `nil`):
        /// on-hand minus those held, the safety stock and stock fenced for other channels. Negative
        /// when more is held or kept back than is on hand.
        package func available(node: Node, sku: String, onHand: Int, held: Int, for channel: String?) -> Int {
            onHand - held - safetyStock(node: node, sku: sku) - fenced(node: node.id, sku: sku, otherThan: channel)
        }
    }

    /// Stock held back at a node for one channel, e.g. for a marketplace's promise.
    package struct RingFence: Sendable {
        package var channel: String
        package var node: String
        package var sku: String
        package var units: Int
    }

    /// A DC, store or dropshipper.
    package struct Node: Sendable {
        /// Short id, as stock files and plans name it.
        package var id: String
        /// Name for people.
        package var name: String
        /// What kind of node.
        package var type: NodeType
        /// Switched off nodes promise nothing.
        package var enabled: Bool
        /// Where the node is, for shipping distances.
        package var latitude: Double?
        package var longitude: Double?
        /// Handling cost per unit and per parcel.
        package var unitCost: Decimal = 0
        package var parcelCost: Decimal = 0
        /// Parcels the node can ship per day (UTC); `nil` is unlimited.
        package var capacityParcels: Int?
        /// Order of preference for the `priority` strategy, lowest first.
        package var priority: Int = 0
        /// The sales channels whose orders the node may ship; `nil` is every channel.
        package var channels: [String]?
        /// What the node may do: `ship` parcels (to customers, or to a store for click & collect),
        /// hand over click & `collect` orders, `reserve` in store. Every capability by default.
        package var capabilities: Set<Capability> = Set(Capability.allCases)
        /// The format of the fulfilment orders the node receives; none: the node gets none.
        package var fulfilmentFormat: OutputFormat?
        /// The partner that runs the node (`partner:`; by default the partner with the node's id,
        /// e.g. a dropshipper): switched off, it switches the node off for sourcing.
        package var partner: String?
    }

    /// What a node may do for an order.
    package enum Capability: String, Sendable, Hashable, CaseIterable {
        case ship, collect, reserve
    }

    /// How orders are sourced: the strategy and the costs it weighs.
    package var sourcing: Sourcing?
    /// Invoices, credit notes and bookings for the ERP; `nil` when the configuration has no
    /// `finance:` section.
    package var finance: Finance?
    /// Customer notifications; `nil` when the configuration has no `notifications:` section.
    package var notifications: Notifications?

    /// The `sourcing:` section.
    package struct Sourcing: Sendable {
        /// `optimize`, `priority` or `distance`.
        package var strategy: SourcingStrategy
        /// The parameters of the cost function.
        package var parameters: SourcingProblem.Parameters
        /// Coordinates of postal areas by country and postal code prefix, for order locations.
        package var postalAreas: [PostalArea]
        /// Parcel prices by destination zone, which replace the distance bands for orders there.
        package var zoneRates: [ZoneRate] = []
        /// How many open orders are sourced together: more are sourced in batches of this many,
        /// oldest first, each on the stock the batches before it left, so memory stays bounded
        /// however many orders a peak day brings (`batch_orders`).
        package var batchOrders: Int = 10_000

        /// The zone rate for an address: its country and the longest matching postal code prefix.
        package func zoneRate(for address: Address?) -> ZoneRate? {
            guard let country = address?.country else { return nil }
            let postalCode = address?.postalCode ?? ""
            return zoneRates.filter { $0.country == country && postalCode.hasPrefix($0.postalPrefix) }
                .max { $0.postalPrefix.count < $1.postalPrefix.count }
        }
    }

    /// A carrier's price to a zone: a country, or the part of it whose postal codes start with a prefix.
    package struct ZoneRate: Sendable {
        package var country: String
        package var postalPrefix: String
        package var cost: Decimal
        package var transitDays: Int?
    }

    /// The centre of the area whose postal codes start with `prefix`, in `country`.
    package struct PostalArea: Sendable {
        package var country: String
        package var prefix: String
        package var latitude: Double
        package var longitude: Double
    }

    /// The kinds of node.
    /// What a node is: a distribution centre, a store or a dropshipper (the sourcing problem's own type).
    package typealias NodeType = SourcingProblem.NodeType

    /// A partner: a marketplace, web shop, warehouse, store system or dropshipper.
    package struct Partner: Sendable {
        /// Short id, used in folder names and reports, e.g. `amazon-de`.
        package var id: String
        /// Name for people.
        package var name: String
        /// Switched off partners are skipped by cycles.
        package var enabled: Bool
        /// The partner's inbound feeds.
        package var feeds: [Feed]
        /// How shipments of this partner's orders (channel = partner id) are confirmed to it.
        package var shippingConfirmationFormat: OutputFormat?
        /// The inventory feed this partner (a sales channel) gets: its format, and whether every
        /// SKU is listed (`full`) or only those whose quantity changed.
        package var inventoryFeed: (format: OutputFormat, full: Bool)?
        /// How this partner (a sales channel) is told omnihub has its orders.
        package var orderAcknowledgementFormat: OutputFormat?
        /// How this partner (a sales channel) is told of units the seller cancelled, with the reason.
        package var orderCancellationFormat: OutputFormat?
        /// How this partner (a sales channel) is told of units that came back, with their worth.
        package var returnFormat: OutputFormat? = nil
        /// What the partner may fetch from and upload to the HTTP server; `nil`: nothing.
        package var pull: Pull?
    }

    /// One inbound feed of a partner: a folder, the files to take from it, and their mapping.
    package struct Feed: Sendable {
        /// The feed's name within the partner, e.g. `orders`.
        package var name: String
        /// The folder polled for files.
        package var folder: String
        /// Shell-style pattern of the files to take, e.g. `*.tsv`.
        package var pattern: String
        /// The mapping file.
        package var mappingPath: String
        /// The mapping, loaded and checked.
        package var mapping: DocumentMapping
        /// The partner's server the files are fetched from into `folder`; `nil` when the partner
        /// drops them there itself.
        package var source: RemoteSource?
    }

    /// The partner with `id`.
    package func partner(_ id: String) -> Partner? {
        partners.first { $0.id == id }
    }
}

extension Configuration {
    /// Reads and checks the configuration and every mapping it names.
    ///
    /// - Throws: ``ConfigurationError`` naming the file, line and key of the first mistake.
    package static func load(_ path: String) throws(ConfigurationError) -> Configuration {
        let file = URL(fileURLWithPath: path).standardizedFileURL.path
        let root = try YAMLNode.load(file)
        let base = URL(fileURLWithPath: file).deletingLastPathComponent()
        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") ? relative : base.appendingPathComponent(relative).standardizedFileURL.path
        }
        try root.allowOnly([
            "store", "folders", "inbox", "network", "sourcing", "partners", "finance", "notifications", "destinations",
            "server", "returns", "collect", "console",
        ])
        var storePath = "var/omnihub.sqlite"
        if let store = try root.optional("store") {
            try store.allowOnly(["path"])
            storePath = try store.optional("path")?.text() ?? storePath
        }
        var archive = "archive"
        var quarantine = "quarantine"
        var outbox = "outbox"
        var staging = "var/staging"
        if let folders = try root.optional("folders") {
            try folders.allowOnly(["archive", "quarantine", "outbox", "staging"])
            staging = try folders.optional("staging")?.text() ?? staging
            archive = try folders.optional("archive")?.text() ?? archive
            quarantine = try folders.optional("quarantine")?.text() ?? quarantine
            outbox = try folders.optional("outbox")?.text() ?? outbox
        }
        var stableAfter = 2.0
        var pollInterval = 60.0
        if let inbox = try root.optional("inbox") {
            try inbox.allowOnly(["stable_after_seconds", "poll_interval_seconds"])
            stableAfter = try inbox.optional("stable_after_seconds")?.number("seconds, e.g. 2") ?? stableAfter
            pollInterval = try inbox.optional("poll_interval_seconds")?.number("seconds, e.g. 60") ?? pollInterval
            guard stableAfter >= 0, pollInterval > 0 else {
                throw inbox.error("seconds must be positive")
            }
        }
        var partners: [Partner] = []
        for node in try root.required("partners", "a list of partners with their feeds").items() {
            let partner = try parsePartner(node, resolve: resolve)
            if partners.contains(where: { $0.id == partner.id }) {
                throw node.error("partner id '\(partner.id)' appears twice; ids must be unique")
            }
            partners.append(partner)
        }
        var configuration = Configuration(
            file: file, storePath: resolve(storePath), archiveFolder: resolve(archive),
            quarantineFolder: resolve(quarantine), stableAfter: .milliseconds(Int(stableAfter * 1000)),
            pollInterval: .milliseconds(Int(pollInterval * 1000)), partners: partners)
        configuration.outboxFolder = resolve(outbox)
        configuration.stagingFolder = resolve(staging)
        configuration.server = try root.optional("server").map { node throws(ConfigurationError) in
            try parseServer(node)
        }
        configuration.console = try root.optional("console").map { node throws(ConfigurationError) in
            try parseConsole(node, resolve: resolve)
        }
        if configuration.console != nil && configuration.server == nil {
            throw try root.required("console", "").error(
                "the console is served by the HTTP server; add server: {listen: 127.0.0.1:8470}")
        }
        for node in try root.optional("destinations")?.items() ?? [] {
            let destination = try parseDestination(node, resolve: resolve)
            if configuration.destinations.contains(where: { $0.name == destination.name }) {
                throw node.error("destination '\(destination.name)' appears twice; each outbox folder has one")
            }
            configuration.destinations.append(destination)
        }
        if let collect = try root.optional("collect") {
            try collect.allowOnly(["pickup_days", "remind_days_before"])
            let days = try collect.required("pickup_days", "days an order waits on the pickup shelf, e.g. 7")
                .integer("a number of days, e.g. 7")
            let remind = try collect.optional("remind_days_before")?.integer("a number of days, e.g. 2") ?? 0
            guard days >= 1, days <= 3650, remind >= 0, remind < days else {
                throw collect.error(
                    "pickup_days must be from 1 to 3650, and remind_days_before from 0 to less than pickup_days")
            }
            configuration.pickupWindow = PickupPolicy.Window(pickupDays: days, remindDaysBefore: remind)
        }
        if let returns = try root.optional("returns") {
            try returns.allowOnly(["resellable_conditions"])
            if let conditions = try returns.optional("resellable_conditions") {
                configuration.resellableConditions = Set(
                    try conditions.items().map { item throws(ConfigurationError) in
                        try item.text("a condition, e.g. resellable").lowercased()
                    })
            }
        }
        if let network = try root.optional("network") {
            configuration.network = try parseNetwork(
                network, partners: Set(configuration.partners.map(\.id)), resolve: resolve)
        }
        if let finance = try root.optional("finance") {
            configuration.finance = try parseFinance(finance, resolve: resolve)
        }
        if let notifications = try root.optional("notifications") {
            configuration.notifications = try parseNotifications(notifications, resolve: resolve)
        }
        if let sourcing = try root.optional("sourcing") {
            configuration.sourcing = try parseSourcing(sourcing, resolve: resolve)
            for node in configuration.network.nodes where node.latitude == nil {
                throw try root.required("network", "").error(
                    "node \(node.id) has no location; sourcing needs location: {lat: …, lon: …} for every node")
            }
        }
        return configuration
    }

    /// The `network:` section; `partners` are the partners' ids, which a node's `partner:` names.
    private static func parseNetwork(
        _ node: YAMLNode, partners: Set<String>, resolve: (String) -> String
    ) throws(ConfigurationError) -> Network {
        try node.allowOnly(["safety_stock", "safety_stock_by_sku", "ring_fences", "nodes"])
        var network = Network()
        if let byType = try node.optional("safety_stock") {
            for (key, value) in try byType.entries() {
                guard let type = NodeType(rawValue: key) else {
                    throw value.error("'\(key)' is not a node type; expected one of dc, store, dropship")
                }
                network.safetyStockByType[type] = try value.integer("a number of units")
            }
        }
        if let bySKU = try node.optional("safety_stock_by_sku") {
            for (sku, value) in try bySKU.entries() {
                network.safetyStockBySKU[sku] = try value.integer("a number of units")
            }
        }
        for (position, item) in (try node.optional("nodes")?.items() ?? []).enumerated() {
            try item.allowOnly([
                "id", "name", "type", "enabled", "location", "unit_cost", "parcel_cost", "capacity_parcels", "priority",
                "channels", "can", "fulfilment_format", "partner",
            ])
            let id = try item.required("id", "the node's id, as stock files name it").text()
            if network.node(id) != nil { throw item.error("node id '\(id)' appears twice; ids must be unique") }
            var parsed = Node(
                id: id, name: try item.optional("name")?.text() ?? id,
                type: try item.required("type", "dc, store or dropship").choice(NodeType.self),
                enabled: try item.optional("enabled")?.boolean() ?? true)
            if let location = try item.optional("location") {
                try location.allowOnly(["lat", "lon"])
                parsed.latitude = try location.required("lat", "the latitude in degrees").number("degrees")
                parsed.longitude = try location.required("lon", "the longitude in degrees").number("degrees")
            }
            parsed.unitCost = try item.optional("unit_cost").map(decimal) ?? 0
            parsed.parcelCost = try item.optional("parcel_cost").map(decimal) ?? 0
            parsed.capacityParcels = try item.optional("capacity_parcels")?.integer("a number of parcels")
            parsed.priority = try item.optional("priority")?.integer() ?? position
            parsed.fulfilmentFormat = try format(
                item.optional("fulfilment_format"), writing: "fulfilment_order", resolve: resolve)
            if let capabilities = try item.optional("can") {
                parsed.capabilities = []
                for capability in try capabilities.items() {
                    parsed.capabilities.insert(try capability.choice(Capability.self))
                }
            }
            if let channels = try item.optional("channels") {
                var list: [String] = []
                for channel in try channels.items() { list.append(try channel.text()) }
                parsed.channels = list
            }
            if let partner = try item.optional("partner") {
                let named = try partner.text()
                guard partners.contains(named) else {
                    throw partner.error("'\(named)' is not one of the partners; name a partner's id, or leave it out")
                }
                parsed.partner = named
            } else if partners.contains(id) {
                parsed.partner = id
            }
            network.nodes.append(parsed)
        }
        for item in try node.optional("ring_fences")?.items() ?? [] {
            try item.allowOnly(["channel", "node", "sku", "units"])
            let fence = RingFence(
                channel: try item.required("channel", "the channel the units are held for").text(),
                node: try item.required("node", "the node that holds them").text(),
                sku: try item.required("sku", "the article").text(),
                units: try item.required("units", "how many units").integer("a number of units"))
            guard network.node(fence.node) != nil else {
                throw item.error("node '\(fence.node)' is not in network.nodes")
            }
            network.ringFences.append(fence)
        }
        return network
    }

    private static func decimal(_ node: YAMLNode) throws(ConfigurationError) -> Decimal {
        let text = try node.text("an amount such as 4.50")
        guard Amount(parsing: text) != nil, let value = Decimal(string: text) else {
            throw node.error("'\(text)' is not an amount such as 4.50")
        }
        return value
    }

    private static func parseSourcing(_ node: YAMLNode, resolve: (String) -> String) throws(ConfigurationError)
        -> Sourcing
    {
        try node.allowOnly([
            "strategy", "currency", "rate_card", "split_penalty", "unfilled_penalty", "max_parcels_per_order",
            "express_radius_km", "collect_trunk_cost", "postal_areas", "zone_rates", "batch_orders",
        ])
        let named = try node.optional("strategy")?.text() ?? SourcingStrategy.optimize.rawValue
        guard let strategy = SourcingStrategy(rawValue: named) else {
            throw try node.required("strategy", "").error(
                "'\(named)' is not a strategy; expected optimize, priority or distance")
        }
        var bands: [SourcingProblem.RateBand] = []
        for band in try node.required(
            "rate_card", "distance bands: [{max_km: 100, cost: 4.50}, {max_km: null, cost: 9.00}]"
        ).items() {
            try band.allowOnly(["max_km", "cost", "transit_days"])
            bands.append(
                SourcingProblem.RateBand(
                    maxKm: try band.optional("max_km")?.number("kilometres"),
                    cost: try decimal(band.required("cost", "the parcel price")),
                    transitDays: try band.optional("transit_days")?.integer("a number of days")))
        }
        guard bands.last?.maxKm == nil else {
            throw try node.required("rate_card", "").error("the last band must be unbounded (max_km: null)")
        }
        var zones: [ZoneRate] = []
        for zone in try node.optional("zone_rates")?.items() ?? [] {
            try zone.allowOnly(["country", "postal_prefix", "cost", "transit_days"])
            zones.append(
                ZoneRate(
                    country: try zone.required("country", "an ISO 3166 country code such as AT").text(),
                    postalPrefix: try zone.optional("postal_prefix")?.text() ?? "",
                    cost: try decimal(zone.required("cost", "the parcel price to the zone")),
                    transitDays: try zone.optional("transit_days")?.integer("a number of days")))
        }
        var areas: [PostalArea] = []
        if let file = try node.optional("postal_areas") {
            areas = try PostalAreaFile.load(resolve(try file.text()), node: file)
        }
        return Sourcing(
            strategy: strategy,
            parameters: SourcingProblem.Parameters(
                currency: try node.optional("currency")?.text() ?? "EUR", rateCard: bands,
                splitPenalty: try node.optional("split_penalty").map(decimal) ?? 0,
                unfilledPenalty: try node.optional("unfilled_penalty").map(decimal) ?? 60,
                maxParcelsPerOrder: try node.optional("max_parcels_per_order")?.integer() ?? 3,
                expressRadiusKm: try node.optional("express_radius_km")?.number("kilometres") ?? 250,
                collectTrunkCost: try node.optional("collect_trunk_cost").map(decimal) ?? 0),
            postalAreas: areas, zoneRates: zones,
            batchOrders: try batchOrders(node.optional("batch_orders")))
    }

    /// `batch_orders`: how many open orders are sourced together (at least 1; 10,000 by default).
    private static func batchOrders(_ node: YAMLNode?) throws(ConfigurationError) -> Int {
        guard let node else { return 10_000 }
        let orders = try node.integer("a number of orders, e.g. 10000")
        guard orders >= 1 else { throw node.error("batch_orders must be at least 1, e.g. 10000") }
        return orders
    }

    private static func parsePartner(_ node: YAMLNode, resolve: (String) -> String) throws(ConfigurationError)
        -> Partner
    {
        try node.allowOnly([
            "id", "name", "enabled", "feeds", "shipping_confirmation_format", "inventory_feed",
            "order_acknowledgement_format", "order_cancellation_format", "return_format", "pull",
        ])
        let idNode = try node.required("id", "a short id such as amazon-de")
        let id = try idNode.text()
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard !id.isEmpty, id.allSatisfy(allowed.contains) else {
            throw idNode.error("'\(id)' must be lower-case letters, digits, '-' and '_' (it names folders)")
        }
        var feeds: [Feed] = []
        for feedNode in try node.optional("feeds")?.items() ?? [] {
            try feedNode.allowOnly(["name", "folder", "pattern", "mapping", "source"])
            let name = try feedNode.optional("name")?.text() ?? "orders"
            let mappingNode = try feedNode.required("mapping", "the mapping file, e.g. mappings/\(id)-orders.yaml")
            let mappingPath = resolve(try mappingNode.text())
            let mapping: DocumentMapping
            do {
                mapping = try MappingFile.load(mappingPath)
            } catch {
                if error.line == nil && error.key == nil {
                    throw mappingNode.error("the mapping file \(mappingPath) cannot be used: \(error.message)")
                }
                throw error
            }
            feeds.append(
                Feed(
                    name: name, folder: resolve(try feedNode.optional("folder")?.text() ?? "inbox/\(id)"),
                    pattern: try feedNode.optional("pattern")?.text() ?? "*", mappingPath: mappingPath,
                    mapping: mapping,
                    source: try feedNode.optional("source").map { node throws(ConfigurationError) in
                        try parseRemoteSource(node, resolve: resolve)
                    }))
        }
        let confirmation = try format(
            node.optional("shipping_confirmation_format"), writing: "shipping_confirmation", resolve: resolve)
        let acknowledgement = try format(
            node.optional("order_acknowledgement_format"), writing: "order_acknowledgement", resolve: resolve)
        let cancellation = try format(
            node.optional("order_cancellation_format"), writing: "order_cancellation", resolve: resolve)
        let returns = try format(node.optional("return_format"), writing: "channel_return", resolve: resolve)
        var inventoryFeed: (format: OutputFormat, full: Bool)?
        if let feedNode = try node.optional("inventory_feed") {
            try feedNode.allowOnly(["format", "mode"])
            let format = try format(
                feedNode.required("format", "the format file, e.g. mappings/\(id)-inventory.format.yaml"),
                writing: "inventory_feed", resolve: resolve)!
            var full = false
            if let mode = try feedNode.optional("mode") {
                switch try mode.text() {
                case "full": full = true
                case "changes": full = false
                case let other: throw mode.error("'\(other)' is not a mode; expected full or changes")
                }
            }
            inventoryFeed = (format, full)
        }
        let pull = try node.optional("pull").map { pullNode throws(ConfigurationError) in
            try parsePull(pullNode, partner: id, resolve: resolve)
        }
        if let feed = pull?.uploadFeed, !feeds.contains(where: { $0.name == feed }) {
            throw try node.required("pull", "").error("upload_feed '\(feed)' is not one of the partner's feeds")
        }
        return Partner(
            id: id, name: try node.optional("name")?.text() ?? id,
            enabled: try node.optional("enabled")?.boolean() ?? true, feeds: feeds,
            shippingConfirmationFormat: confirmation, inventoryFeed: inventoryFeed,
            orderAcknowledgementFormat: acknowledgement, orderCancellationFormat: cancellation, returnFormat: returns,
            pull: pull)
    }
}
