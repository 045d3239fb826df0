import Foundation
import GRDB
package import OmnihubCore

/// Units of an order line its channel is to be told about: acknowledged (the whole line) or
/// cancelled by the seller (with the reason).
package struct ChannelOrderLine: Sendable, Hashable {
    package let orderID: Int64
    package let orderNumber: String
    package let lineID: String
    package let position: Int
    package let sku: String
    package let quantity: Int
    /// Why the seller cancelled the units; `nil` for an acknowledgement.
    package var reason: String? = nil
    /// The seller cancellation these units are (cancellations only).
    package var cancellationID: Int64? = nil
}

/// Units of an order line that came back, which the order's channel was not told of yet.
package struct ChannelReturn: Sendable {
    /// The returns row.
    package let id: Int64
    package let orderID: Int64
    package let order: Order
    package let position: Int
    package let quantity: Int
    /// Units of the line that came back before these.
    package let returnedBefore: Int
    package let reason: String?
    package let condition: String?
    package let receivedAt: String
}

/// A booked shipment no shipping confirmation has told its channel about yet.
package struct UnconfirmedShipment: Sendable, Hashable {
    package let id: Int64
    package let channel: String
    package let orderNumber: String
    package let lineID: String
    package let sku: String
    package let quantity: Int
    package let node: String
    package let shippedAt: String
    package let carrier: String?
    package let service: String?
    package let trackingNumber: String?
}

