import Foundation
import GRDB
public import OmnihubCore

extension OrderStore {
    /// Records one order cancellation per channel in `channels` for the units the seller cancelled
    /// and the channel was not told of yet, in one transaction: `render` turns a channel's lines
    /// into a file, or `nil` when it cannot (they wait for the next run). The files are written
    /// afterwards by the caller (``markWritten(_:at:)``).
    public func recordSellerCancellations(
        channels: [String], at time: Timestamp,
        render: (_ channel: String, _ lines: [ChannelOrderLine]) throws -> RenderedDocument?
    ) throws -> [OutboundDocument] {
        try write { db in
            var documents: [OutboundDocument] = []
            for channel in channels.sorted() {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.id AS cancellation, o.id, o.external_id, l.line_id, l.position, l.sku, c.quantity, c.reason
                        FROM seller_cancellations c
                        JOIN orders o ON o.id = c.order_id
                        JOIN order_lines l ON l.order_id = c.order_id AND l.position = c.position
                        WHERE c.document_id IS NULL AND o.channel = ? ORDER BY c.id
                        """, arguments: [channel])
                guard !rows.isEmpty else { continue }
                let lines = rows.map { row in
                    ChannelOrderLine(
                        orderID: row["id"], orderNumber: row["external_id"], lineID: row["line_id"],
                        position: row["position"], sku: row["sku"], quantity: row["quantity"], reason: row["reason"])
                }
                guard let rendered = try render(channel, lines) else { continue }
                let document = try Self.recordPending(
                    db, kind: "order_cancellation", destination: channel, rendered, at: time)
                for row in rows {
                    try db.execute(
                        sql: "UPDATE seller_cancellations SET document_id = ? WHERE id = ?",
                        arguments: [document.id, row["cancellation"] as Int64])
                }
                documents.append(document)
            }
            return documents
        }
    }
}
