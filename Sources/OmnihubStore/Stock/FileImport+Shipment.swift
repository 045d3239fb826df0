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
        let statements = try noticeStatements()
        guard let order = try shippedOrder(notice, node: node, statements) else { return .unknownOrder }
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
                let release = statements.insertRelease
                try release.bind(1, node)
                try release.bind(2, line.sku)
                try release.bind(3, order.id)
                try release.bind(4, line.position)
                try release.bind(5, consumed)
                try release.bind(6, shippedAt)
                try release.execute()
            }
            let addShipped = statements.addShipped
            try addShipped.bind(1, units)
            try addShipped.bind(2, order.id)
            try addShipped.bind(3, line.position)
            try addShipped.execute()
            let shipment = statements.insertShipment
            try shipment.bind(1, order.id)
            try shipment.bind(2, line.position)
            try shipment.bind(3, node)
            try shipment.bind(4, line.sku)
            try shipment.bind(5, units)
            try shipment.bind(6, notice.carrier)
            try shipment.bind(7, notice.service)
            try shipment.bind(8, notice.trackingNumber)
            try shipment.bind(9, shippedAt)
            try shipment.bind(10, fileID)
            try shipment.bind(11, record)
            try shipment.bind(12, order.channel)
            try shipment.bind(13, order.invoicedAtPickup)
            try shipment.bind(14, order.onShelf)
            try shipment.execute()
            // A negative delta at the shipment's time: skipped when a later snapshot already counts it.
            let stock = try applyStock(
                InboundNotice(
                    kind: .stockDelta, node: node, occurredAt: notice.occurredAt,
                    lines: [DocumentLine(sku: line.sku, quantity: -units)], source: notice.source))
            if case .beyondCounting(let sku, let onHand, _) = stock {
                throw StoreError(
                    .refused, path: db.filePath,
                    message: "\(node) holds \(onHand) units of \(sku), too few to take \(units) shipped ones from; "
                        + "send a stock snapshot of \(node) with its real on-hand")
            }
            shippedUnits += units
            unreserved += units - consumed
        }
        guard shippedUnits > 0 else { return .nothingOpen }
        if open <= 0 {
            try statements.setOrderStatus.bind(1, OrderStatus.shipped.rawValue)
            try statements.setOrderStatus.bind(2, order.id)
            try statements.setOrderStatus.execute()
        }
        return .shipped(units: shippedUnits, unreserved: unreserved)
    }

    /// The order a shipment names, as booking it needs: its lines as the store holds them (what
    /// is closed, what `node` holds reserved) and whether its units wait on `node`'s pickup shelf.
    /// An order shipped to the customer is read from its columns alone; only a click & collect or
    /// reserve order's stored document is decoded, for its pickup store.
    private func shippedOrder(_ notice: InboundNotice, node: String, _ statements: NoticeStatements) throws
        -> ShippedOrder?
    {
        guard let named = try noticedOrderRow(notice) else { return nil }
        let id = named.id
        var order = ShippedOrder(id: id, channel: named.channel)
        if named.deliveryMethod != DeliveryMethod.ship.rawValue {
            let stored = try document(ofOrder: id)
            order.onShelf = PickupPolicy.isShelf(stored, node: node)
            order.invoicedAtPickup = PickupPolicy.invoicedAtPickup(stored, node: node)
        }
        let lines = statements.shippedLines
        try lines.bind(1, node)
        try lines.bind(2, id)
        try lines.query { line in
            order.lines.append(
                ShippedOrder.Line(
                    position: SQLiteStatement.int(line, 0), lineID: SQLiteStatement.text(line, 1) ?? "",
                    sku: SQLiteStatement.text(line, 2) ?? "", quantity: SQLiteStatement.int(line, 3),
                    closed: SQLiteStatement.int(line, 4), held: SQLiteStatement.optionalInt(line, 5) ?? 0))
            return true
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
