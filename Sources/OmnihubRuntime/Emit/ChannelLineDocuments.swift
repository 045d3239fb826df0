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
            return channelLineDocument(
                type: type, number: number, channel: channel, format: format, lines: lines, part: nil, at: time,
                into: &outcome, covers: covers)
        }
    }

    /// The document of `type` telling `channel` of `lines` (number `<number>-<channel>-<wave>`, and
    /// `-<part>` for a part of a wave), or `nil` when it cannot be made: reported, and the lines
    /// wait for the next run.
    func channelLineDocument(
        type: String, number: String, channel: String, format: OutputFormat, lines: [ChannelOrderLine], part: Int?,
        at time: Timestamp, into outcome: inout EmitOutcome, covers: ([ChannelOrderLine]) -> [Int64]
    ) -> DocumentToRecord<[Int64]>? {
        var document = OrderAcknowledgement(
            number: "\(number)-\(channel)-\(Self.wave(time))" + (part.map { "-\($0)" } ?? ""), channel: channel,
            wave: time,
            lines: lines.map { line in
                OrderAcknowledgement.Line(
                    orderNumber: line.orderNumber, merchantOrderID: String(line.orderID), lineID: line.lineID,
                    linePosition: line.position, sku: line.sku, quantity: line.quantity, reason: line.reason)
            }, type: type)
        document.part = part
        return renderedOrWaiting(document, in: format, &outcome.failures).map {
            DocumentToRecord(destination: channel, rendered: $0, covers: covers(lines))
        }
    }

    /// Tells each channel in `formats` of what `next` finds for it, part by part: `next(channel,
    /// after)` gives the next part (at most ``partSize`` orders or facts after the id `after`;
    /// none: the channel is done), `key` the id a fact is walked by, `make` the document of a part
    /// (`part` is `nil` when the first part was not full, so one document holds it all), and
    /// `record` records it. Each part is recorded and written while the next is read
    /// (``forEachPart(after:read:last:_:)``).
    func inParts<Fact: Sendable>(
        _ formats: [String: OutputFormat], at time: Timestamp, into outcome: inout EmitOutcome,
        next: @escaping @Sendable (_ channel: String, _ after: Int64) throws -> [Fact], key: (Fact) -> Int64,
        distinct: Bool,
        make: (_ channel: String, _ format: OutputFormat, _ facts: [Fact], _ part: Int?, inout EmitOutcome)
            -> DocumentToRecord<[Int64]>?,
        record: ([DocumentToRecord<[Int64]>]) throws -> [OutboundDocument]
    ) throws {
        for channel in formats.keys.sorted() {
            guard let format = formats[channel] else { continue }
            var part = 0
            var inParts = false
            var stopped = false
            try forEachPart(read: { after in try next(channel, after) }, last: { $0.last.map(key) }) { facts in
                if part == 0 {
                    inParts = (distinct ? Set(facts.map(key)).count : facts.count) >= partSize
                }
                part += 1
                if let document = make(channel, format, facts, inParts ? part : nil, &outcome) {
                    write(try record([document]), rendered: [document.rendered], at: time, into: &outcome)
                }
                stopped = stopRequested()
                return !stopped
            }
            if stopped { return }
        }
    }
}
