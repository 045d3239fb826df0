import Logging
import OmnihubCore
import OmnihubStore

/// Writes the messages customers are due: order confirmations, one message per parcel (shipped,
/// or ready for pickup at the store) and refunds, each once.
struct NotificationEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "customer notifications" }

    /// Writes the customer notifications that are due
    /// (``NotificationRequest/due(confirming:shipments:orders:)``): order confirmations and one
    /// message per parcel (shipped, or ready for pickup at the store), part by part
    /// (``OutboxWriter/partSize`` orders each). A message that cannot be made is reported and
    /// tried again next run; the others are recorded.
    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        guard let settings = writer.configuration.notifications else { return }
        let since = Timestamp(
            millisecondsSince1970: time.millisecondsSince1970 - Int64(settings.confirmWithinHours) * 3_600_000)
        for kind in NotificationFacts.Kind.allCases {
            try emit(kind, confirmSince: since, settings, at: time, into: &outcome)
            if writer.stopRequested() { return }
        }
    }

    /// Writes the due notifications of one kind, part by part, the next part read while one is
    /// rendered and recorded (``forEachPart(after:read:last:_:)``: a part holds the orders after
    /// the last of the part before).
    private func emit(
        _ kind: NotificationFacts.Kind, confirmSince since: Timestamp, _ settings: Configuration.Notifications,
        at time: Timestamp, into outcome: inout EmitOutcome
    ) throws {
        let store = writer.store
        let partSize = writer.partSize
        // Confirmations start after the orders an earlier run settled, and settle those looked at
        // up to the oldest whose message could not be made.
        let settled = kind == .confirmations ? try store.outbox.confirmationsSettled() : 0
        var examined: Int64?
        var oldestLeft = Int64.max
        var stopped = false
        try forEachPart(
            after: settled,
            read: { after in
                try store.outbox.notificationFacts(kind, confirmSince: since, after: after, limit: partSize)
            },
            last: { facts in
                examined = facts.examinedThrough ?? examined
                return facts.last
            }
        ) { facts in
            let requests = Array(
                NotificationRequest.due(
                    confirming: facts.confirming, shipments: facts.shipments, orders: facts.orders,
                    exchanges: facts.exchanges))
            var toRecord: [NotificationToRecord] = []
            for (request, rendered) in zip(requests, notifications(requests, settings, at: time)) {
                switch rendered {
                case .success(let rendered):
                    toRecord.append(NotificationToRecord(request: request, rendered: rendered))
                case .failure(let error):
                    oldestLeft = min(oldestLeft, request.orderID)
                    writer.refuse(
                        what: "customer notification", order: request.order.externalID, reason: error,
                        until: "it is made", into: &outcome)
                }
            }
            if settings.format.type == .jsonLines {
                // A JSON Lines mailer takes the part's messages in one file.
                if let file = try writer.store.outbox.recordCustomerNotifications(
                    toRecord, inOneFileFor: settings.destination, at: time)
                {
                    writer.write([file], at: time, into: &outcome)
                }
            } else {
                let recorded = try writer.store.outbox.recordCustomerNotifications(
                    toRecord, destination: settings.destination, at: time)
                writer.write(recorded, rendered: toRecord.compactMap(\.rendered), at: time, into: &outcome)
            }
            if writer.stopRequested() {
                writer.logger.notice("stop requested: the rest of the customer notifications waits for the next run")
                stopped = true
                return false
            }
            return true
        }
        if kind == .confirmations, !stopped, let examined {
            let through = min(examined, oldestLeft - 1)
            if through > settled { try store.outbox.markConfirmationsSettled(through: through) }
        }
    }

    /// The files of `requests` (``notification(_:_:at:)``), in their order, rendered on every core.
    func notifications(
        _ requests: [NotificationRequest], _ settings: Configuration.Notifications, at time: Timestamp
    ) -> [Result<RenderedDocument?, any Error>] {
        parallelMap(requests.count, workers: outboxWorkers, minimumPerWorker: 16) { index in
            Result { try notification(requests[index], settings, at: time) }
        }
    }

    /// The file of one notification, or `nil` when the order has no e-mail address to write to.
    func notification(
        _ request: NotificationRequest, _ settings: Configuration.Notifications, at time: Timestamp
    ) throws -> RenderedDocument? {
        let order = request.order
        guard let email = order.customer.email, !email.isEmpty else {
            writer.logger.info("order \(order.externalID) has no e-mail address; no \(request.event.rawValue) message")
            return nil
        }
        let lines: [CustomerNotification.Line]
        if request.shipments.isEmpty && (request.event == .orderConfirmed || request.event == .orderExchanged) {
            lines = order.lines.map { .init(sku: $0.sku, title: $0.title, quantity: $0.quantity) }
        } else {
            lines = request.shipments.map { shipment in
                let title = shipment.position <= order.lines.count ? order.lines[shipment.position - 1].title : nil
                return .init(sku: shipment.sku, title: title, quantity: shipment.quantity)
            }
        }
        let suffix = request.reference.isEmpty ? "" : "-" + request.reference.filter { $0.isLetter || $0.isNumber }
        var document = CustomerNotification(
            event: request.event, number: "N-\(request.orderID)-\(request.event.rawValue)\(suffix)",
            destination: settings.destination, at: time, order: order, lines: lines, languages: settings.languages,
            defaultLanguage: settings.defaultLanguage)
        document.carrier = request.shipments.first?.carrier
        document.trackingNumber = request.shipments.first?.trackingNumber
        document.amount = request.amount
        return try writer.rendered(document, in: settings.format)
    }
}

extension NotificationEmitter {
    /// Writes one message per fact the customer was not told of yet (a return, a cancellation),
    /// part by part: `next(after)` gives the facts with ids above `after` (none: done), `request`
    /// makes each one's message, and `record` records a part's messages with the facts they tell
    /// of. A message that cannot be made is reported as `what` and tried again next run.
    func emitEach<Fact>(
        _ what: String, at time: Timestamp, into outcome: inout EmitOutcome, next: (Int64) throws -> [Fact],
        id: (Fact) -> Int64, request: (Fact) -> NotificationRequest,
        record: ([(fact: Fact, notification: NotificationToRecord)], _ destination: String) throws
            -> [OutboundDocument]
    ) throws {
        guard let settings = writer.configuration.notifications else { return }
        var after: Int64 = 0
        while true {
            let part = try next(after)
            guard let last = part.map(id).max() else { return }
            let requests = part.map(request)
            var toRecord: [(fact: Fact, notification: NotificationToRecord)] = []
            for (index, rendered) in notifications(requests, settings, at: time).enumerated() {
                switch rendered {
                case .success(let rendered):
                    toRecord.append((part[index], NotificationToRecord(request: requests[index], rendered: rendered)))
                case .failure(let error):
                    writer.refuse(
                        what: what, order: requests[index].order.externalID, reason: error, until: "it is made",
                        into: &outcome)
                }
            }
            let recorded = try record(toRecord, settings.destination)
            writer.write(recorded, rendered: toRecord.compactMap(\.notification.rendered), at: time, into: &outcome)
            after = last
            if writer.stopRequested() { return }
        }
    }
}
