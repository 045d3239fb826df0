import OmnihubCore
import OmnihubStore

/// Hands each node the units reserved there and not handed over yet, as a fulfilment order in the
/// node's own format, and tells it of handed-over units a cancellation took back, as a fulfilment
/// cancellation in the same format (``FulfilmentPlan``). A node whose document cannot be made is
/// reported and gets it next run.
struct FulfilmentEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "fulfilment documents" }

    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        var formats: [String: OutputFormat] = [:]
        for node in writer.configuration.network.nodes {
            if let format = node.fulfilmentFormat { formats[node.id] = format }
        }
        guard !formats.isEmpty else { return }
        let (facts, revision) = try writer.store.outbox.fulfilmentFacts()
        let plan = FulfilmentPlan(facts)
        let orders = try writer.store.orders.byID(
            plan.nodes.flatMap { $0.toShip.map(\.orderID) + $0.toCancel.map(\.units.orderID) })
        var documents: [DocumentToRecord<FulfilmentCoverage>] = []
        for work in plan.nodes {
            guard let format = formats[work.node] else { continue }
            let cancellations = work.toCancel.map(\.units)
            if !cancellations.isEmpty,
                let file = writer.renderedOrWaiting(
                    document(.cancellation, work.node, cancellations, orders, at: time), in: format,
                    &outcome.failures)
            {
                documents.append(
                    DocumentToRecord(
                        destination: work.node, rendered: file, covers: .tellsOf(cancellations: work.toCancel.map(\.id))
                    ))
            }
            if !work.toShip.isEmpty,
                let file = writer.renderedOrWaiting(
                    document(.order, work.node, work.toShip, orders, at: time), in: format, &outcome.failures)
            {
                documents.append(
                    DocumentToRecord(destination: work.node, rendered: file, covers: .handsOver(work.toShip)))
            }
        }
        let recorded = try writer.store.outbox.recordFulfilmentDocuments(documents, basedOn: revision, at: time)
        writer.write(recorded, rendered: documents.map(\.rendered), at: time, into: &outcome)
    }

    /// The fulfilment document of `kind` handing `units` to `node` (or taking them back).
    private func document(
        _ kind: FulfilmentDocumentKind, _ node: String, _ units: [FulfilmentCandidate], _ orders: [Int64: StoredOrder],
        at time: Timestamp
    ) -> FulfilmentOrder {
        FulfilmentOrder(
            type: kind.rawValue, number: "\(kind == .order ? "FO" : "FC")-\(node)-\(OutboxWriter.wave(time))",
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
    }
}
