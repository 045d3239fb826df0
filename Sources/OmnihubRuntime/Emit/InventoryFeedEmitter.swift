import Logging
import OmnihubCore
import OmnihubStore

/// Tells each channel that takes them how many units of each SKU it may sell, when that changed
/// since it was told last. It runs last, so the feeds tell what is left after the cycle's
/// reservations; a feed that fails is reported on its own and never holds back the others.
struct InventoryFeedEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "inventory feeds" }

    /// Units each SKU may be sold for on `channel`: over the enabled nodes that serve the channel
    /// and can ship, on-hand minus reservations, safety stock and stock fenced for other channels.
    func sellable(for channel: String, state: SourcingState) -> [String: Int] {
        let network = writer.configuration.network
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

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) {
        let feeds = writer.configuration.partners.compactMap { partner in
            partner.inventoryFeed.map { (channel: partner.id, format: $0.format, full: $0.full) }
        }
        guard !feeds.isEmpty else { return }
        let state: SourcingState
        do {
            state = try writer.store.stock.sourcingState(limit: 0)  // the stock, not the open orders
        } catch {
            outcome.failures.append(
                CycleReport.Failure(path: writer.configuration.storePath, "inventory feeds", error: error))
            return
        }
        for feed in feeds {
            do {
                guard
                    let changes = InventoryChanges(
                        lastTold: try writer.store.outbox.inventoryLastTold(channel: feed.channel),
                        sellable: sellable(for: feed.channel, state: state), full: feed.full)
                else { continue }
                let document = InventoryFeed(
                    number: "IF-\(feed.channel)-\(OutboxWriter.wave(time))", channel: feed.channel, wave: time,
                    mode: feed.full ? "full" : "changes",
                    lines: changes.lines.map { InventoryFeed.Line(sku: $0.sku, quantity: $0.quantity) })
                let file = try writer.rendered(document, in: feed.format)
                let recorded = try writer.store.outbox.recordInventoryFeed(
                    DocumentToRecord(destination: feed.channel, rendered: file, covers: changes), at: time)
                writer.write(recorded, file.content, at: time, into: &outcome)
            } catch {
                writer.logger.error("the inventory feed for \(feed.channel) was not recorded: \(error)")
                outcome.failures.append(
                    CycleReport.Failure(
                        path: writer.configuration.outboxFolder, "inventory feed \(feed.channel)", error: error))
            }
        }
    }
}
