import ArgumentParser
import OmnihubCore
import OmnihubStore

/// `omnihub trace`: where a document came from.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Trace a document back to the files that carried it.", subcommands: [Order.self])

    struct Order: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Which files and records carried an order.",
            discussion:
                "Lists the file it was imported from and every re-send since. Exit code 4 when no order matches.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "The channel, when two channels use the same order number.")
        var channel: String?

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @Argument(help: "omnihub's order id or the channel's order number.")
        var id: String

        struct Lineage: Encodable {
            let orderID: Int64
            let channel: String
            let externalID: String
            let files: [LineageEntry]
            let outbound: [OutboundDocument]
            let shipments: [ShipmentRecord]

            enum CodingKeys: String, CodingKey {
                case channel, files, outbound, shipments
                case orderID = "order_id"
                case externalID = "external_id"
            }
        }

        func run() throws {
            let store = try global.openStore(try global.loadConfiguration())
            let orders = try store.orders.matching(id, channel: channel)
            guard !orders.isEmpty else { throw CommandFailure.notFound("no order matches '\(id)'") }
            let traces = try orders.map { stored in
                Lineage(
                    orderID: stored.id, channel: stored.order.channel, externalID: stored.order.externalID,
                    files: try store.orders.lineage(orderID: stored.id),
                    outbound: try store.outbox.documents(orderID: stored.id),
                    shipments: try store.stock.shipments(orderID: stored.id))
            }
            if json {
                try JSONOutput.print(traces)
                return
            }
            for trace in traces {
                say("order \(trace.orderID): \(trace.channel) \(trace.externalID)")
                var table = TextTable("FILE ID", "PARTNER", "FILE", "RECORD", "LINE", "OUTCOME", "RECEIVED", "KEPT AT")
                for entry in trace.files {
                    table.add(
                        String(entry.fileID), entry.partner, entry.file, String(entry.record),
                        entry.line.map(String.init) ?? "-", entry.outcome, entry.receivedAt, entry.storedPath)
                }
                say(table.rendered)
                for document in trace.outbound {
                    say(
                        "  → \(document.kind) \(document.number) for \(document.destination): \(document.path) (\(document.status))"
                    )
                }
                for shipment in trace.shipments {
                    let tracking = [shipment.carrier, shipment.trackingNumber].compactMap { $0 }.joined(separator: " ")
                    say(
                        "  ⇢ shipped \(shipment.quantity) × \(shipment.sku) (line \(shipment.position)) from \(shipment.node) "
                            + "at \(shipment.shippedAt)\(tracking.isEmpty ? "" : ", \(tracking)")")
                }
            }
        }
    }
}
