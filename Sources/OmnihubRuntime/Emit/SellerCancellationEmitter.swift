import OmnihubCore
import OmnihubStore

/// Tells each channel that takes them which units the seller cancelled, and why.
struct SellerCancellationEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "order cancellations" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        let formats = writer.partnerFormats(\.orderCancellationFormat)
        guard !formats.isEmpty else { return }
        let lines = try writer.store.outbox.untoldSellerCancellations(channels: Array(formats.keys))
        let documents = writer.channelLineDocuments(
            type: "order_cancellation", number: "OC", formats: formats, lines: lines, at: time, into: &outcome
        ) { $0.compactMap(\.cancellationID) }
        let recorded = try writer.store.outbox.recordSellerCancellations(documents, at: time)
        writer.write(recorded, rendered: documents.map(\.rendered), at: time, into: &outcome)
    }
}
