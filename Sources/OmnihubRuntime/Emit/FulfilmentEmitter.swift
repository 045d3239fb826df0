import Logging
import OmnihubCore
import OmnihubStore

/// Hands each node the units reserved there and not handed over yet, as a fulfilment order in the
/// node's own format, and tells it of handed-over units a cancellation took back, as a fulfilment
/// cancellation in the same format (``FulfilmentPlan``). A node whose document cannot be made is
/// reported and gets it next run.
struct FulfilmentEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "fulfilment documents" }

    /// How many orders' reservations are planned at once (twenty parts' worth: 10,000 orders by
    /// default): a peak day's hand-over is read, planned and written a window at a time.
    var windowOrders: Int { writer.partSize * 20 }

    /// Each node's cancellations go in one document, its units to ship in fulfilment orders of at
    /// most ``OutboxWriter/partSize`` orders (``FulfilmentPlan/NodeWork/shipParts(ordersPerPart:)``),
    /// numbered `FO-<node>-<wave>` when one is enough and `FO-<node>-<wave>-<part>` when not. The
    /// reservations are planned ``windowOrders`` orders at a time, and each document is recorded on
    /// the revision the one before it left, written and let go of before the next is rendered, so a
    /// wave of any size needs one window's memory.
    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        var formats: [String: OutputFormat] = [:]
        for node in writer.configuration.network.nodes {
            if let format = node.fulfilmentFormat { formats[node.id] = format }
        }
        guard !formats.isEmpty else { return }
        var after: Int64 = 0
        var partsSoFar: [String: Int] = [:]
        var inWindows = false
        while true {
            let window = try writer.store.outbox.fulfilmentFacts(after: after, orders: windowOrders)
            guard let through = window.through else { return }
            if after == 0 { inWindows = window.full }
            var revision = window.revision
            for work in FulfilmentPlan(window.facts).nodes {
                guard let format = formats[work.node] else { continue }
                let cancellations = work.toCancel.map(\.units)
                if !cancellations.isEmpty {
                    try record(
                        .cancellation, work.node, cancellations, part: nil, in: format,
                        covers: .tellsOf(cancellations: work.toCancel.map(\.id)), basedOn: &revision, at: time,
                        into: &outcome)
                }
                let parts = work.shipParts(ordersPerPart: writer.partSize)
                for units in parts {
                    if partsSoFar[work.node] != nil && writer.stopRequested() {
                        writer.logger.notice(
                            "stop requested: the rest of \(work.node)'s fulfilment waits for the next run")
                        return
                    }
                    let part = partsSoFar[work.node, default: 0] + 1
                    partsSoFar[work.node] = part
                    try record(
                        .order, work.node, units, part: inWindows || parts.count > 1 ? part : nil, in: format,
                        covers: .handsOver(units), basedOn: &revision, at: time, into: &outcome)
                }
            }
            after = through
        }
    }

    /// Renders, records and writes one fulfilment document; one that cannot be rendered is
    /// reported and what it carries waits for the next run.
    private func record(
        _ kind: FulfilmentDocumentKind, _ node: String, _ units: [FulfilmentCandidate], part: Int?,
        in format: OutputFormat, covers: FulfilmentCoverage, basedOn revision: inout FulfilmentRevision,
        at time: Timestamp, into outcome: inout EmitOutcome
    ) throws {
        let orders = try writer.store.orders.byID(units.map(\.orderID))
        guard
            let file = writer.renderedOrWaiting(
                document(kind, node, units, orders, part: part, at: time), in: format, &outcome.failures)
        else { return }
        let documents = [DocumentToRecord(destination: node, rendered: file, covers: covers)]
        let recorded = try writer.store.outbox.recordFulfilmentDocuments(documents, basedOn: revision, at: time)
        revision = recorded.revision
        writer.write(recorded.recorded, rendered: [file], at: time, into: &outcome)
    }

    /// The fulfilment document of `kind` handing `units` to `node` (or taking them back).
    private func document(
        _ kind: FulfilmentDocumentKind, _ node: String, _ units: [FulfilmentCandidate], _ orders: [Int64: StoredOrder],
        part: Int?, at time: Timestamp
    ) -> FulfilmentOrder {
        var document = FulfilmentOrder(
            type: kind.rawValue,
            number: "\(kind == .order ? "FO" : "FC")-\(node)-\(OutboxWriter.wave(time))"
                + (part.map { "-\($0)" } ?? ""),
            node: node, wave: time,
            lines: units.compactMap { unit in
                guard let stored = orders[unit.orderID], unit.position <= stored.order.lines.count else { return nil }
                let order = stored.order
                let line = order.lines[unit.position - 1]
                return FulfilmentOrder.Line(
                    channel: order.channel, orderNumber: order.externalID, lineID: line.lineID, sku: unit.sku,
                    title: line.title, quantity: unit.quantity, delivery: order.delivery.method.rawValue,
                    pickupNode: order.delivery.pickupNode, shipTo: order.shipTo, reason: unit.reason)
            })
        document.part = part
        return document
    }
}
