import Foundation
import GRDB
package import OmnihubCore

extension FileImport {
    /// What became of a shipment confirmation.
    package enum ShipmentOutcome: Sendable, Hashable {
        /// `units` left the node; `unreserved` of them were not reserved there (the node shipped
        /// more than it was asked to, or lines sourced elsewhere).
        case shipped(units: Int, unreserved: Int)
        /// No stored order has that channel and number.
        case unknownOrder
        /// The named lines have nothing open left to ship (already shipped or cancelled).
        case nothingOpen
    }

    /// Books a node's shipment confirmation, in the file's transaction: the shipped units consume
    /// the node's reservation, leave its on-hand (unless the node's latest snapshot is from after
    /// the shipment and already counts them), and are marked shipped on their order lines. A line
    /// is named by line id, else by SKU; a confirmation without lines ships everything the node
    /// holds for the order. An order with nothing left open becomes `shipped`.
    package func applyShipment(_ notice: InboundNotice) throws -> ShipmentOutcome {
        guard let node = notice.node else { return .unknownOrder }
        guard let (orderID, order) = try noticedOrder(notice) else { return .unknownOrder }
        let shippedAt = notice.occurredAt?.description ?? importedAt
        let record = notice.source?.record ?? 0
        var shippedUnits = 0
        var unreserved = 0
        for (index, line) in order.lines.enumerated() {
            let position = index + 1
            let held = try held(orderID: orderID, position: position, node: node)
            let requested: Int
            if notice.lines.isEmpty {
                requested = held
            } else {
                let named = notice.lines.filter { $0.names(line) }
                requested = named.reduce(0) { $0 + ($1.quantity ?? 0) }
            }
            let closed =
                try Int.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT cancelled + shipped FROM order_lines WHERE order_id = ? AND position = ?"),
                    arguments: [orderID, position]) ?? 0
            let units = min(requested, line.quantity - closed)
            guard units > 0 else { continue }
            let consumed = min(max(held, 0), units)
            if consumed > 0 {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO reservations (node, sku, order_id, position, quantity, kind, run_at)
                        VALUES (?, ?, ?, ?, ?, 'release', ?)
                        """
                ).execute(arguments: [node, line.sku, orderID, position, consumed, shippedAt])
            }
            try db.cachedStatement(
                sql: "UPDATE order_lines SET shipped = shipped + ? WHERE order_id = ? AND position = ?"
            ).execute(arguments: [units, orderID, position])
            try db.cachedStatement(
                sql: """
                    INSERT INTO shipments (order_id, position, node, sku, quantity, carrier, service, tracking_number,
                                           shipped_at, file_id, record, channel, awaits_pickup, on_shelf)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                orderID, position, node, line.sku, units, notice.carrier, notice.service, notice.trackingNumber,
                shippedAt, fileID, record, order.channel, PickupPolicy.invoicedAtPickup(order, node: node),
                PickupPolicy.isShelf(order, node: node),
            ])
            // A negative delta at the shipment's time: skipped when a later snapshot already counts it.
            _ = try applyStock(
                InboundNotice(
                    kind: .stockDelta, node: node, occurredAt: notice.occurredAt,
                    lines: [DocumentLine(sku: line.sku, quantity: -units)], source: notice.source))
            shippedUnits += units
            unreserved += units - consumed
        }
        guard shippedUnits > 0 else { return .nothingOpen }
        let open =
            try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT SUM(quantity - cancelled - shipped) FROM order_lines WHERE order_id = ?"),
                arguments: [orderID]) ?? 0
        if open <= 0 {
            try db.cachedStatement(
                sql: "UPDATE orders SET status = ? WHERE id = ?"
            ).execute(arguments: [OrderStatus.shipped, orderID])
        }
        return .shipped(units: shippedUnits, unreserved: unreserved)
    }
}
