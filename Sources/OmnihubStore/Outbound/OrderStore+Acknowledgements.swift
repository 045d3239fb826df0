import Foundation
import GRDB
public import OmnihubCore

/// Units of an order line its channel is to be told about: acknowledged (the whole line) or
/// cancelled by the seller (with the reason).
public struct ChannelOrderLine: Sendable, Hashable {
    public let orderID: Int64
    public let orderNumber: String
    public let lineID: String
    public let position: Int
    public let sku: String
    public let quantity: Int
    /// Why the seller cancelled the units; `nil` for an acknowledgement.
    public var reason: String? = nil
}

extension OrderStore {
    /// Records one order acknowledgement per channel in `channels` for its orders not acknowledged
    /// yet, in one transaction: `render` turns a channel's order lines into a file, or `nil` when
    /// it cannot (the orders wait for the next run). The files are
    /// written afterwards by the caller (``markWritten(_:at:)``).
    public func recordOrderAcknowledgements(
        channels: [String], at time: Timestamp,
        render: (_ channel: String, _ lines: [ChannelOrderLine]) throws -> RenderedDocument?
    ) throws -> [OutboundDocument] {
        try write { db in
            var documents: [OutboundDocument] = []
            for channel in channels.sorted() {
                let lines = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT o.id, o.external_id, l.line_id, l.position, l.sku, l.quantity FROM orders o
                        JOIN order_lines l ON l.order_id = o.id
                        WHERE o.channel = ? AND o.acknowledgement_document_id IS NULL ORDER BY o.id, l.position
                        """, arguments: [channel]
                ).map { row in
                    ChannelOrderLine(
                        orderID: row["id"], orderNumber: row["external_id"], lineID: row["line_id"],
                        position: row["position"], sku: row["sku"], quantity: row["quantity"])
                }
                guard !lines.isEmpty else { continue }
                guard let rendered = try render(channel, lines) else { continue }
                let document = try Self.recordPending(
                    db, kind: "order_acknowledgement", destination: channel, rendered, at: time)
                for orderID in Set(lines.map(\.orderID)) {
                    try db.execute(
                        sql: "UPDATE orders SET acknowledgement_document_id = ? WHERE id = ?",
                        arguments: [document.id, orderID])
                }
                documents.append(document)
            }
            return documents
        }
    }
}
