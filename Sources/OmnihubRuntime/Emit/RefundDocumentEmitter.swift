import OmnihubCore
import OmnihubStore

/// Tells the payment side of every refund (`finance.refund_format`): one document per refund
/// for a cancellation before shipment or a credit note, with the payment it goes back to, and
/// the replacement order it pays for when the units were exchanged.
struct RefundDocumentEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "refund documents" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        guard let finance = writer.configuration.finance, let format = finance.refundFormat else { return }
        var after: Int64 = 0
        while true {
            let part = try writer.store.refunds.untoldRefundDocuments(after: after, limit: writer.partSize)
            guard let last = part.last else { return }
            var made: [(refundID: Int64, rendered: RenderedDocument)] = []
            let replacements = try writer.store.orders.byID(part.compactMap(\.0.exchangeOrderID))
            for (refund, stored) in part {
                var document = RefundInstruction(
                    number: "RF-\(refund.id)", destination: finance.refundDestination, wave: time, order: stored.order,
                    cause: refund.cause, reference: refund.reference, amount: refund.amount)
                if let id = refund.exchangeOrderID, let replacement = replacements[id]?.order {
                    let settlement = OrderSettlement(order: replacement, defaultTaxRate: .zero)
                    document.exchangeOrder = replacement.externalID
                    document.exchangeAmount = settlement.amount(settlement.total)
                }
                if let rendered = writer.renderedOrWaiting(document, in: format, &outcome.failures) {
                    made.append((refund.id, rendered))
                }
            }
            let recorded = try writer.store.refunds.recordRefundDocuments(
                made, destination: finance.refundDestination, at: time)
            writer.write(recorded, rendered: made.map(\.rendered), at: time, into: &outcome)
            after = last.0.id
            if writer.stopRequested() { return }
        }
    }
}
