import Foundation
import GRDB
public import OmnihubCore

extension FileImport {
    /// What became of a fulfilment rejection.
    public enum RejectionOutcome: Sendable, Hashable {
        /// Reservations at the rejecting node were released; the order is open to be sourced again.
        case released(units: Int)
        /// No stored order has that channel and number.
        case unknownOrder
        /// The node held no reservation for the lines it rejected.
        case nothingReserved
    }

    /// Releases what a node rejected (a store that cannot find an item, a dropshipper out of
    /// stock) and keeps the node away from the order, so the next sourcing run places those lines
    /// elsewhere; the order's other lines keep their reservations.
    public func applyRejection(_ notice: InboundNotice, at time: String) throws -> RejectionOutcome {
        guard let node = notice.node else { return .unknownOrder }
        guard let (orderID, order) = try noticedOrder(notice) else { return .unknownOrder }
        // Which positions the rejection names: by line id, else by SKU; no lines means all of them.
        var positions: [Int] = []
        for (index, line) in order.lines.enumerated() {
            let named =
                notice.lines.isEmpty
                || notice.lines.contains { $0.names(line) }
            if named { positions.append(index + 1) }
        }
        var released = 0
        for position in positions {
            let held = try held(orderID: orderID, position: position, node: node)
            guard held > 0 else { continue }
            try db.execute(
                sql: """
                    INSERT INTO reservations (node, sku, order_id, position, quantity, kind, run_at)
                    VALUES (?, ?, ?, ?, ?, 'release', ?)
                    """, arguments: [node, order.lines[position - 1].sku, orderID, position, held, time])
            released += held
        }
        guard released > 0 else { return .nothingReserved }
        try db.execute(
            sql: "INSERT OR IGNORE INTO sourcing_exclusions (order_id, node, file_id) VALUES (?, ?, ?)",
            arguments: [orderID, node, fileID])
        try db.execute(
            sql: "UPDATE orders SET status = ? WHERE id = ?", arguments: [OrderStatus.open.rawValue, orderID])
        return .released(units: released)
    }

    /// What became of a cancellation request.
    public enum CancellationOutcome: Sendable, Hashable {
        /// The named lines (or the whole order) are cancelled; `released` units of stock are free again.
        case cancelled(released: Int, wholeOrder: Bool)
        /// No stored order has that channel and number.
        case unknownOrder
    }

    /// Cancels the lines a cancellation request names (the whole order when it names none): their
    /// reservations are released, the units are no longer sourced, and an order with nothing left
    /// becomes `cancelled`. Shipped units are the lifecycle's business and are not undone here.
    public func applyCancellation(_ notice: InboundNotice, at time: String) throws -> CancellationOutcome {
        guard let (orderID, order) = try noticedOrder(notice) else { return .unknownOrder }
        var released = 0
        var remaining = 0
        for (index, line) in order.lines.enumerated() {
            let position = index + 1
            let request = notice.lines.first { $0.names(line) }
            // Shipped units cannot be cancelled any more; they count as closed like cancelled ones.
            let cancelled =
                try Int.fetchOne(
                    db, sql: "SELECT cancelled + shipped FROM order_lines WHERE order_id = ? AND position = ?",
                    arguments: [orderID, position]) ?? 0
            guard notice.lines.isEmpty || request != nil else {
                remaining += line.quantity - cancelled
                continue
            }
            let units = min(line.quantity - cancelled, request?.quantity ?? line.quantity)
            remaining += line.quantity - cancelled - units
            try db.execute(
                sql: "UPDATE order_lines SET cancelled = cancelled + ? WHERE order_id = ? AND position = ?",
                arguments: [units, orderID, position])
            // A cancellation from anyone but the order's own channel is the seller's: the channel
            // is told, with the reason.
            if units > 0,
                let partner = try String.fetchOne(
                    db, sql: "SELECT partner FROM files WHERE id = ?", arguments: [fileID]), partner != order.channel
            {
                try db.execute(
                    sql: """
                        INSERT INTO seller_cancellations (order_id, position, quantity, reason, requested_by, requested_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [orderID, position, units, request?.reason ?? notice.reason, partner, time])
            }
            var releasedFromLine = 0
            for held in try Row.fetchAll(
                db,
                sql: """
                    SELECT node, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS units FROM reservations
                    WHERE order_id = ? AND position = ? GROUP BY node HAVING units > 0 ORDER BY node
                    """, arguments: [orderID, position])
            {
                let take = min(held["units"] as Int, units - releasedFromLine)
                guard take > 0 else { continue }
                let node: String = held["node"]
                try db.execute(
                    sql: """
                        INSERT INTO reservations (node, sku, order_id, position, quantity, kind, run_at)
                        VALUES (?, ?, ?, ?, ?, 'release', ?)
                        """, arguments: [node, line.sku, orderID, position, take, time])
                // Units reserved but not handed over yet are taken first: they need no message. The
                // rest were in a fulfilment order, and the node is sent a fulfilment cancellation.
                let handedOver = try OrderStore.unitsHandedOver(db, orderID: orderID, position: position, node: node)
                let notHandedOver = max(0, held["units"] as Int - handedOver)
                let toCancel = min(take - min(take, notHandedOver), handedOver)
                if toCancel > 0 {
                    try db.execute(
                        sql: """
                            INSERT INTO fulfilment_cancellations (order_id, position, node, sku, quantity, reason, requested_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [orderID, position, node, line.sku, toCancel, notice.reason, time])
                }
                released += take
                releasedFromLine += take
            }
        }
        if remaining == 0 {
            // Nothing left to ship: an order that shipped some units is shipped, else cancelled.
            let shipped =
                try Int.fetchOne(
                    db, sql: "SELECT SUM(shipped) FROM order_lines WHERE order_id = ?", arguments: [orderID])
                ?? 0
            try db.execute(
                sql: "UPDATE orders SET status = ? WHERE id = ?",
                arguments: [shipped > 0 ? OrderStatus.shipped.rawValue : OrderStatus.cancelled.rawValue, orderID])
        }
        return .cancelled(released: released, wholeOrder: remaining == 0)
    }
}
