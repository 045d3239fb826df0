import OmnihubCore
import OmnihubStore

/// Tells each channel that takes them which of its orders omnihub has, once per order.
struct OrderAcknowledgementEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "order acknowledgements" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        let formats = writer.partnerFormats(\.orderAcknowledgementFormat)
        guard !formats.isEmpty else { return }
        let lines = try writer.store.outbox.unacknowledgedOrderLines(channels: Array(formats.keys))
        let documents = writer.channelLineDocuments(
            type: "order_acknowledgement", number: "OA", formats: formats, lines: lines, at: time, into: &outcome
        ) { Array(Set($0.map(\.orderID))).sorted() }
        let recorded = try writer.store.outbox.recordOrderAcknowledgements(documents, at: time)
        writer.write(recorded, rendered: documents.map(\.rendered), at: time, into: &outcome)
    }
}
