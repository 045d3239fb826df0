import Foundation
import GRDB
public import OmnihubCore

/// A booked shipment no shipping confirmation has told its channel about yet.
public struct UnconfirmedShipment: Sendable, Hashable {
    public let id: Int64
    public let channel: String
    public let orderNumber: String
    public let lineID: String
    public let sku: String
    public let quantity: Int
    public let node: String
    public let shippedAt: String
    public let carrier: String?
    public let service: String?
    public let trackingNumber: String?
}

extension OrderStore {
    /// Records one shipping confirmation per channel in `channels` for the shipments not yet
    /// confirmed, in one transaction: `render` turns a channel's shipments into a file, or `nil`
    /// when it cannot (they wait). Shipments of other channels are not read. The files are written
    /// afterwards by the caller (``markWritten(_:at:)``).
    public func recordShippingConfirmations(
        channels: [String], at time: Timestamp,
        render: (_ channel: String, _ shipments: [UnconfirmedShipment]) throws -> RenderedDocument?
    ) throws -> [OutboundDocument] {
        try write { db in
            var byChannel: [String: [UnconfirmedShipment]] = [:]
            for row in try channels.sorted().flatMap({ channel in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT s.*, o.external_id, l.line_id FROM shipments s
                        JOIN orders o ON o.id = s.order_id
                        JOIN order_lines l ON l.order_id = s.order_id AND l.position = s.position
                        WHERE s.channel = ? AND s.confirmation_document_id IS NULL ORDER BY s.id
                        """, arguments: [channel])
            }) {
                let shipment = UnconfirmedShipment(
                    id: row["id"], channel: row["channel"], orderNumber: row["external_id"], lineID: row["line_id"],
                    sku: row["sku"], quantity: row["quantity"], node: row["node"], shippedAt: row["shipped_at"],
                    carrier: row["carrier"], service: row["service"], trackingNumber: row["tracking_number"])
                byChannel[shipment.channel, default: []].append(shipment)
            }
            var documents: [OutboundDocument] = []
            for channel in byChannel.keys.sorted() {
                let shipments = byChannel[channel]!
                guard let rendered = try render(channel, shipments) else { continue }
                let document = try Self.recordPending(
                    db, kind: "shipping_confirmation", destination: channel, rendered, at: time)
                for shipment in shipments {
                    try db.execute(
                        sql: "UPDATE shipments SET confirmation_document_id = ? WHERE id = ?",
                        arguments: [document.id, shipment.id])
                }
                documents.append(document)
            }
            return documents
        }
    }
}
