import Foundation
import Logging
import OmnihubCore
import OmnihubStore

/// What the sales channels are told: acknowledgements of their new orders, the units the seller
/// cancels, shipping confirmations of booked shipments, and inventory feeds of what they may sell.
extension OutboxEmitter {
    /// Units each SKU may be sold for on `channel`: over the enabled nodes that serve the channel
    /// and can ship, on-hand minus reservations, safety stock and stock fenced for other channels.
    func sellable(for channel: String, state: SourcingState) -> [String: Int] {
        let network = configuration.network
        var quantities: [String: Int] = [:]
        for node in network.nodes
        where node.enabled && node.capabilities.contains(.ship) && (node.channels?.contains(channel) ?? true) {
            for (sku, onHand) in state.onHand[node.id] ?? [:] {
                let held = state.reserved[node.id]?[sku] ?? 0
                quantities[sku, default: 0] += max(
                    0, network.available(node: node, sku: sku, onHand: onHand, held: held, for: channel))
            }
        }
        for skus in state.onHand.values {
            for sku in skus.keys where quantities[sku] == nil { quantities[sku] = 0 }
        }
        return quantities
    }

    func recordInventoryFeeds(at time: Timestamp, into outcome: inout Outcome) {
        let feeds = configuration.partners.compactMap { partner in
            partner.inventoryFeed.map { (channel: partner.id, format: $0.format, full: $0.full) }
        }
        guard !feeds.isEmpty else { return }
        let state: SourcingState
        do {
            state = try store.sourcingState()
        } catch {
            outcome.failures.append(
                CycleReport.Failure(path: configuration.storePath, "inventory feeds", error: error))
            return
        }
        for feed in feeds {
            do {
                guard
                    let changes = InventoryChanges(
                        lastTold: try store.inventoryLastTold(channel: feed.channel),
                        sellable: sellable(for: feed.channel, state: state), full: feed.full)
                else { continue }
                let document = InventoryFeed(
                    number: "IF-\(feed.channel)-\(Self.wave(time))", channel: feed.channel, wave: time,
                    mode: feed.full ? "full" : "changes",
                    lines: changes.lines.map { InventoryFeed.Line(sku: $0.sku, quantity: $0.quantity) })
                let file = try rendered(document, in: feed.format)
                let recorded = try store.recordInventoryFeed(
                    DocumentToRecord(destination: feed.channel, rendered: file, covers: changes), at: time)
                write(recorded, file.content, at: time, into: &outcome)
            } catch {
                logger.error("the inventory feed for \(feed.channel) was not recorded: \(error)")
                outcome.failures.append(
                    CycleReport.Failure(
                        path: configuration.outboxFolder, "inventory feed \(feed.channel)", error: error))
            }
        }
    }

    func recordOrderAcknowledgements(at time: Timestamp, into outcome: inout Outcome) throws {
        let formats = partnerFormats(\.orderAcknowledgementFormat)
        guard !formats.isEmpty else { return }
        let lines = try store.unacknowledgedOrderLines(channels: Array(formats.keys))
        let documents = channelDocuments(
            type: "order_acknowledgement", number: "OA", formats: formats, lines: lines, at: time,
            into: &outcome
        ) { Array(Set($0.map(\.orderID))).sorted() }
        try recordAndWrite(documents, at: time, into: &outcome) { try store.recordOrderAcknowledgements($0, at: time) }
    }

    func recordSellerCancellations(at time: Timestamp, into outcome: inout Outcome) throws {
        let formats = partnerFormats(\.orderCancellationFormat)
        guard !formats.isEmpty else { return }
        let lines = try store.untoldSellerCancellations(channels: Array(formats.keys))
        let documents = channelDocuments(
            type: "order_cancellation", number: "OC", formats: formats, lines: lines, at: time, into: &outcome
        ) { $0.compactMap(\.cancellationID) }
        try recordAndWrite(documents, at: time, into: &outcome) { try store.recordSellerCancellations($0, at: time) }
    }

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
    private func channelDocuments(
        type: String, number: String, formats: [String: OutputFormat], lines: [String: [ChannelOrderLine]],
        at time: Timestamp, into outcome: inout Outcome, covers: ([ChannelOrderLine]) -> [Int64]
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

    /// Records `documents` with `record` and writes the files.
    func recordAndWrite<Covered>(
        _ documents: [DocumentToRecord<Covered>], at time: Timestamp, into outcome: inout Outcome,
        record: ([DocumentToRecord<Covered>]) throws -> [OutboundDocument]
    ) rethrows {
        write(try record(documents), rendered: documents.map(\.rendered), at: time, into: &outcome)
    }

    func recordShippingConfirmations(at time: Timestamp, into outcome: inout Outcome) throws {
        let formats = partnerFormats(\.shippingConfirmationFormat)
        guard !formats.isEmpty else { return }
        let unconfirmed = try store.unconfirmedShipments(channels: Array(formats.keys))
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
                number: "SC-\(channel)-\(Self.wave(time))", channel: channel, wave: time, lines: lines)
            if let file = renderedOrWaiting(document, in: format, &outcome.failures) {
                documents.append(DocumentToRecord(destination: channel, rendered: file, covers: shipments.map(\.id)))
            }
        }
        try recordAndWrite(documents, at: time, into: &outcome) { try store.recordShippingConfirmations($0, at: time) }
    }
}
