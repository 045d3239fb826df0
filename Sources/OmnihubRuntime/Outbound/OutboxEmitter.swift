import Foundation
public import Logging
public import OmnihubCore
public import OmnihubStore

/// Writes the outbox: each node gets the units sourcing reserved there, as a fulfilment order in
/// the node's own format, and is told of handed-over units a cancellation took back, as a
/// fulfilment cancellation in the same format; each channel that takes them gets an
/// acknowledgement of its new orders, a shipping confirmation of the shipments booked for its
/// orders, and an inventory feed. Each file is written exactly once into
/// `outbox/<node or partner>/`.
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

    /// An emitter for the nodes and partners of `configuration` that name an outbound format.
    public init(configuration: Configuration, store: OrderStore, logger: Logger, partSize: Int = 500) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.partSize = max(1, partSize)
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
            do {
                try body(&outcome)
            } catch {
                logger.error("\(what) were not recorded: \(error)")
                outcome.failures.append(
                    CycleReport.Failure(path: configuration.outboxFolder, message: "\(what): \(error)"))
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
        recordInventoryFeeds(at: time, into: &outcome)
        return outcome
    }

    private func recordFulfilmentDocuments(
        _ formats: [String: OutputFormat], at time: Timestamp, into outcome: inout Outcome
    ) throws {
        var contents: [String: [UInt8]] = [:]
        var refused: [CycleReport.Failure] = []
        let documents = try store.recordFulfilmentDocuments(at: time) { kind, node, units, orders in
            guard let format = formats[node] else { return nil }
            let wave = Self.wave(time)
            let document = FulfilmentOrder(
                type: kind.rawValue, number: "\(kind == .order ? "FO" : "FC")-\(node)-\(wave)", node: node, wave: time,
                lines: units.compactMap { unit in
                    guard let stored = orders[unit.orderID], unit.position <= stored.order.lines.count else {
                        return nil
                    }
                    let order = stored.order
                    let line = order.lines[unit.position - 1]
                    return FulfilmentOrder.Line(
                        channel: order.channel, orderNumber: order.externalID, lineID: line.lineID, sku: unit.sku,
                        title: line.title, quantity: unit.quantity, delivery: order.delivery.method.rawValue,
                        pickupNode: order.delivery.pickupNode, shipTo: order.shipTo, reason: unit.reason)
                })
            let file = renderedOrWaiting(document, in: format, &refused)
            if let file { contents[file.path] = file.content }
            return file
        }
        outcome.failures += refused
        write(documents.map { ($0, contents[$0.path] ?? []) }, at: time, into: &outcome)
    }

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

    private func recordInventoryFeeds(at time: Timestamp, into outcome: inout Outcome) {
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

    private func recordOrderAcknowledgements(at time: Timestamp, into outcome: inout Outcome) throws {
        var formats: [String: OutputFormat] = [:]
        for partner in configuration.partners {
            if let format = partner.orderAcknowledgementFormat { formats[partner.id] = format }
        }
        guard !formats.isEmpty else { return }
        var contents: [String: [UInt8]] = [:]
        var refused: [CycleReport.Failure] = []
        let documents = try store.recordOrderAcknowledgements(channels: Array(formats.keys), at: time) {
            channel, lines in
            let format = formats[channel]!
            let wave = Self.wave(time)
            let document = OrderAcknowledgement(
                number: "OA-\(channel)-\(wave)", channel: channel, wave: time,
                lines: lines.map { line in
                    OrderAcknowledgement.Line(
                        orderNumber: line.orderNumber, merchantOrderID: String(line.orderID), lineID: line.lineID,
                        linePosition: line.position, sku: line.sku, quantity: line.quantity)
                })
            let file = renderedOrWaiting(document, in: format, &refused)
            if let file { contents[file.path] = file.content }
            return file
        }
        outcome.failures += refused
        write(documents.map { ($0, contents[$0.path] ?? []) }, at: time, into: &outcome)
    }

    private func recordSellerCancellations(at time: Timestamp, into outcome: inout Outcome) throws {
        var formats: [String: OutputFormat] = [:]
        for partner in configuration.partners {
            if let format = partner.orderCancellationFormat { formats[partner.id] = format }
        }
        guard !formats.isEmpty else { return }
        var contents: [String: [UInt8]] = [:]
        var refused: [CycleReport.Failure] = []
        let documents = try store.recordSellerCancellations(channels: Array(formats.keys), at: time) {
            channel, lines in
            let document = OrderAcknowledgement(
                number: "OC-\(channel)-\(Self.wave(time))", channel: channel, wave: time,
                lines: lines.map { line in
                    OrderAcknowledgement.Line(
                        orderNumber: line.orderNumber, merchantOrderID: String(line.orderID), lineID: line.lineID,
                        linePosition: line.position, sku: line.sku, quantity: line.quantity, reason: line.reason)
                }, type: "order_cancellation")
            let file = renderedOrWaiting(document, in: formats[channel]!, &refused)
            if let file { contents[file.path] = file.content }
            return file
        }
        outcome.failures += refused
        write(documents.map { ($0, contents[$0.path] ?? []) }, at: time, into: &outcome)
    }

    private func recordShippingConfirmations(at time: Timestamp, into outcome: inout Outcome) throws {
        var formats: [String: OutputFormat] = [:]
        for partner in configuration.partners {
            if let format = partner.shippingConfirmationFormat { formats[partner.id] = format }
        }
        guard !formats.isEmpty else { return }
        var contents: [String: [UInt8]] = [:]
        var refused: [CycleReport.Failure] = []
        let documents = try store.recordShippingConfirmations(at: time) { channel, shipments in
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

    /// The time this run's documents are released at: `now`, or, when the last run recorded
    /// documents in the same second (or a later one), the second after that run's, so no two
    /// runs share a wave, and so no document number or file name.
    func waveTime(_ now: Timestamp) throws -> Timestamp {
        guard let text = try store.latestDocumentTime(),
            let last = try? DateTimeFormat.iso8601.parse(text, zone: nil)
        else { return now }
        let lastSecond = last.millisecondsSince1970 - last.millisecondsSince1970 % 1000
        guard now.millisecondsSince1970 < lastSecond + 1000 else { return now }
        return Timestamp(millisecondsSince1970: lastSecond + 1000)
    }

    /// The wave in document numbers: the time as yyyyMMddHHmmss.
    static func wave(_ time: Timestamp) -> String {
        String(time.description.filter(\.isNumber).prefix(14))
    }

    /// The document's file, or `nil` with the reason added to `refused` when it cannot be made:
    /// what it would carry waits for the next run, and the other destinations get theirs.
    func renderedOrWaiting(
        _ document: some FormattedDocument, in format: OutputFormat, _ refused: inout [CycleReport.Failure]
    ) -> RenderedDocument? {
        do {
            return try rendered(document, in: format)
        } catch {
            logger.error("\(document.number) was not made: \(error)")
            refused.append(
                CycleReport.Failure(
                    path: configuration.outboxFolder,
                    message: "\(document.type.replacingOccurrences(of: "_", with: " ")) for \(document.destination): "
                        + "\(error); what it carries waits until it can be written"))
            return nil
        }
    }

    /// The document's bytes in `format`, and where in the outbox they go: `<outbox>/<destination>/`.
    func rendered(_ document: some FormattedDocument, in format: OutputFormat) throws -> RenderedDocument {
        let content: [UInt8]
        do {
            content = try format.render(document)
        } catch {
            throw FileError(
                operation: "render the \(document.type.replacingOccurrences(of: "_", with: " ")) for",
                path: document.destination, reason: error.message)
        }
        Failpoint.afterOutboxRender.reach()
        let folder = (configuration.outboxFolder as NSString).appendingPathComponent(document.destination)
        return RenderedDocument(
            number: document.number, path: (folder as NSString).appendingPathComponent(format.fileName(for: document)),
            content: content)
    }

    func write(
        _ document: OutboundDocument, _ content: [UInt8], at time: Timestamp, into outcome: inout Outcome
    ) {
        write([(document, content)], at: time, into: &outcome)
    }

    /// Writes recorded documents with their recorded bytes, flushed together, and marks them
    /// written. A file already at a document's path is never overwritten: with the same bytes the
    /// document counts as written (an earlier run got that far), with other bytes it stays pending.
    func write(
        _ documents: [(document: OutboundDocument, content: [UInt8])], at time: Timestamp,
        into outcome: inout Outcome
    ) {
        guard !documents.isEmpty else { return }
        Failpoint.beforeOutboxWrite.reach()
        var toWrite: [(data: Data, path: String)] = []
        var failed: [String: any Error] = [:]
        for (document, content) in documents {
            if let existing = FileManager.default.contents(atPath: document.path) {
                if Array(existing) != content {
                    failed[document.path] = FileError(
                        operation: "write", path: document.path,
                        reason: "another file with that name is already there and omnihub never overwrites an outbox "
                            + "file; move it away and run again, \(document.number) stays pending until then")
                }
            } else {
                toWrite.append((Data(content), document.path))
            }
        }
        for (path, error) in FileMover.writeAllAtomically(toWrite) { failed[path] = error }
        if !toWrite.isEmpty { Failpoint.afterOutboxWrite.reach() }
        let done = documents.map(\.document).filter { failed[$0.path] == nil }
        do {
            try store.markWritten(done.map(\.id), at: time)
        } catch {
            logger.error("the outbox files were written but not marked: \(error)")
            outcome.failures.append(
                CycleReport.Failure(
                    path: configuration.storePath,
                    message: "outbox: \(error); the files are there and are recognised next run"))
            return
        }
        for (document, _) in documents {
            if let error = failed[document.path] {
                logger.error("\(document.number) not written: \(error)")
                outcome.failures.append(CycleReport.Failure(path: document.path, message: "outbox: \(error)"))
                continue
            }
            logger.info("wrote \(document.kind) \(document.number) → \(document.path)")
            var written = document
            written.status = "written"
            written.writtenAt = time.description
            outcome.written.append(written)
        }
    }
}
