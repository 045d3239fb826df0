import Foundation
public import Logging
public import OmnihubCore
public import OmnihubStore

/// Writes the outbox: each node gets the units sourcing reserved there, as a fulfilment order in
/// the node's own format, and is told of handed-over units a cancellation took back, as a
/// fulfilment cancellation in the same format; each channel that takes them gets an
/// acknowledgement of its new orders, the units the seller cancelled, a shipping confirmation of
/// the shipments booked for its orders, and an inventory feed (`+Marketplace`); the ERP gets
/// invoices and their bookings (`+Finance`); customers get messages (`+Notifications`). Each
/// file is written exactly once into `outbox/<node or partner>/` (`+Files`).
///
/// The document and its bytes are recorded in the store first, then written under a temporary
/// name, flushed and renamed into place, then marked written; a crash in between writes the same
/// bytes on the next run. A file already there with other bytes is never overwritten.
public struct OutboxEmitter: Sendable {
    let configuration: Configuration
    let store: OrderStore
    let logger: Logger
    /// How many orders one part of a run's invoices or messages holds: each part is recorded,
    /// written and let go of before the next, so a batch of any size needs one part's memory.
    let partSize: Int
    /// Whether the process was asked to stop: checked between kinds of documents and between
    /// parts, so a stop waits for one part at most.
    let stopRequested: @Sendable () -> Bool

    /// An emitter for the nodes and partners of `configuration` that name an outbound format.
    public init(
        configuration: Configuration, store: OrderStore, logger: Logger, partSize: Int = 500,
        stopRequested: @escaping @Sendable () -> Bool = { false }
    ) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.partSize = max(1, partSize)
        self.stopRequested = stopRequested
    }

    /// What one emit did: the documents written, and those left pending with the reason.
    public struct Outcome: Sendable {
        public var written: [OutboundDocument] = []
        public var failures: [CycleReport.Failure] = []
    }

    /// Finishes documents an interruption left unwritten, then records and writes new ones. A
    /// document that cannot be written stays pending and is tried again next run; the others
    /// are written regardless.
    public func emit(at now: Timestamp) throws -> Outcome {
        var outcome = Outcome()
        let time = try waveTime(now)
        write(try store.pendingDocuments().map { (document: $0.0, content: $0.1) }, at: time, into: &outcome)
        var formats: [String: OutputFormat] = [:]
        for node in configuration.network.nodes {
            if let format = node.fulfilmentFormat { formats[node.id] = format }
        }
        // Each kind of document on its own: one that cannot be made (a value its format cannot
        // write) is reported and retried next cycle, and never holds back the others.
        func step(_ what: String, _ body: (inout Outcome) throws -> Void) {
            guard !stopRequested() else { return }
            do {
                try body(&outcome)
            } catch {
                logger.error("\(what) were not recorded: \(error)")
                outcome.failures.append(
                    CycleReport.Failure(path: configuration.outboxFolder, what, error: error))
            }
        }
        step("order acknowledgements") { try recordOrderAcknowledgements(at: time, into: &$0) }
        step("order cancellations") { try recordSellerCancellations(at: time, into: &$0) }
        step("shipping confirmations") { try recordShippingConfirmations(at: time, into: &$0) }
        step("invoices") { try recordInvoices(at: time, into: &$0) }
        step("customer notifications") { try recordCustomerNotifications(at: time, into: &$0) }
        if !formats.isEmpty {
            step("fulfilment documents") { try recordFulfilmentDocuments(formats, at: time, into: &$0) }
        }
        // Last, so the feeds tell the channels what is left after this cycle's reservations.
        if !stopRequested() { recordInventoryFeeds(at: time, into: &outcome) }
        return outcome
    }

    /// Hands each node the units reserved there and not handed over yet, and tells it of handed-over
    /// units a cancellation took back, as ``FulfilmentPlan`` decides; a node whose document cannot
    /// be made is reported and gets it next run.
    private func recordFulfilmentDocuments(
        _ formats: [String: OutputFormat], at time: Timestamp, into outcome: inout Outcome
    ) throws {
        let (facts, revision) = try store.fulfilmentFacts()
        let plan = FulfilmentPlan(facts)
        let orders = try store.orders(
            ids: plan.nodes.flatMap { $0.toShip.map(\.orderID) + $0.toCancel.map(\.units.orderID) })
        var documents: [DocumentToRecord<FulfilmentCoverage>] = []
        var contents: [String: [UInt8]] = [:]
        for work in plan.nodes {
            guard let format = formats[work.node] else { continue }
            let cancellations = work.toCancel.map(\.units)
            if !cancellations.isEmpty,
                let file = renderedOrWaiting(
                    fulfilmentDocument(.cancellation, work.node, cancellations, orders, at: time), in: format,
                    &outcome.failures)
            {
                contents[file.path] = file.content
                documents.append(
                    DocumentToRecord(
                        destination: work.node, rendered: file, covers: .tellsOf(cancellations: work.toCancel.map(\.id))
                    ))
            }
            if !work.toShip.isEmpty,
                let file = renderedOrWaiting(
                    fulfilmentDocument(.order, work.node, work.toShip, orders, at: time), in: format, &outcome.failures)
            {
                contents[file.path] = file.content
                documents.append(
                    DocumentToRecord(destination: work.node, rendered: file, covers: .handsOver(work.toShip)))
            }
        }
        let recorded = try store.recordFulfilmentDocuments(documents, basedOn: revision, at: time)
        write(recorded.map { ($0, contents[$0.path] ?? []) }, at: time, into: &outcome)
    }

    /// The fulfilment document of `kind` handing `units` to `node` (or taking them back).
    private func fulfilmentDocument(
        _ kind: FulfilmentDocumentKind, _ node: String, _ units: [FulfilmentCandidate], _ orders: [Int64: StoredOrder],
        at time: Timestamp
    ) -> FulfilmentOrder {
        FulfilmentOrder(
            type: kind.rawValue, number: "\(kind == .order ? "FO" : "FC")-\(node)-\(Self.wave(time))", node: node,
            wave: time,
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
