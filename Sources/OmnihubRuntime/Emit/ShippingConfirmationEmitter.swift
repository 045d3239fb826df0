import Logging
import OmnihubCore
import OmnihubStore

/// Tells each channel that takes them of the shipments booked for its orders, with tracking, once
/// per shipment.
struct ShippingConfirmationEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "shipping confirmations" }

    /// One confirmation per channel and run, or parts of ``OutboxWriter/partSize`` shipments each
    /// when more were booked (`SC-<channel>-<wave>-<part>`).
    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        let formats = writer.partnerFormats(\.shippingConfirmationFormat)
        try writer.inParts(
            formats, at: time, into: &outcome,
            next: { channel, after in
                try writer.store.outbox.unconfirmedShipments(channel: channel, after: after, limit: writer.partSize)
            }, key: \.id, distinct: false,
            make: { channel, format, shipments, part, outcome in
                var lines: [ShippingConfirmation.Line] = []
                for shipment in shipments {
                    guard let shippedAt = try? DateTimeFormat.iso8601.parse(shipment.shippedAt, zone: nil) else {
                        let reason =
                            "shipment \(shipment.id) has the time '\(shipment.shippedAt)', which is not ISO 8601"
                        writer.logger.error("shipping confirmation for \(channel) was not made: \(reason)")
                        outcome.failures.append(
                            CycleReport.Failure(
                                path: writer.configuration.outboxFolder,
                                message: "shipping confirmation for \(channel): \(reason); what it carries waits "
                                    + "until it can be written"))
                        return nil
                    }
                    lines.append(
                        ShippingConfirmation.Line(
                            orderNumber: shipment.orderNumber, lineID: shipment.lineID, sku: shipment.sku,
                            quantity: shipment.quantity, node: shipment.node, shippedAt: shippedAt,
                            carrier: shipment.carrier, service: shipment.service,
                            trackingNumber: shipment.trackingNumber))
                }
                var document = ShippingConfirmation(
                    number: "SC-\(channel)-\(OutboxWriter.wave(time))" + (part.map { "-\($0)" } ?? ""),
                    channel: channel, wave: time, lines: lines)
                document.part = part
                return writer.renderedOrWaiting(document, in: format, &outcome.failures).map {
                    DocumentToRecord(destination: channel, rendered: $0, covers: shipments.map(\.id))
                }
            }, record: { try writer.store.outbox.recordShippingConfirmations($0, at: time) })
    }
}
