import OmnihubCore
import OmnihubStore

/// Tells customers of units cancelled before they shipped: one `order_cancelled` message per
/// cancellation, with its lines and what it refunded (nothing when the order was not paid yet),
/// each once. An exchange's cancellation is told by the exchange's messages instead.
struct CancellationNotificationEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "cancellation messages" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        try NotificationEmitter(writer: writer).emitEach(
            "cancellation message", at: time, into: &outcome,
            next: { try writer.store.outbox.untoldCancellations(after: $0, limit: writer.partSize) },
            id: \.id,
            request: { cancellation in
                NotificationRequest(
                    orderID: cancellation.orderID, order: cancellation.order, event: .orderCancelled,
                    reference: "C\(cancellation.id)", shipments: cancellation.lines, amount: cancellation.refunded)
            },
            record: { messages, destination in
                try writer.store.outbox.recordCancellationNotifications(
                    messages.map { ($0.fact.id, $0.notification) }, destination: destination, at: time)
            })
    }
}
