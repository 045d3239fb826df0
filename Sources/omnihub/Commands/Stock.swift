import ArgumentParser
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

/// `omnihub stock`: what the network has on hand.
struct Stock: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "On-hand stock from the nodes' snapshots and deltas.", subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "On-hand, safety stock and available units of a SKU at every node.",
            discussion: """
                Available is on-hand less reserved units, the safety stock of the node's type and of the SKU, \
                and units ring-fenced for channels (for --channel C, only those fenced for other channels), and \
                0 at a node that is switched off.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: "Available for this channel's orders: stock fenced for it counts, others' does not.")
        var channel: String?

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @Argument(help: "The SKU.")
        var sku: String

        struct Row: Encodable {
            let node: String
            let type: String?
            let enabled: Bool
            let onHand: Int
            let reserved: Int
            let safetyStock: Int
            let ringFenced: Int
            let available: Int
            let updatedAt: String?

            enum CodingKeys: String, CodingKey {
                case node, type, enabled, available
                case reserved
                case onHand = "on_hand"
                case safetyStock = "safety_stock"
                case ringFenced = "ring_fenced"
                case updatedAt = "updated_at"
            }
        }

        func run() throws {
            let configuration = try global.loadConfiguration()
            let store = try global.openStore(configuration)
            let levels = try store.stock.levels(sku: sku)
            let reserved = try store.stock.reserved(sku: sku)
            let network = configuration.network
            var rows: [Row] = network.nodes.map { node in
                let level = levels.first { $0.node == node.id }
                let onHand = level?.onHand ?? 0
                let safety = network.safetyStock(node: node, sku: sku)
                let held = reserved[node.id] ?? 0
                let available = network.available(node: node, sku: sku, onHand: onHand, held: held, for: channel)
                return Row(
                    node: node.id, type: node.type.rawValue, enabled: node.enabled, onHand: onHand, reserved: held,
                    safetyStock: safety, ringFenced: network.fenced(node: node.id, sku: sku, otherThan: nil),
                    available: node.enabled ? max(0, available) : 0, updatedAt: level?.updatedAt)
            }
            for level in levels where network.node(level.node) == nil {
                rows.append(
                    Row(
                        node: level.node, type: nil, enabled: false, onHand: level.onHand,
                        reserved: reserved[level.node] ?? 0, safetyStock: 0, ringFenced: 0, available: 0,
                        updatedAt: level.updatedAt))
            }
            if json {
                try JSONOutput.print(rows)
                return
            }
            var table = TextTable("NODE", "TYPE", "ON HAND", "RESERVED", "SAFETY", "FENCED", "AVAILABLE", "UPDATED")
            for row in rows {
                table.add(
                    row.node + (row.enabled ? "" : " (off)"), row.type ?? "?", String(row.onHand), String(row.reserved),
                    String(row.safetyStock), String(row.ringFenced),
                    String(row.available), row.updatedAt ?? "-")
            }
            say(table.rendered)
            say(
                "\n\(rows.reduce(0) { $0 + $1.available }) unit(s) of \(sku) available in the network"
                    + (channel.map { " for \($0)'s orders." } ?? " to every channel."))
        }
    }
}
