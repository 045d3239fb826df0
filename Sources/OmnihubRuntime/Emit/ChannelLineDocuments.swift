import OmnihubCore
import OmnihubStore

extension OutboxWriter {
    /// The partners (sales channels) that name a format at `keyPath`, with it.
    func partnerFormats(_ keyPath: KeyPath<Configuration.Partner, OutputFormat?>) -> [String: OutputFormat] {
        var formats: [String: OutputFormat] = [:]
        for partner in configuration.partners {
            if let format = partner[keyPath: keyPath] { formats[partner.id] = format }
        }
        return formats
    }

    /// One document of `type` (number `<number>-<channel>-<wave>`) per channel telling it of its
    /// order lines, covering what `covers` names of them; a channel whose document cannot be made
    /// is reported, and its lines wait for the next run.
    func channelLineDocuments(
        type: String, number: String, formats: [String: OutputFormat], lines: [String: [ChannelOrderLine]],
        at time: Timestamp, into outcome: inout EmitOutcome, covers: ([ChannelOrderLine]) -> [Int64]
    ) -> [DocumentToRecord<[Int64]>] {
        lines.keys.sorted().compactMap { channel in
            guard let format = formats[channel], let lines = lines[channel] else { return nil }
            let document = OrderAcknowledgement(
                number: "\(number)-\(channel)-\(Self.wave(time))", channel: channel, wave: time,
                lines: lines.map { line in
                    OrderAcknowledgement.Line(
                        orderNumber: line.orderNumber, merchantOrderID: String(line.orderID), lineID: line.lineID,
                        linePosition: line.position, sku: line.sku, quantity: line.quantity, reason: line.reason)
                }, type: type)
            return renderedOrWaiting(document, in: format, &outcome.failures).map {
                DocumentToRecord(destination: channel, rendered: $0, covers: covers(lines))
            }
        }
    }
}
