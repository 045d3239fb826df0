import OmnihubCore
import OmnihubStore

/// Tells each channel that takes them of the shipments booked for its orders, with tracking, once
/// per shipment.
struct ShippingConfirmationEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "shipping confirmations" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        let formats = writer.partnerFormats(\.shippingConfirmationFormat)
        guard !formats.isEmpty else { return }
        let unconfirmed = try writer.store.outbox.unconfirmedShipments(channels: Array(formats.keys))
        var documents: [DocumentToRecord<[Int64]>] = []
        for channel in unconfirmed.keys.sorted() {
            guard let format = formats[channel], let shipments = unconfirmed[channel] else { continue }
            var lines: [ShippingConfirmation.Line] = []
            var unreadable: FileError?
            for shipment in shipments {
                guard let shippedAt = try? DateTimeFormat.iso8601.parse(shipment.shippedAt, zone: nil) else {
                    unreadable = FileError(
                        operation: "confirm shipments for", path: channel,
                        reason: "shipment \(shipment.id) has the time '\(shipment.shippedAt)', which is not ISO 8601")
                    break
                }
                lines.append(
                    ShippingConfirmation.Line(
                        orderNumber: shipment.orderNumber, lineID: shipment.lineID, sku: shipment.sku,
                        quantity: shipment.quantity, node: shipment.node, shippedAt: shippedAt,
                        carrier: shipment.carrier, service: shipment.service, trackingNumber: shipment.trackingNumber))
            }
            if let unreadable { throw unreadable }
            let document = ShippingConfirmation(
                number: "SC-\(channel)-\(OutboxWriter.wave(time))", channel: channel, wave: time, lines: lines)
            if let file = writer.renderedOrWaiting(document, in: format, &outcome.failures) {
                documents.append(DocumentToRecord(destination: channel, rendered: file, covers: shipments.map(\.id)))
            }
        }
        let recorded = try writer.store.outbox.recordShippingConfirmations(documents, at: time)
        writer.write(recorded, rendered: documents.map(\.rendered), at: time, into: &outcome)
    }
}
