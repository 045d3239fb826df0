import GRDB
package import OmnihubCore

extension FileImport {
    /// Books a cancellation request from a file, in the file's transaction (see ``OrderCancellations``).
    package func applyCancellation(_ notice: InboundNotice, at time: String) throws -> CancellationOutcome {
        guard let (orderID, order) = try noticedOrder(notice) else { return .unknownOrder }
        // A cancellation from anyone but the order's own channel is the seller's: the channel is
        // told, with the reason.
        let partner = try String.fetchOne(
            db.cachedStatement(sql: "SELECT partner FROM files WHERE id = ?"), arguments: [fileID])
        return try OrderCancellations.cancel(
            db, orderID: orderID, order: order, notice, requestedBy: partner,
            reference: "file \(fileID) record \(notice.source?.record ?? 0)", at: time)
    }
}
