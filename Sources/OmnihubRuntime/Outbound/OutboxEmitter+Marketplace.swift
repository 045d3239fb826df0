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
                CycleReport.Failure(path: configuration.storePath, message: "inventory feeds: \(error)"))
            return
        }
        for feed in feeds {
            let wave = Self.wave(time)
            var content: [UInt8] = []
            do {
                let recorded = try store.recordInventoryFeed(
                    channel: feed.channel, quantities: sellable(for: feed.channel, state: state), full: feed.full,
                    at: time
                ) { lines in
                    let document = InventoryFeed(
                        number: "IF-\(feed.channel)-\(wave)", channel: feed.channel, wave: time,
                        mode: feed.full ? "full" : "changes",
                        lines: lines.map { InventoryFeed.Line(sku: $0.sku, quantity: $0.quantity) })
                    let file = try rendered(document, in: feed.format)
                    content = file.content
                    return file
                }
                if let recorded { write(recorded, content, at: time, into: &outcome) }
            } catch {
                logger.error("the inventory feed for \(feed.channel) was not recorded: \(error)")
                outcome.failures.append(
                    CycleReport.Failure(
                        path: configuration.outboxFolder, message: "inventory feed \(feed.channel): \(error)"))
            }
        }
    }

    func recordOrderAcknowledgements(at time: Timestamp, into outcome: inout Outcome) throws {
        try recordChannelLines(
            type: "order_acknowledgement", number: "OA", formats: partnerFormats(\.orderAcknowledgementFormat),
            at: time, into: &outcome
        ) { channels, render in
            try store.recordOrderAcknowledgements(channels: channels, at: time, render: render)
        }
    }

    func recordSellerCancellations(at time: Timestamp, into outcome: inout Outcome) throws {
        try recordChannelLines(
            type: "order_cancellation", number: "OC", formats: partnerFormats(\.orderCancellationFormat),
            at: time, into: &outcome
        ) { channels, render in
            try store.recordSellerCancellations(channels: channels, at: time, render: render)
        }
    }

    /// The partners (sales channels) that name a format at `keyPath`, with it.
    func partnerFormats(_ keyPath: KeyPath<Configuration.Partner, OutputFormat?>) -> [String: OutputFormat] {
        var formats: [String: OutputFormat] = [:]
        for partner in configuration.partners {
            if let format = partner[keyPath: keyPath] { formats[partner.id] = format }
        }
        return formats
    }

    /// Tells each channel in `formats` of its order lines in one document of `type` (number
    /// `<number>-<channel>-<wave>`), recorded by `record`, then writes the files.
    private func recordChannelLines(
        type: String, number: String, formats: [String: OutputFormat], at time: Timestamp,
        into outcome: inout Outcome,
        record: ([String], (String, [ChannelOrderLine]) throws -> RenderedDocument?) throws -> [OutboundDocument]
    ) throws {
        guard !formats.isEmpty else { return }
        var contents: [String: [UInt8]] = [:]
        var refused: [CycleReport.Failure] = []
        let documents = try record(Array(formats.keys)) { channel, lines in
            let document = OrderAcknowledgement(
                number: "\(number)-\(channel)-\(Self.wave(time))", channel: channel, wave: time,
                lines: lines.map { line in
                    OrderAcknowledgement.Line(
                        orderNumber: line.orderNumber, merchantOrderID: String(line.orderID), lineID: line.lineID,
                        linePosition: line.position, sku: line.sku, quantity: line.quantity, reason: line.reason)
                }, type: type)
            let file = renderedOrWaiting(document, in: formats[channel]!, &refused)
            if let file { contents[file.path] = file.content }
            return file
        }
        outcome.failures += refused
        write(documents.map { ($0, contents[$0.path] ?? []) }, at: time, into: &outcome)
    }

    func recordShippingConfirmations(at time: Timestamp, into outcome: inout Outcome) throws {
        let formats = partnerFormats(\.shippingConfirmationFormat)
        guard !formats.isEmpty else { return }
        var contents: [String: [UInt8]] = [:]
        var refused: [CycleReport.Failure] = []
        let documents = try store.recordShippingConfirmations(channels: Array(formats.keys), at: time) {
            channel, shipments in
            guard let format = formats[channel] else { return nil }
            let wave = Self.wave(time)
            var lines: [ShippingConfirmation.Line] = []
            for shipment in shipments {
                let shippedAt: Timestamp
                do {
                    shippedAt = try DateTimeFormat.iso8601.parse(shipment.shippedAt, zone: nil)
                } catch {
                    throw FileError(
                        operation: "confirm shipments for", path: channel,
                        reason: "shipment \(shipment.id) has the time '\(shipment.shippedAt)', which is not ISO 8601")
                }
                lines.append(
                    ShippingConfirmation.Line(
                        orderNumber: shipment.orderNumber, lineID: shipment.lineID, sku: shipment.sku,
                        quantity: shipment.quantity, node: shipment.node, shippedAt: shippedAt,
                        carrier: shipment.carrier,
                        service: shipment.service, trackingNumber: shipment.trackingNumber))
            }
            let document = ShippingConfirmation(
                number: "SC-\(channel)-\(wave)", channel: channel, wave: time, lines: lines)
            let file = renderedOrWaiting(document, in: format, &refused)
            if let file { contents[file.path] = file.content }
            return file
        }
        outcome.failures += refused
        write(documents.map { ($0, contents[$0.path] ?? []) }, at: time, into: &outcome)
    }
}
