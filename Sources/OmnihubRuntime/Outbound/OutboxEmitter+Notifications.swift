import Foundation
import Logging
import OmnihubCore
import OmnihubStore

extension OutboxEmitter {
    /// Writes the customer notifications that are due: order confirmations and one message per
    /// parcel (shipped, or ready for pickup at the store).
    func recordCustomerNotifications(at time: Timestamp, into outcome: inout Outcome) throws {
        guard let settings = configuration.notifications else { return }
        let since = Timestamp(
            millisecondsSince1970: time.millisecondsSince1970 - Int64(settings.confirmWithinHours) * 3_600_000)
        try inParts(at: time, into: &outcome, what: "customer notification", until: "it is made") { after, keep in
            try store.recordCustomerNotifications(
                at: time, confirmSince: since, destination: settings.destination, after: after, limit: partSize
            ) { request in
                guard let file = try notification(request, settings, at: time) else { return nil }
                keep(file)
                return file
            }
        }
    }

    /// The refund message for a credit note, when the configuration sends notifications.
    func refundNotice(at time: Timestamp, keep: @escaping (RenderedDocument) -> Void) -> (
        destination: String, render: (NotificationRequest) throws -> RenderedDocument?
    )? {
        guard let settings = configuration.notifications else { return nil }
        return (
            settings.destination,
            { request in
                guard let file = try notification(request, settings, at: time) else { return nil }
                keep(file)
                return file
            }
        )
    }

    /// The file of one notification, or `nil` when the order has no e-mail address to write to.
    private func notification(
        _ request: NotificationRequest, _ settings: Configuration.Notifications, at time: Timestamp
    ) throws -> RenderedDocument? {
        let order = request.order.order
        guard let email = order.customer.email, !email.isEmpty else {
            logger.info("order \(order.externalID) has no e-mail address; no \(request.event.rawValue) message")
            return nil
        }
        let lines: [CustomerNotification.Line]
        if request.shipments.isEmpty && request.event == .orderConfirmed {
            lines = order.lines.map { .init(sku: $0.sku, title: $0.title, quantity: $0.quantity) }
        } else {
            lines = request.shipments.map { shipment in
                let title = shipment.position <= order.lines.count ? order.lines[shipment.position - 1].title : nil
                return .init(sku: shipment.sku, title: title, quantity: shipment.quantity)
            }
        }
        let suffix = request.reference.isEmpty ? "" : "-" + request.reference.filter { $0.isLetter || $0.isNumber }
        var document = CustomerNotification(
            event: request.event, number: "N-\(request.order.id)-\(request.event.rawValue)\(suffix)",
            destination: settings.destination, at: time, order: order, lines: lines, languages: settings.languages,
            defaultLanguage: settings.defaultLanguage)
        document.carrier = request.shipments.first?.carrier
        document.trackingNumber = request.shipments.first?.trackingNumber
        document.amount = request.amount
        return try rendered(document, in: settings.format)
    }
}
