import OmnihubCore
import OmnihubStore

/// Tells each channel that takes them which of its orders omnihub has, once per order.
struct OrderAcknowledgementEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "order acknowledgements" }

    /// One acknowledgement per channel and run, or parts of ``OutboxWriter/partSize`` orders each
    /// when more orders came (`OA-<channel>-<wave>-<part>`).
    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        let formats = writer.partnerFormats(\.orderAcknowledgementFormat)
        try writer.inParts(
            formats, at: time, into: &outcome,
            next: { channel, after in
                try writer.store.outbox.unacknowledgedOrderLines(channel: channel, after: after, limit: writer.partSize)
            }, key: \.orderID, distinct: true,
            make: { channel, format, lines, part, outcome in
                writer.channelLineDocument(
                    type: "order_acknowledgement", number: "OA", channel: channel, format: format, lines: lines,
                    part: part, at: time, into: &outcome
                ) { Array(Set($0.map(\.orderID))).sorted() }
            }, record: { try writer.store.outbox.recordOrderAcknowledgements($0, at: time) })
    }
}
