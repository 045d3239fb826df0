import Foundation
import GRDB
package import OmnihubCore

/// What became of a pickup confirmation.
package enum PickupOutcome: Sendable, Hashable {
    /// The customer collected `units`.
    case pickedUp(units: Int)
    /// No stored order has that channel and number.
    case unknownOrder
    /// The confirmation does not fit what waits on the shelf: nothing was booked.
    case refused(String)
}

/// Click & collect and reserve orders on their pickup store's shelf: collected units, reminders
/// and expiry.
package struct OrderPickups: StoreTopic {
    let database: StoreDatabase

    /// An order with units on its pickup shelf.
    package struct Waiting: Sendable {
        package let stored: StoredOrder
        /// Position → units on the shelf.
        package let shelf: [Int: Int]
        /// When the store put the first of them on the shelf.
        package let readyAt: Timestamp
        /// Whether the customer was reminded.
        package let reminded: Bool
    }

    /// Units on `order`'s pickup shelf by position (booked by the pickup store, not collected and
    /// not expired), and when the first of them was put there.
    static func shelf(_ db: Database, orderID: Int64, order: Order) throws -> (shelf: [Int: Int], readyAt: String?) {
        guard order.delivery.method != .ship, let node = order.delivery.pickupNode else { return ([:], nil) }
        var shelf: [Int: Int] = [:]
        var readyAt: String?
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT position, SUM(quantity - collected) AS units, MIN(shipped_at) AS ready FROM shipments
                    WHERE order_id = ? AND node = ? AND on_shelf = 1 GROUP BY position
                    """), arguments: [orderID, node])
        {
            shelf[try row.decode(forColumn: "position")] = try row.decode(forColumn: "units")
            let ready: String = try row.decode(forColumn: "ready")
            readyAt = min(readyAt ?? ready, ready)
        }
        return (shelf.filter { $0.value > 0 }, readyAt)
    }

    /// Books that the customer collected `units` (position → units) of an order at its pickup
    /// store, in the caller's transaction: the lines count them as picked up, and the shelf's
    /// shipments are marked collected oldest first (a reserve order's are invoiced then; a
    /// shipment partly collected waits for the rest).
    static func pickUp(_ db: Database, orderID: Int64, order: Order, units: [Int: Int], at time: String) throws {
        guard let node = order.delivery.pickupNode else { return }
        for (position, quantity) in units.sorted(by: { $0.key < $1.key }) {
            try db.cachedStatement(
                sql: "UPDATE order_lines SET picked_up = picked_up + ? WHERE order_id = ? AND position = ?"
            ).execute(arguments: [quantity, orderID, position])
            var left = quantity
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, quantity - collected AS waiting FROM shipments WHERE order_id = ? AND position = ?
                        AND node = ? AND on_shelf = 1 ORDER BY id
                        """), arguments: [orderID, position, node])
            where left > 0 {
                let id: Int64 = try row.decode(forColumn: "id")
                let take = min(left, try row.decode(forColumn: "waiting") as Int)
                left -= take
                try db.cachedStatement(
                    sql: "UPDATE shipments SET collected = collected + ? WHERE id = ?"
                ).execute(arguments: [take, id])
                // A shipment leaves the shelf once all of it is collected (a reserve order's is invoiced then).
                try db.cachedStatement(
                    sql: """
                        UPDATE shipments SET picked_up_at = ?, awaits_pickup = 0, on_shelf = 0
                        WHERE id = ? AND collected = quantity
                        """
                ).execute(arguments: [time, id])
            }
        }
    }

    /// Orders with units on their pickup shelf, with ids above `after`, oldest order first.
    package func waiting(after: Int64 = 0, limit: Int = 500) throws -> (orders: [Waiting], last: Int64?) {
        try read { db in
            let ids = try Int64.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT DISTINCT order_id FROM shipments WHERE on_shelf = 1 AND order_id > ?
                        ORDER BY order_id LIMIT ?
                        """), arguments: [after, limit])
            var orders: [Waiting] = []
            for id in ids {
                guard let stored = try OrderBook.storedOrder(db, id: id) else { continue }
                let (shelf, ready) = try Self.shelf(db, orderID: id, order: stored.order)
                guard !shelf.isEmpty, let ready, let readyAt = try? DateTimeFormat.iso8601.parse(ready, zone: nil)
                else { continue }
                let reminded =
                    try Bool.fetchOne(
                        db.cachedStatement(
                            sql: "SELECT EXISTS (SELECT 1 FROM customer_notifications WHERE order_id = ? AND event = ?)"
                        ),
                        arguments: [id, CustomerNotification.Event.pickupReminder.rawValue]) ?? false
                orders.append(Waiting(stored: stored, shelf: shelf, readyAt: readyAt, reminded: reminded))
            }
            return (orders, ids.last)
        }
    }

    /// Records the reminder of an order waiting on the shelf (its message, or only the fact when
    /// there is no message to write).
    package func recordReminder(_ notification: NotificationToRecord, destination: String, at time: Timestamp) throws
        -> [OutboundDocument]
    {
        try write { db in
            let (_, file) = try Outbox.recordNotification(
                db, notification.request, notification.rendered, to: destination, at: time)
            return file.map { [$0] } ?? []
        }
    }

    /// Expires what waits on an order's shelf: the units go back into the pickup store's stock as
    /// a return (credited when they were invoiced: click & collect; a reserve order was never
    /// invoiced), the shelf's shipments are closed, an order nothing of which was collected is
    /// `cancelled`, and the customer's message is recorded.
    package func expire(
        _ waiting: Waiting, at time: Timestamp, message: (notification: NotificationToRecord, destination: String)?
    ) throws -> [OutboundDocument] {
        try write { db in
            let order = waiting.stored.order
            guard let node = order.delivery.pickupNode else { return [] }
            let lines = waiting.shelf.sorted { $0.key < $1.key }.map { position, units in
                DocumentLine(lineID: order.lines[position - 1].lineID, quantity: units, reason: "not collected")
            }
            let outcome = try OrderReturns.receive(
                db, orderID: waiting.stored.id, order: order, lines: lines, node: node,
                reference: "not collected since \(waiting.readyAt)", at: time.description,
                origin: .enteredBy("pickup expiry"), resellable: [],
                toCredit: !PickupPolicy.invoicedAtPickup(order, node: node))
            if case .refused(let message) = outcome {
                throw StoreError(.refused, path: path, message: message)
            }
            try db.cachedStatement(
                sql: """
                    UPDATE shipments SET expired_at = ?, on_shelf = 0 WHERE order_id = ? AND node = ? AND on_shelf = 1
                    """
            ).execute(arguments: [time, waiting.stored.id, node])
            let collected =
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT SUM(picked_up) FROM order_lines WHERE order_id = ?"),
                    arguments: [waiting.stored.id]
                )
                ?? 0
            if collected == 0 {
                try db.cachedStatement(
                    sql: "UPDATE orders SET status = ? WHERE id = ?"
                ).execute(arguments: [OrderStatus.cancelled, waiting.stored.id])
            }
            guard let (notification, destination) = message else { return [] }
            let (id, file) = try Outbox.recordNotification(
                db, notification.request, notification.rendered, to: destination, at: time)
            // The expiry message tells of the units going back: no return_received for them.
            if case .received(_, _, let returns) = outcome {
                for returnID in returns { try cover(db, "returns", "notification_id", id: returnID, with: id) }
            }
            return file.map { [$0] } ?? []
        }
    }
}

extension FileImport {
    /// Books a pickup confirmation from a file, in the file's transaction: the units it names (or
    /// every unit on the shelf) were collected (see ``PickupPolicy``).
    package func applyPickup(_ notice: InboundNotice) throws -> PickupOutcome {
        guard let (orderID, order) = try noticedOrder(notice) else { return .unknownOrder }
        let (shelf, _) = try OrderPickups.shelf(db, orderID: orderID, order: order)
        switch PickupPolicy.pickUp(notice.lines, of: order, shelf: shelf) {
        case .failure(let refusal):
            return .refused(refusal.message)
        case .success(let units):
            try OrderPickups.pickUp(
                db, orderID: orderID, order: order, units: units, at: notice.occurredAt?.description ?? importedAt)
            return .pickedUp(units: units.values.reduce(0, +))
        }
    }
}
