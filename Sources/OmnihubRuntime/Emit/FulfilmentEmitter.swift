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
    /// wave of any size needs one window's memory. The stored orders of the next document are read
    /// on a thread of their own while one is rendered, recorded and written. A run plans only the
    /// orders after those an earlier run left settled (``OmnihubStore/Outbox/fulfilmentSettlement()``),
    /// and leaves settled what it planned and handed over in full, up to the oldest order it could
    /// not, so an idle cycle does not read the whole store.
    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        var formats: [String: OutputFormat] = [:]
        for node in writer.configuration.network.nodes {
            if let format = node.fulfilmentFormat { formats[node.id] = format }
        }
        guard !formats.isEmpty else { return }
        let settlement = try writer.store.outbox.fulfilmentSettlement()
        var after = settlement.through
        var partsSoFar: [String: Int] = [:]
        var inWindows = false
        var started: Set<String> = []
        // The oldest order left with units to hand over (a node without a fulfilment format, a
        // document that could not be made): the orders settled by this run end before it.
        var oldestLeft = Int64.max
        while true {
            let first = after == settlement.through
            let window = try writer.store.outbox.fulfilmentFacts(
                after: after, orders: windowOrders, withUntoldCancellations: first)
            guard let through = window.through else { break }
            if first { inWindows = window.full }
            var steps: [Step] = []
            for work in FulfilmentPlan(window.facts).nodes {
                guard let format = formats[work.node] else {
                    oldestLeft = min(oldestLeft, work.toShip.map(\.orderID).min() ?? .max)
                    continue
                }
                let cancellations = work.toCancel.map(\.units)
                if !cancellations.isEmpty {
                    steps.append(
                        Step(
                            kind: .cancellation, node: work.node, units: cancellations, part: nil, format: format,
                            covers: .tellsOf(cancellations: work.toCancel.map(\.id))))
                }
                let parts = work.shipParts(ordersPerPart: writer.partSize)
                for units in parts {
                    let part = partsSoFar[work.node, default: 0] + 1
                    partsSoFar[work.node] = part
                    steps.append(
                        Step(
                            kind: .order, node: work.node, units: units,
                            part: inWindows || parts.count > 1 ? part : nil, format: format,
                            covers: .handsOver(units)))
                }
            }
            var revision = window.revision
            let goOn = try walk(steps) { step, orders in
                if step.kind == .order {
                    if started.contains(step.node) && writer.stopRequested() {
                        writer.logger.notice(
                            "stop requested: the rest of \(step.node)'s fulfilment waits for the next run")
                        return false
                    }
                    started.insert(step.node)
                }
                if try !record(step, orders, basedOn: &revision, at: time, into: &outcome) {
                    oldestLeft = min(oldestLeft, step.units.map(\.orderID).min() ?? .max)
                }
                return true
            }
            guard goOn else { return }
            after = through
        }
        // Every order planned up to the oldest one left is settled; the next run starts after them.
        try writer.store.outbox.markFulfilmentSettled(through: min(after, oldestLeft - 1), since: settlement)
    }

    /// One document of a window: a node's cancellations, or one part of the units it ships.
    private struct Step {
        let kind: FulfilmentDocumentKind
        let node: String
        let units: [FulfilmentCandidate]
        let part: Int?
        let format: OutputFormat
        let covers: FulfilmentCoverage
    }

    /// Calls `body` with each step and its stored orders, the next step's read meanwhile on a
    /// thread of their own (a reader connection of the store's pool); `false` once `body` says
    /// stop. An order's document does not change when a fulfilment document is recorded, and the
    /// store refuses to record on facts another run changed since (``StoreError/Code/changedMeanwhile``),
    /// so reading ahead adds no new race.
    private func walk(_ steps: [Step], _ body: (Step, [Int64: StoredOrder]) throws -> Bool) throws -> Bool {
        let orders = writer.store.orders
        func readAhead(_ index: Int) -> BackgroundJob<Result<[Int64: StoredOrder], any Error>>? {
            guard index < steps.count else { return nil }
            let ids = steps[index].units.map(\.orderID)
            return BackgroundJob { Result { try orders.byID(ids) } }
        }
        var next = readAhead(0)
        // Every read ahead is waited for, whatever ends the walk.
        defer { _ = next?.wait() }
        for (index, step) in steps.enumerated() {
            let read = next?.wait()
            next = readAhead(index + 1)
            guard let read, try body(step, try read.get()) else { return false }
        }
        return true
    }

    /// Renders, records and writes one fulfilment document; one that cannot be rendered is
    /// reported and what it carries waits for the next run (`false`).
    private func record(
        _ step: Step, _ orders: [Int64: StoredOrder], basedOn revision: inout FulfilmentRevision, at time: Timestamp,
        into outcome: inout EmitOutcome
    ) throws -> Bool {
        guard
            let file = writer.renderedOrWaiting(
                document(step.kind, step.node, step.units, orders, part: step.part, at: time), in: step.format,
                &outcome.failures)
        else { return false }
        let documents = [DocumentToRecord(destination: step.node, rendered: file, covers: step.covers)]
        let recorded = try writer.store.outbox.recordFulfilmentDocuments(documents, basedOn: revision, at: time)
        revision = recorded.revision
        writer.write(recorded.recorded, rendered: [file], at: time, into: &outcome)
        return true
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
