import Foundation
import GRDB
package import OmnihubCore

/// A cancellation the customer has not been told of: the units it took, line by line, and what
/// it refunded.
package struct UntoldCancellation: Sendable {
    package let id: Int64
    package let orderID: Int64
    package let order: Order
    /// The units cancelled, as shipments of the order's lines (the id is the cancellation's).
    package let lines: [NotifiedShipment]
    /// What went back to the customer; `nil` when nothing did (the order was not paid yet).
    package let refunded: Amount?
}

extension Outbox {
    /// Cancellations with ids above `after` that took units and have no `order_cancelled`
    /// message yet, but those of exchanges; at most `limit`.
    package func untoldCancellations(after: Int64 = 0, limit: Int = 500) throws -> [UntoldCancellation] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, order_id, lines, refunded FROM cancellations
                        WHERE notification_id IS NULL AND exchange = 0 AND id > ? ORDER BY id LIMIT ?
                        """), arguments: [after, limit]
            ).compactMap { row in
                let id: Int64 = try row.decode(forColumn: "id")
                let orderID: Int64 = try row.decode(forColumn: "order_id")
                guard let stored = try OrderBook.storedOrder(db, id: orderID) else { return nil }
                let text: String = try row.decode(forColumn: "lines")
                let units = (try? JSONDecoder().decode([String: Int].self, from: Data(text.utf8))) ?? [:]
                let lines = units.compactMap { key, quantity -> NotifiedShipment? in
                    guard let position = Int(key), position >= 1, position <= stored.order.lines.count else {
                        return nil
                    }
                    return NotifiedShipment(
                        id: id, orderID: orderID, position: position, node: "",
                        sku: stored.order.lines[position - 1].sku, quantity: quantity, carrier: nil,
                        trackingNumber: nil, fileID: 0)
                }.sorted { $0.position < $1.position }
                let refunded = Amount(parsing: try row.decode(forColumn: "refunded") as String)
                return UntoldCancellation(
                    id: id, orderID: orderID, order: stored.order, lines: lines,
                    refunded: refunded.flatMap { $0 > .zero ? $0 : nil })
            }
        }
    }

    /// Records `order_cancelled` messages (cancellation id → message) with their files, in one
    /// transaction.
    package func recordCancellationNotifications(
        _ notifications: [(cancellationID: Int64, notification: NotificationToRecord)], destination: String,
        at time: Timestamp
    ) throws -> [OutboundDocument] {
        guard !notifications.isEmpty else { return [] }
        return try write { db in
            var documents: [OutboundDocument] = []
            for (cancellationID, notification) in notifications {
                let (id, file) = try Self.recordNotification(
                    db, notification.request, notification.rendered, to: destination, at: time)
                try cover(db, "cancellations", "notification_id", id: cancellationID, with: id)
                if let file { documents.append(file) }
            }
            return documents
        }
    }
}
