import Foundation
import GRDB
public import OmnihubCore

/// A shipment a customer notification is about.
public struct NotifiedShipment: Sendable, Hashable {
    public let id: Int64
    public let position: Int
    public let node: String
    public let sku: String
    public let quantity: Int
    public let carrier: String?
    public let trackingNumber: String?
}

/// One customer notification to make: the order, the event, what it is about.
public struct NotificationRequest: Sendable {
    public let order: StoredOrder
    public let event: CustomerNotification.Event
    /// What makes it one of a kind for the order: the parcel's tracking number, the credit note's
    /// number, or empty for the order confirmation.
    public let reference: String
    /// The shipments it tells of (shipped, ready for pickup).
    public let shipments: [NotifiedShipment]
    /// The refunded amount (refund issued).
    public var amount: Amount?
}

extension OrderStore {
    /// Records the customer notifications that are due, each once, in one transaction: an order
    /// confirmation for every order imported since `confirmSince` that has units left, and one
    /// message per parcel not told of yet (`ready_for_pickup` when the pickup store itself
    /// booked it for a click & collect or reserve order, else `shipped`). `render` gives the file,
    /// or `nil` when there is nothing to send (no e-mail address); that is recorded too, so the
    /// event is not looked at again. A notification `render` throws for is left out and returned
    /// with the reason; it is tried again next run, and the others are recorded.
    ///
    /// At most `limit` orders are looked at, those with ids above `after`, so a large batch is
    /// recorded, written and let go of in parts; the last order id looked at is returned (`nil`
    /// when there was none: the run is done).
    public func recordCustomerNotifications(
        at time: Timestamp, confirmSince: Timestamp, destination: String, after: Int64 = 0, limit: Int = 500,
        render: (NotificationRequest) throws -> RenderedDocument?
    ) throws -> RecordedPart {
        try write { db in
            let toConfirm = """
                SELECT o.id FROM orders o
                WHERE o.id > ?1 AND o.imported_at >= ?2
                  AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.quantity > l.cancelled)
                  AND NOT EXISTS (SELECT 1 FROM customer_notifications n
                                  WHERE n.order_id = o.id AND n.event = 'order_confirmed')
                """
            let orders = try Int64.fetchAll(
                db,
                sql: """
                    SELECT id FROM (\(toConfirm)
                        UNION SELECT order_id FROM shipments WHERE notification_id IS NULL AND order_id > ?1)
                    ORDER BY id LIMIT ?3
                    """, arguments: [after, confirmSince.description, limit])
            guard let last = orders.last else { return RecordedPart() }
            var part = RecordedPart(last: last)
            // An order confirmed and shipped in the same part is read once.
            var read: [Int64: StoredOrder] = [:]
            func order(_ id: Int64) throws -> StoredOrder? {
                if let order = read[id] { return order }
                let order = try Self.storedOrder(db, id: id)
                read[id] = order
                return order
            }
            /// Records one notification in a savepoint, so a failure leaves nothing behind.
            func record(_ request: NotificationRequest, marking shipments: [NotifiedShipment]) throws {
                try part.attempt(db, order: request.order.order.externalID) {
                    let (id, document) = try Self.recordNotification(db, request, to: destination, at: time, render)
                    for shipment in shipments {
                        try db.execute(
                            sql: "UPDATE shipments SET notification_id = ? WHERE id = ?", arguments: [id, shipment.id])
                    }
                    return document
                }
            }
            for id in try Int64.fetchAll(
                db, sql: toConfirm + " AND o.id <= ?3 ORDER BY o.id",
                arguments: [after, confirmSince.description, last])
            {
                guard let order = try order(id) else { continue }
                try record(
                    NotificationRequest(order: order, event: .orderConfirmed, reference: "", shipments: []),
                    marking: [])
            }
            var parcels: [String: [(orderID: Int64, shipment: NotifiedShipment)]] = [:]
            var keys: [String] = []
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM shipments WHERE notification_id IS NULL AND order_id > ? AND order_id <= ?
                    ORDER BY order_id, id
                    """, arguments: [after, last])
            {
                let shipment = NotifiedShipment(
                    id: row["id"], position: row["position"], node: row["node"], sku: row["sku"],
                    quantity: row["quantity"], carrier: row["carrier"], trackingNumber: row["tracking_number"])
                // A parcel is its tracking number; a handover without one (the pickup shelf) is
                // the shipments of one node in one file.
                let parcel = shipment.trackingNumber ?? "\(shipment.node)-\(row["file_id"] as Int64)"
                let key = "\(row["order_id"] as Int64)|\(parcel)"
                if parcels[key] == nil { keys.append(key) }
                parcels[key, default: []].append((row["order_id"], shipment))
            }
            for key in keys {
                let entries = parcels[key]!
                guard let order = try order(entries[0].orderID) else { continue }
                let shipments = entries.map(\.shipment)
                let delivery = order.order.delivery
                let atPickupStore = delivery.method != .ship && shipments[0].node == delivery.pickupNode
                let request = NotificationRequest(
                    order: order, event: atPickupStore ? .readyForPickup : .shipped,
                    reference: String(key.drop { $0 != "|" }.dropFirst()), shipments: shipments)
                try record(request, marking: shipments)
            }
            return part
        }
    }

    /// Records one notification (and its file, when `render` gives one); a second request for
    /// the same order, event and reference records nothing and returns the first one's id.
    static func recordNotification(
        _ db: Database, _ request: NotificationRequest, to destination: String, at time: Timestamp,
        _ render: (NotificationRequest) throws -> RenderedDocument?
    ) throws -> (id: Int64, document: OutboundDocument?) {
        if let existing = try Int64.fetchOne(
            db, sql: "SELECT id FROM customer_notifications WHERE order_id = ? AND event = ? AND reference = ?",
            arguments: [request.order.id, request.event.rawValue, request.reference])
        {
            return (existing, nil)
        }
        var document: OutboundDocument?
        if let rendered = try render(request) {
            document = try recordPending(
                db, kind: "customer_notification", destination: destination, rendered, at: time)
        }
        try db.execute(
            sql: """
                INSERT INTO customer_notifications (order_id, event, reference, document_id, created_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [request.order.id, request.event.rawValue, request.reference, document?.id, time.description])
        return (db.lastInsertedRowID, document)
    }
}
