import GRDB
package import OmnihubCore

/// What became of a cancellation.
package enum CancellationOutcome: Sendable, Hashable {
    /// The named lines (or the whole order) are cancelled: `units` of them, `released` units of
    /// stock are free again, and `refunded` goes back to the customer. `notOpen` (position →
    /// units) are units asked for that had shipped or were cancelled before: they stay.
    case cancelled(units: Int, released: Int, wholeOrder: Bool, refunded: Amount, notOpen: [Int: Int])
    /// No stored order has that channel and number.
    case unknownOrder
}

/// Cancels units of an order in the caller's transaction: shared by cancellation requests in
/// files and by customer care.
enum OrderCancellations {
    /// Cancels the lines a cancellation request names (the whole order when it names none): their
    /// reservations are released, the units are no longer sourced, what they were worth is
    /// recorded as a refund, and an order with nothing left becomes `cancelled` (or `shipped`).
    /// A request from anyone but the order's own channel (`requestedBy`) is the seller's: the
    /// channel is told. Shipped units are not undone here: they come back as returns.
    static func cancel(
        _ db: Database, orderID: Int64, order: Order, _ notice: InboundNotice, requestedBy partner: String?,
        reference: String, at time: String
    ) throws -> CancellationOutcome {
        var closed: [Int: Int] = [:]
        var held: [Int: [CancellationPolicy.Held]] = [:]
        for position in order.lines.indices.map({ $0 + 1 }) {
            // Shipped units cannot be cancelled any more; they count as closed like cancelled ones.
            closed[position] =
                try Int.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT cancelled + shipped FROM order_lines WHERE order_id = ? AND position = ?"),
                    arguments: [orderID, position]) ?? 0
            held[position] = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT node, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units FROM reservations
                        WHERE order_id = ? AND position = ? GROUP BY node HAVING units > 0 ORDER BY node
                        """), arguments: [orderID, position]
            ).map { row in
                CancellationPolicy.Held(
                    node: try row.decode(forColumn: "node"), reserved: try row.decode(forColumn: "units"),
                    handedOver: try Outbox.unitsHandedOver(
                        db, orderID: orderID, position: position, node: try row.decode(forColumn: "node")))
            }
        }
        let decision = CancellationPolicy.cancel(notice, of: order, closed: closed, held: held)
        var cancelledBefore: [Int: Int] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT position, cancelled FROM order_lines WHERE order_id = ?"),
            arguments: [orderID])
        {
            cancelledBefore[try row.decode(forColumn: "position")] = try row.decode(forColumn: "cancelled")
        }
        for line in decision.lines {
            let sku = order.lines[line.position - 1].sku
            try db.cachedStatement(
                sql: "UPDATE order_lines SET cancelled = cancelled + ? WHERE order_id = ? AND position = ?"
            ).execute(arguments: [line.units, orderID, line.position])
            if line.units > 0, let partner, partner != order.channel {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO seller_cancellations (order_id, position, quantity, reason, requested_by, requested_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [orderID, line.position, line.units, line.reason, partner, time])
            }
            for release in line.releases {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO reservations (node, sku, order_id, position, quantity, kind, run_at)
                        VALUES (?, ?, ?, ?, ?, 'release', ?)
                        """
                ).execute(arguments: [release.node, sku, orderID, line.position, release.units, time])
                // Units the node was handed: it is sent a fulfilment cancellation.
                if release.takenBack > 0 {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO fulfilment_cancellations (order_id, position, node, sku, quantity, reason, requested_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: [
                        orderID, line.position, release.node, sku, release.takenBack, notice.reason, time,
                    ])
                }
            }
        }
        let shipped =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT SUM(shipped) FROM order_lines WHERE order_id = ?"), arguments: [orderID]
            )
            ?? 0
        if decision.remaining == 0 {
            try db.cachedStatement(
                sql: "UPDATE orders SET status = ? WHERE id = ?"
            ).execute(arguments: [CancellationPolicy.closedStatus(shippedUnits: shipped), orderID])
        }
        let units = decision.lines.reduce(0) { $0 + $1.units }
        // The shipping charge comes back once: with the cancellation that leaves nothing.
        let refunded = try RefundLedger.recordCancellationRefund(
            db, orderID: orderID, order: order,
            units: Dictionary(decision.lines.map { ($0.position, $0.units) }, uniquingKeysWith: +),
            cancelledBefore: cancelledBefore,
            nothingShippedAndAllCancelled: units > 0 && decision.remaining == 0 && shipped == 0,
            reference: reference, at: time)
        if units > 0 {
            let lines = decision.lines.filter { $0.units > 0 }.map { "\"\($0.position)\":\($0.units)" }
            try db.cachedStatement(
                sql: """
                    INSERT INTO cancellations (order_id, reference, requested_by, lines, refunded, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                orderID, reference, partner, "{" + lines.joined(separator: ",") + "}", refunded.description, time,
            ])
        }
        return .cancelled(
            units: units, released: decision.released, wholeOrder: decision.remaining == 0, refunded: refunded,
            notOpen: Dictionary(
                decision.lines.filter { $0.notOpen > 0 }.map { ($0.position, $0.notOpen) }, uniquingKeysWith: +))
    }
}
