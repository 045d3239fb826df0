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
        guard let order = try shippedOrder(notice, node: node) else { return .unknownOrder }
        let shippedAt = notice.occurredAt?.description ?? importedAt
        let record = notice.source?.record ?? 0
        var shippedUnits = 0
        var unreserved = 0
        var open = 0
        for line in order.lines {
            let requested: Int
            if notice.lines.isEmpty {
                requested = line.held
            } else {
                let named = notice.lines.filter { $0.names(lineID: line.lineID, sku: line.sku) }
                requested = named.reduce(0) { $0 + ($1.quantity ?? 0) }
            }
            let units = min(requested, line.quantity - line.closed)
            open += line.quantity - line.closed - max(units, 0)
            guard units > 0 else { continue }
            let consumed = min(max(line.held, 0), units)
            if consumed > 0 {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO reservations (node, sku, order_id, position, quantity, kind, run_at)
                        VALUES (?, ?, ?, ?, ?, 'release', ?)
                        """
                ).execute(arguments: [node, line.sku, order.id, line.position, consumed, shippedAt])
            }
            try db.cachedStatement(
                sql: "UPDATE order_lines SET shipped = shipped + ? WHERE order_id = ? AND position = ?"
            ).execute(arguments: [units, order.id, line.position])
            try db.cachedStatement(
                sql: """
                    INSERT INTO shipments (order_id, position, node, sku, quantity, carrier, service, tracking_number,
                                           shipped_at, file_id, record, channel, awaits_pickup, on_shelf)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                order.id, line.position, node, line.sku, units, notice.carrier, notice.service,
                notice.trackingNumber, shippedAt, fileID, record, order.channel, order.invoicedAtPickup,
                order.onShelf,
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
        if open <= 0 {
            try db.cachedStatement(
                sql: "UPDATE orders SET status = ? WHERE id = ?"
            ).execute(arguments: [OrderStatus.shipped, order.id])
        }
        return .shipped(units: shippedUnits, unreserved: unreserved)
    }

    /// The order a shipment names, as booking it needs: its lines as the store holds them (what
    /// is closed, what `node` holds reserved) and whether its units wait on `node`'s pickup shelf.
    /// An order shipped to the customer is read from its columns alone; only a click & collect or
    /// reserve order's stored document is decoded, for its pickup store.
    private func shippedOrder(_ notice: InboundNotice, node: String) throws -> ShippedOrder? {
        guard let named = try noticedOrderRow(notice) else { return nil }
        let id = named.id
        var order = ShippedOrder(id: id, channel: named.channel)
        if named.deliveryMethod != DeliveryMethod.ship.rawValue {
            let stored = try document(ofOrder: id)
            order.onShelf = PickupPolicy.isShelf(stored, node: node)
            order.invoicedAtPickup = PickupPolicy.invoicedAtPickup(stored, node: node)
        }
        let lines = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT l.position, l.line_id, l.sku, l.quantity, l.cancelled + l.shipped,
                        (SELECT SUM(CASE r.kind WHEN 'reserve' THEN r.quantity ELSE -r.quantity END) FROM reservations r
                         WHERE r.order_id = l.order_id AND r.position = l.position AND r.node = ?)
                    FROM order_lines l WHERE l.order_id = ? ORDER BY l.position
                    """), arguments: [node, id])
        while let line = try lines.next() {
            order.lines.append(
                ShippedOrder.Line(
                    position: line[0], lineID: line[1], sku: line[2], quantity: line[3], closed: line[4],
                    held: line[5] ?? 0))
        }
        return order
    }
}

/// An order as booking a shipment reads it.
private struct ShippedOrder {
    struct Line {
        let position: Int
        let lineID: String
        let sku: String
        let quantity: Int
        /// Units cancelled or shipped already.
        let closed: Int
        /// Units reserved for the line at the shipping node now.
        let held: Int
    }

    let id: Int64
    let channel: String
    var lines: [Line] = []
    /// Whether the shipped units wait on the node's pickup shelf (click & collect, reserve).
    var onShelf = false
    /// Whether they are invoiced only when collected (reserve).
    var invoicedAtPickup = false
}
