import OmnihubCore
import OmnihubStore

/// Tells customers of units cancelled before they shipped: one `order_cancelled` message per
/// cancellation, with its lines and what it refunded (nothing when the order was not paid yet),
/// each once. An exchange's cancellation is told by the exchange's messages instead.
struct CancellationNotificationEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "cancellation messages" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        guard let settings = writer.configuration.notifications else { return }
        var after: Int64 = 0
        while true {
            let part = try writer.store.outbox.untoldCancellations(after: after, limit: writer.partSize)
            guard let last = part.last else { return }
            var toRecord: [(cancellationID: Int64, notification: NotificationToRecord)] = []
            for cancellation in part {
                let request = NotificationRequest(
                    orderID: cancellation.orderID, order: cancellation.order, event: .orderCancelled,
                    reference: "C\(cancellation.id)", shipments: cancellation.lines, amount: cancellation.refunded)
                do {
                    let rendered = try NotificationEmitter(writer: writer).notification(request, settings, at: time)
                    toRecord.append((cancellation.id, NotificationToRecord(request: request, rendered: rendered)))
                } catch {
                    writer.refuse(
                        what: "cancellation message", order: cancellation.order.externalID, reason: error,
                        until: "it is made", into: &outcome)
                }
            }
            let recorded = try writer.store.outbox.recordCancellationNotifications(
                toRecord, destination: settings.destination, at: time)
            writer.write(recorded, rendered: toRecord.compactMap(\.notification.rendered), at: time, into: &outcome)
            after = last.id
            if writer.stopRequested() { return }
        }
    }
}
