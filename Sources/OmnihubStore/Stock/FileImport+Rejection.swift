import Foundation
import GRDB
package import OmnihubCore

extension FileImport {
    /// What became of a fulfilment rejection.
    package enum RejectionOutcome: Sendable, Hashable {
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
    package func applyRejection(_ notice: InboundNotice, at time: String) throws -> RejectionOutcome {
        guard let node = notice.node else { return .unknownOrder }
        guard let (orderID, order) = try noticedOrder(notice) else { return .unknownOrder }
        var released = 0
        for position in CancellationPolicy.rejectedPositions(notice, of: order) {
            let held = try held(orderID: orderID, position: position, node: node)
            guard held > 0 else { continue }
            try db.cachedStatement(
                sql: """
                    INSERT INTO reservations (node, sku, order_id, position, quantity, kind, run_at)
                    VALUES (?, ?, ?, ?, ?, 'release', ?)
                    """
            ).execute(arguments: [node, order.lines[position - 1].sku, orderID, position, held, time])
            released += held
        }
        guard released > 0 else { return .nothingReserved }
        try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO sourcing_exclusions (order_id, node, file_id) VALUES (?, ?, ?)"
        ).execute(arguments: [orderID, node, fileID])
        try db.cachedStatement(
            sql: "UPDATE orders SET status = ? WHERE id = ?"
        ).execute(arguments: [OrderStatus.open, orderID])
        return .released(units: released)
    }
}
