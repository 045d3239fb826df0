import Foundation
public import OmnihubCore

/// What `omnihub.yaml` says: where the store and folders are, and which partners send which feeds.
///
/// Paths in the file are relative to the file's own folder; here they are absolute.
public struct Configuration: Sendable {
    /// The configuration file this was read from.
    public var file: String
    /// The SQLite store.
    public var storePath: String
    /// Where imported originals are kept, by date and partner.
    public var archiveFolder: String
    /// Where files with errors go, with their `.errors.json` reports.
    public var quarantineFolder: String
    /// How long a file's size and modification time must stay unchanged before it is taken.
    public var stableAfter: Duration
    /// The pause between cycles of `omnihub run`.
    public var pollInterval: Duration
    /// The partners, in file order.
    public var partners: [Partner]
    /// The nodes that hold and ship stock.
    public var network: Network = Network()

    /// The fulfilment network: DCs, stores and dropshippers, and the stock each keeps back.
    public struct Network: Sendable {
        /// The nodes, in file order.
        public var nodes: [Node] = []
        /// Units kept back at every node of a type, never promised to an order.
        public var safetyStockByType: [NodeType: Int] = [:]
        /// Units kept back of a SKU at every node, on top of the node type's.
        public var safetyStockBySKU: [String: Int] = [:]

        /// The node with `id`.
        public func node(_ id: String) -> Node? { nodes.first { $0.id == id } }

        /// Units of `sku` kept back at `node`.
        public func safetyStock(node: Node, sku: String) -> Int {
            (safetyStockByType[node.type] ?? 0) + (safetyStockBySKU[sku] ?? 0)
        }
    }

    /// A DC, store or dropshipper.
    public struct Node: Sendable {
        /// Short id, as stock files and plans name it.
        public var id: String
        /// Name for people.
        public var name: String
        /// What kind of node.
        public var type: NodeType
        /// Switched off nodes promise nothing.
        public var enabled: Bool
    }

    /// The kinds of node.
    public enum NodeType: String, Sendable, Hashable, CaseIterable {
        case dc, store, dropship
    }

    /// A partner: a marketplace, web shop, warehouse, store system or dropshipper.
    public struct Partner: Sendable {
        /// Short id, used in folder names and reports, e.g. `amazon-de`.
        public var id: String
        /// Name for people.
        public var name: String
        /// Switched off partners are skipped by cycles.
        public var enabled: Bool
        /// The partner's inbound feeds.
        public var feeds: [Feed]
    }

    /// One inbound feed of a partner: a folder, the files to take from it, and their mapping.
    public struct Feed: Sendable {
        /// The feed's name within the partner, e.g. `orders`.
        public var name: String
        /// The folder polled for files.
        public var folder: String
        /// Shell-style pattern of the files to take, e.g. `*.tsv`.
        public var pattern: String
        /// The mapping file.
        public var mappingPath: String
        /// The mapping, loaded and checked.
        public var mapping: DocumentMapping
    }

    /// The partner with `id`.
    public func partner(_ id: String) -> Partner? {
        partners.first { $0.id == id }
    }
}

extension Configuration {
    /// Reads and checks the configuration and every mapping it names.
    ///
    /// - Throws: ``ConfigurationError`` naming the file, line and key of the first mistake.
    public static func load(_ path: String) throws(ConfigurationError) -> Configuration {
        let file = URL(fileURLWithPath: path).standardizedFileURL.path
        let root = try YAMLNode.load(file)
        let base = URL(fileURLWithPath: file).deletingLastPathComponent()
        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") ? relative : base.appendingPathComponent(relative).standardizedFileURL.path
        }
        try root.allowOnly(["store", "folders", "inbox", "network", "partners"])
        var storePath = "var/omnihub.sqlite"
        if let store = try root.optional("store") {
            try store.allowOnly(["path"])
            storePath = try store.optional("path")?.text() ?? storePath
        }
        var archive = "archive"
        var quarantine = "quarantine"
        if let folders = try root.optional("folders") {
            try folders.allowOnly(["archive", "quarantine"])
            archive = try folders.optional("archive")?.text() ?? archive
            quarantine = try folders.optional("quarantine")?.text() ?? quarantine
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
        if let network = try root.optional("network") { configuration.network = try parseNetwork(network) }
        return configuration
    }

    private static func parseNetwork(_ node: YAMLNode) throws(ConfigurationError) -> Network {
        try node.allowOnly(["safety_stock", "safety_stock_by_sku", "nodes"])
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
        for item in try node.optional("nodes")?.items() ?? [] {
            try item.allowOnly(["id", "name", "type", "enabled"])
            let id = try item.required("id", "the node's id, as stock files name it").text()
            if network.node(id) != nil { throw item.error("node id '\(id)' appears twice; ids must be unique") }
            network.nodes.append(
                Node(
                    id: id, name: try item.optional("name")?.text() ?? id,
                    type: try item.required("type", "dc, store or dropship").choice(NodeType.self),
                    enabled: try item.optional("enabled")?.boolean() ?? true))
        }
        return network
    }

    private static func parsePartner(_ node: YAMLNode, resolve: (String) -> String) throws(ConfigurationError)
        -> Partner
    {
        try node.allowOnly(["id", "name", "enabled", "feeds"])
        let idNode = try node.required("id", "a short id such as amazon-de")
        let id = try idNode.text()
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard !id.isEmpty, id.allSatisfy(allowed.contains) else {
            throw idNode.error("'\(id)' must be lower-case letters, digits, '-' and '_' (it names folders)")
        }
        var feeds: [Feed] = []
        for feedNode in try node.optional("feeds")?.items() ?? [] {
            try feedNode.allowOnly(["name", "folder", "pattern", "mapping"])
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
                    mapping: mapping))
        }
        return Partner(
            id: id, name: try node.optional("name")?.text() ?? id,
            enabled: try node.optional("enabled")?.boolean() ?? true, feeds: feeds)
    }
}
