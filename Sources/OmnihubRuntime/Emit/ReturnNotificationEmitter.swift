import OmnihubCore
import OmnihubStore

/// Tells customers that what they sent back arrived: one `return_received` message per return
/// (the parts one notice or one counter entry booked), each once, for returns booked within the
/// confirmation window (`notifications.confirm_within_hours`). The refund follows with the credit
/// note's `refund_issued` message.
struct ReturnNotificationEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "return messages" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        guard let settings = writer.configuration.notifications else { return }
        let since = Timestamp(
            millisecondsSince1970: time.millisecondsSince1970 - Int64(settings.confirmWithinHours) * 3_600_000)
        var after: Int64 = 0
        while true {
            let part = try writer.store.outbox.untoldReturns(since: since, after: after, limit: writer.partSize)
            guard let last = part.flatMap(\.returnIDs).max() else { return }
            var toRecord: [(returnIDs: [Int64], notification: NotificationToRecord)] = []
            for untold in part {
                let request = NotificationRequest(
                    orderID: untold.orderID, order: untold.order, event: .returnReceived,
                    reference: "R\(untold.returnIDs[0])", shipments: untold.parts)
                do {
                    let rendered = try NotificationEmitter(writer: writer).notification(request, settings, at: time)
                    toRecord.append((untold.returnIDs, NotificationToRecord(request: request, rendered: rendered)))
                } catch {
                    writer.refuse(
                        what: "return message", order: untold.order.externalID, reason: error, until: "it is made",
                        into: &outcome)
                }
            }
            let recorded = try writer.store.outbox.recordReturnNotifications(
                toRecord, destination: settings.destination, at: time)
            writer.write(recorded, rendered: toRecord.compactMap(\.notification.rendered), at: time, into: &outcome)
            after = last
            if writer.stopRequested() { return }
        }
    }
}
