import GRDB
package import OmnihubCore

/// A return the customer has not been told of: the parts booked together (one return notice,
/// or one entry at a counter), as shipments of what came back.
package struct UntoldReturn: Sendable {
    /// The returns rows, the first of which names the message.
    package let returnIDs: [Int64]
    package let orderID: Int64
    package let order: Order
    /// What came back, one entry per part (its id is the return's; carrier and tracking are empty).
    package let parts: [NotifiedShipment]
}

extension Outbox {
    /// Returns booked since `since` whose customer has no `return_received` message, with ids
    /// above `after`, at most `limit` rows, grouped into the returns they were booked as.
    package func untoldReturns(since: Timestamp, after: Int64 = 0, limit: Int = 500) throws -> [UntoldReturn] {
        try read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, order_id, position, node, sku, quantity, reference, received_at FROM returns
                        WHERE notification_id IS NULL AND id > ? AND received_at >= ? ORDER BY id LIMIT ?
                        """), arguments: [after, since.description, limit])
            struct Key: Hashable {
                let orderID: Int64
                let reference: String?
                let receivedAt: String
            }
            var groups: [Key: [Row]] = [:]
            var keys: [Key] = []
            for row in rows {
                let key = Key(
                    orderID: try row.decode(forColumn: "order_id"), reference: try row.decode(forColumn: "reference"),
                    receivedAt: try row.decode(forColumn: "received_at"))
                if groups[key] == nil { keys.append(key) }
                groups[key, default: []].append(row)
            }
            return try keys.compactMap { key in
                guard let stored = try OrderBook.storedOrder(db, id: key.orderID), let parts = groups[key] else {
                    return nil
                }
                return UntoldReturn(
                    returnIDs: try parts.map { try $0.decode(forColumn: "id") }, orderID: key.orderID,
                    order: stored.order,
                    parts: try parts.map { row in
                        NotifiedShipment(
                            id: try row.decode(forColumn: "id"), orderID: key.orderID,
                            position: try row.decode(forColumn: "position"),
                            node: try row.decode(forColumn: "node") ?? "", sku: try row.decode(forColumn: "sku"),
                            quantity: try row.decode(forColumn: "quantity"), carrier: nil, trackingNumber: nil,
                            fileID: 0)
                    })
            }
        }
    }

    /// Records `return_received` messages (each with the returns rows it tells of) and their
    /// files, in one transaction.
    package func recordReturnNotifications(
        _ notifications: [(returnIDs: [Int64], notification: NotificationToRecord)], destination: String,
        at time: Timestamp
    ) throws -> [OutboundDocument] {
        guard !notifications.isEmpty else { return [] }
        return try write { db in
            var documents: [OutboundDocument] = []
            for (returnIDs, notification) in notifications {
                let (id, file) = try Self.recordNotification(
                    db, notification.request, notification.rendered, to: destination, at: time)
                if let file { documents.append(file) }
                for returnID in returnIDs { try cover(db, "returns", "notification_id", id: returnID, with: id) }
            }
            return documents
        }
    }
}
