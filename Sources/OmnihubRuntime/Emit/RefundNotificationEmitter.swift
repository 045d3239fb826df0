import OmnihubCore
import OmnihubStore

/// Tells customers what came back for units cancelled before they shipped: one
/// `order_cancelled` message per cancellation that refunded money, each once. (Refunds by credit
/// note carry their `refund_issued` message with the credit note.)
struct RefundNotificationEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "cancellation messages" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        guard let settings = writer.configuration.notifications else { return }
        var after: Int64 = 0
        while true {
            let part = try writer.store.refunds.untoldCancellationRefunds(after: after, limit: writer.partSize)
            guard let last = part.last else { return }
            var toRecord: [(refundID: Int64, notification: NotificationToRecord)] = []
            for (refund, stored) in part {
                let request = NotificationRequest(
                    orderID: stored.id, order: stored.order, event: .orderCancelled, reference: String(refund.id),
                    shipments: [], amount: refund.amount)
                do {
                    let rendered = try NotificationEmitter(writer: writer).notification(request, settings, at: time)
                    toRecord.append((refund.id, NotificationToRecord(request: request, rendered: rendered)))
                } catch {
                    writer.refuse(
                        what: "cancellation message", order: stored.order.externalID, reason: error,
                        until: "it is made", into: &outcome)
                }
            }
            let recorded = try writer.store.refunds.recordRefundNotifications(
                toRecord, destination: settings.destination, at: time)
            writer.write(recorded, rendered: toRecord.compactMap(\.notification.rendered), at: time, into: &outcome)
            after = last.0.id
            if writer.stopRequested() { return }
        }
    }
}
