import Logging
import OmnihubCore
import OmnihubStore

/// Click & collect and reserve orders waiting on their pickup shelf: the customer is reminded
/// before the window ends (`collect.remind_days_before`), and an order not collected within
/// `collect.pickup_days` expires: its units go back into the store's stock, it is cancelled, and
/// what was paid is credited (by the credit note emitter, which runs after this one).
struct PickupEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "pickup reminders and expiries" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        guard let window = writer.configuration.pickupWindow else { return }
        var after: Int64 = 0
        while true {
            let part = try writer.store.pickups.waiting(after: after, limit: writer.partSize)
            guard let last = part.last else { return }
            for waiting in part.orders {
                let order = waiting.stored.order
                do {
                    switch PickupPolicy.due(readyAt: waiting.readyAt, now: time, window: window) {
                    case .nothing:
                        continue
                    case .remind where waiting.reminded:
                        continue
                    case .remind(let deadline):
                        let message = try self.message(.pickupReminder, waiting, reference: deadline.description, time)
                        let recorded = try writer.store.pickups.recordReminder(
                            message.notification, destination: message.destination, at: time)
                        writer.write(
                            recorded, rendered: [message.notification.rendered].compactMap { $0 }, at: time,
                            into: &outcome)
                    case .expire:
                        // A message that cannot be made (a format without the event) does not keep
                        // the order on the shelf: it expires, and the message is reported.
                        var message: (notification: NotificationToRecord, destination: String)?
                        do {
                            message = try self.message(
                                .pickupExpired, waiting, reference: waiting.readyAt.description, time)
                        } catch {
                            writer.refuse(
                                what: "pickup expiry message", order: order.externalID, reason: error,
                                until: "no message is sent; the order expires all the same", into: &outcome)
                        }
                        let recorded = try writer.store.pickups.expire(
                            waiting, at: time, message: writer.configuration.notifications == nil ? nil : message)
                        writer.logger.notice(
                            "order \(order.externalID): what was not collected within \(window.pickupDays) day(s) expired"
                        )
                        writer.write(
                            recorded, rendered: [message?.notification.rendered].compactMap { $0 }, at: time,
                            into: &outcome)
                    }
                } catch {
                    writer.refuse(
                        what: "pickup reminder or expiry", order: order.externalID, reason: error,
                        until: "it is tried again", into: &outcome)
                }
            }
            after = last
            if writer.stopRequested() { return }
        }
    }

    /// The customer's message about an order on the shelf; without a `notifications:` section
    /// only the fact is recorded.
    private func message(
        _ event: CustomerNotification.Event, _ waiting: OrderPickups.Waiting, reference: String, _ time: Timestamp
    ) throws -> (notification: NotificationToRecord, destination: String) {
        let request = NotificationRequest(
            orderID: waiting.stored.id, order: waiting.stored.order, event: event, reference: reference, shipments: [])
        guard let settings = writer.configuration.notifications else {
            return (NotificationToRecord(request: request, rendered: nil), "")
        }
        return (
            NotificationToRecord(
                request: request,
                rendered: try NotificationEmitter(writer: writer).notification(request, settings, at: time)),
            settings.destination
        )
    }
}