/// What the sales channels have not been told yet, and the documents that tell them.
extension Outbox {
    /// Order lines of `channel`'s orders not acknowledged yet: of at most `limit` orders with ids
    /// above `after`, oldest first, so a peak day's acknowledgements are made a part at a time.
    package func unacknowledgedOrderLines(channel: String, after: Int64 = 0, limit: Int = .max) throws
        -> [ChannelOrderLine]
    {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT o.id, o.external_id, l.line_id, l.position, l.sku, l.quantity FROM orders o
                        JOIN order_lines l ON l.order_id = o.id
                        WHERE o.id IN (SELECT id FROM orders WHERE channel = ? AND acknowledgement_document_id IS NULL
                                         AND exchange_of IS NULL AND id > ? ORDER BY id LIMIT ?)
                        ORDER BY o.id, l.position
                        """), arguments: [channel, after, limit]
            ).map { row in
                ChannelOrderLine(
                    orderID: try row.decode(forColumn: "id"), orderNumber: try row.decode(forColumn: "external_id"),
                    lineID: try row.decode(forColumn: "line_id"),
                    position: try row.decode(forColumn: "position"), sku: try row.decode(forColumn: "sku"),
                    quantity: try row.decode(forColumn: "quantity"))
            }
        }
    }

    /// Records order acknowledgements, each with the orders it acknowledges, in one transaction.
    ///
    /// - Throws: ``StoreError/Code/changedMeanwhile`` when another run acknowledged one of the
    ///   orders meanwhile: nothing is recorded.
    package func recordOrderAcknowledgements(_ documents: [DocumentToRecord<[Int64]>], at time: Timestamp) throws
        -> [OutboundDocument]
    {
        try record(documents, kind: .orderAcknowledgement, at: time) { db, orders, document in
            for order in Set(orders).sorted() {
                try cover(db, "orders", "acknowledgement_document_id", id: order, with: document)
            }
        }
    }

    /// Units the seller cancelled that each of `channels` was not told of yet, by channel.
    package func untoldSellerCancellations(channels: [String]) throws -> [String: [ChannelOrderLine]] {
        try read { db in
            var lines: [String: [ChannelOrderLine]] = [:]
            for channel in channels {
                let found = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT c.id AS cancellation, o.id, o.external_id, l.line_id, l.position, l.sku, c.quantity, c.reason
                            FROM seller_cancellations c
                            JOIN orders o ON o.id = c.order_id
                            JOIN order_lines l ON l.order_id = c.order_id AND l.position = c.position
                            WHERE c.document_id IS NULL AND o.channel = ? AND o.exchange_of IS NULL ORDER BY c.id
                            """), arguments: [channel]
                ).map { row in
                    ChannelOrderLine(
                        orderID: try row.decode(forColumn: "id"), orderNumber: try row.decode(forColumn: "external_id"),
                        lineID: try row.decode(forColumn: "line_id"),
                        position: try row.decode(forColumn: "position"), sku: try row.decode(forColumn: "sku"),
                        quantity: try row.decode(forColumn: "quantity"), reason: try row.decode(forColumn: "reason"),
                        cancellationID: try row.decode(forColumn: "cancellation"))
                }
                if !found.isEmpty { lines[channel] = found }
            }
            return lines
        }
    }

    /// Records order cancellations, each with the seller cancellations (ids) it tells of, in one
    /// transaction.
    package func recordSellerCancellations(_ documents: [DocumentToRecord<[Int64]>], at time: Timestamp) throws
        -> [OutboundDocument]
    {
        try record(documents, kind: .orderCancellation, at: time) { db, cancellations, document in
            for id in cancellations { try cover(db, "seller_cancellations", "document_id", id: id, with: document) }
        }
    }

    /// Returns of `channels`' orders the channel was not told of yet, by channel: each with the
    /// units of its line that came back before it (so the worth of these units can be counted on).
    package func untoldChannelReturns(channels: [String]) throws -> [String: [ChannelReturn]] {
        try read { db in
            var byChannel: [String: [ChannelReturn]] = [:]
            // CROSS JOIN keeps the untold returns (a partial index, few) as the outer loop: left to
            // itself SQLite walked every order of the channel to find them, in every cycle.
            for channel in channels {
                for row in try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT r.id, r.order_id, r.position, r.quantity, r.reason, r.condition, r.received_at,
                                (SELECT COALESCE(SUM(e.quantity), 0) FROM returns e
                                 WHERE e.order_id = r.order_id AND e.position = r.position AND e.id < r.id) AS before
                            FROM returns r CROSS JOIN orders o ON o.id = r.order_id
                            WHERE r.channel_document_id IS NULL AND o.channel = ? AND o.exchange_of IS NULL
                            ORDER BY r.id
                            """), arguments: [channel])
                {
                    let orderID: Int64 = try row.decode(forColumn: "order_id")
                    guard let stored = try OrderBook.storedOrder(db, id: orderID) else { continue }
                    byChannel[channel, default: []].append(
                        ChannelReturn(
                            id: try row.decode(forColumn: "id"), orderID: orderID, order: stored.order,
                            position: try row.decode(forColumn: "position"),
                            quantity: try row.decode(forColumn: "quantity"),
                            returnedBefore: try row.decode(forColumn: "before"),
                            reason: try row.decode(forColumn: "reason"),
                            condition: try row.decode(forColumn: "condition"),
                            receivedAt: try row.decode(forColumn: "received_at")))
                }
            }
            return byChannel
        }
    }

    /// Records channel return documents, each with the returns (ids) it tells of, in one transaction.
    package func recordChannelReturns(_ documents: [DocumentToRecord<[Int64]>], at time: Timestamp) throws
        -> [OutboundDocument]
    {
        try record(documents, kind: .channelReturn, at: time) { db, returns, document in
            for id in returns { try cover(db, "returns", "channel_document_id", id: id, with: document) }
        }
    }

    /// Booked shipments of `channel`'s orders no shipping confirmation told of: at most `limit`
    /// with ids above `after`, oldest first, so a peak day's confirmations are made a part at a time.
    package func unconfirmedShipments(channel: String, after: Int64 = 0, limit: Int = .max) throws
        -> [UnconfirmedShipment]
    {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT s.*, o.external_id, l.line_id FROM shipments s
                        JOIN orders o ON o.id = s.order_id
                        JOIN order_lines l ON l.order_id = s.order_id AND l.position = s.position
                        WHERE s.channel = ? AND s.confirmation_document_id IS NULL AND o.exchange_of IS NULL AND s.id > ?
                        ORDER BY s.id LIMIT ?
                        """), arguments: [channel, after, limit]
            ).map { row in
                UnconfirmedShipment(
                    id: try row.decode(forColumn: "id"), channel: try row.decode(forColumn: "channel"),
                    orderNumber: try row.decode(forColumn: "external_id"),
                    lineID: try row.decode(forColumn: "line_id"), sku: try row.decode(forColumn: "sku"),
                    quantity: try row.decode(forColumn: "quantity"), node: try row.decode(forColumn: "node"),
                    shippedAt: try row.decode(forColumn: "shipped_at"),
                    carrier: try row.decode(forColumn: "carrier"),
                    service: try row.decode(forColumn: "service"),
                    trackingNumber: try row.decode(forColumn: "tracking_number"))
            }
        }
    }

    /// Records shipping confirmations, each with the shipments (ids) it confirms, in one transaction.
    package func recordShippingConfirmations(_ documents: [DocumentToRecord<[Int64]>], at time: Timestamp) throws
        -> [OutboundDocument]
    {
        try record(documents, kind: .shippingConfirmation, at: time) { db, shipments, document in
            for id in shipments { try cover(db, "shipments", "confirmation_document_id", id: id, with: document) }
        }
    }

    /// The sellable quantity per SKU `channel` was last told.
    package func inventoryLastTold(channel: String) throws -> [String: Int] {
        try read { db in try Self.inventoryLastTold(db, channel: channel) }
    }

    private static func inventoryLastTold(_ db: Database, channel: String) throws -> [String: Int] {
        var told: [String: Int] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT sku, quantity FROM inventory_feed_levels WHERE channel = ?"),
            arguments: [channel])
        {
            told[try row.decode(forColumn: "sku")] = try row.decode(forColumn: "quantity")
        }
        return told
    }

    /// Records an inventory feed with the levels it tells its channel (the new "last told"), in
    /// one transaction, while what the channel was last told is still what the changes were
    /// computed from.
    ///
    /// - Throws: ``StoreError/Code/changedMeanwhile`` when another run told the channel meanwhile.
    package func recordInventoryFeed(_ document: DocumentToRecord<InventoryChanges>, at time: Timestamp) throws
        -> OutboundDocument
    {
        try write { db in
            let channel = document.destination
            guard try Self.inventoryLastTold(db, channel: channel) == document.covers.lastTold else {
                throw StoreError(
                    .changedMeanwhile, path: path,
                    message: "another run told \(channel) its stock while this one made its inventory feed; nothing "
                        + "was recorded, and the next cycle compares again")
            }
            let outbound = try Self.recordPending(
                db, kind: .inventoryFeed, destination: channel, document.rendered, at: time)
            for (sku, quantity) in document.covers.changed.sorted(by: { $0.key < $1.key }) {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO inventory_feed_levels (channel, sku, quantity, document_id) VALUES (?, ?, ?, ?)
                        ON CONFLICT (channel, sku) DO UPDATE SET quantity = excluded.quantity,
                            document_id = excluded.document_id
                        """
                ).execute(arguments: [channel, sku, quantity, outbound.id])
            }
            return outbound
        }
    }

    /// Records `documents` of `kind` in one transaction; `mark` points the facts each covers at it.
    private func record<Covered>(
        _ documents: [DocumentToRecord<Covered>], kind: OutboundDocumentKind, at time: Timestamp,
        mark: (Database, Covered, Int64) throws -> Void
    ) throws -> [OutboundDocument] {
        guard !documents.isEmpty else { return [] }
        return try write { db in
            try documents.map { document in
                let outbound = try Self.recordPending(
                    db, kind: kind, destination: document.destination, document.rendered, at: time)
                try mark(db, document.covers, outbound.id)
                return outbound
            }
        }
    }
}
