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
        try NotificationEmitter(writer: writer).emitEach(
            "return message", at: time, into: &outcome,
            next: { try writer.store.outbox.untoldReturns(since: since, after: $0, limit: writer.partSize) },
            id: { $0.returnIDs.max() ?? 0 },
            request: { untold in
                NotificationRequest(
                    orderID: untold.orderID, order: untold.order, event: .returnReceived,
                    reference: "R\(untold.returnIDs[0])", shipments: untold.parts)
            },
            record: { messages, destination in
                try writer.store.outbox.recordReturnNotifications(
                    messages.map { ($0.fact.returnIDs, $0.notification) }, destination: destination, at: time)
            })
    }
}
