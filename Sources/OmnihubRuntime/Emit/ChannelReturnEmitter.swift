import OmnihubCore
import OmnihubStore

/// Tells each channel that takes them (`return_format`) which units of its orders came back, with
/// what they were worth, so a marketplace that holds the customer's money refunds it.
struct ChannelReturnEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "channel returns" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        let formats = writer.partnerFormats(\.returnFormat)
        guard !formats.isEmpty else { return }
        let returns = try writer.store.outbox.untoldChannelReturns(channels: Array(formats.keys))
        var documents: [DocumentToRecord<[Int64]>] = []
        for channel in returns.keys.sorted() {
            guard let format = formats[channel], let parts = returns[channel] else { continue }
            let document = OrderAcknowledgement(
                number: "CR-\(channel)-\(OutboxWriter.wave(time))", channel: channel, wave: time,
                lines: parts.map(Self.line), type: "channel_return")
            if let rendered = writer.renderedOrWaiting(document, in: format, &outcome.failures) {
                documents.append(DocumentToRecord(destination: channel, rendered: rendered, covers: parts.map(\.id)))
            }
        }
        let recorded = try writer.store.outbox.recordChannelReturns(documents, at: time)
        writer.write(recorded, rendered: documents.map(\.rendered), at: time, into: &outcome)
    }

    /// The document line of one return: the units' worth counted on from those that came back
    /// before, as the credit notes count it (``OrderSettlement/shipped(line:from:to:)``), VAT
    /// included.
    static func line(_ part: ChannelReturn) -> OrderAcknowledgement.Line {
        let order = part.order
        let settlement = OrderSettlement(order: order, defaultTaxRate: .zero)
        let index = part.position - 1
        let net = settlement.shipped(line: index, from: part.returnedBefore, to: part.returnedBefore + part.quantity)
        let worth =
            settlement.netPrices ? net + OrderSettlement.tax(onNet: net, rate: settlement.taxRates[index]) : net
        var line = OrderAcknowledgement.Line(
            orderNumber: order.externalID, merchantOrderID: String(part.orderID), lineID: order.lines[index].lineID,
            linePosition: part.position, sku: order.lines[index].sku, quantity: part.quantity, reason: part.reason)
        line.condition = part.condition
        line.amount = settlement.amount(worth)
        line.currency = order.currency.code
        line.receivedAt = part.receivedAt
        return line
    }
}
