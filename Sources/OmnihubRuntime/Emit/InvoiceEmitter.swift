import Logging
import OmnihubCore
import OmnihubStore

/// Invoices shipped units for the ERP, with their bookings.
struct InvoiceEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "invoices" }

    /// Invoices every order's shipped units that no invoice covers yet (the shipping charge with
    /// the order's first invoice), and books them in one ledger batch, part by part
    /// (``OutboxWriter/partSize`` orders each). An order whose invoice (or its own bookings)
    /// cannot be made is reported and left out: its shipments wait for the next run, its number
    /// goes to the next order, and the other orders are invoiced.
    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        guard let finance = writer.configuration.finance else { return }
        // A part's files are written on a thread of their own while the next part is read,
        // rendered and recorded; the one before is waited for first, so at most one part's
        // files are being written, and each only after its part is recorded.
        var writing: BackgroundJob<EmitOutcome>?
        defer {
            if let writing { outcome.add(writing.wait()) }
        }
        let store = writer.store
        let partSize = writer.partSize
        let readPart: @Sendable (Int64) throws -> InvoicingFacts = { after in
            try store.finance.invoicingFacts(after: after, limit: partSize)
        }
        // The part after this one is read while this one is rendered and recorded; the number it
        // starts at is the one this part leaves (the store refuses it if another run took it).
        var nextSequence: Int?
        try forEachPart(read: readPart, last: \.last) { read in
            var facts = read
            if let nextSequence { facts.nextSequence = nextSequence }
            // Quickly first: one bookings batch for the part. When it cannot be rendered, each
            // order's bookings are rendered on their own to find the ones at fault.
            var issue = invoices(facts, finance, at: time, checkingBookings: false, into: &outcome)
            var bookings: RenderedDocument?
            do {
                bookings = try writer.bookings(issue.map(\.document), finance, at: time)
            } catch {
                issue = invoices(facts, finance, at: time, checkingBookings: true, into: &outcome)
                bookings = try writer.bookings(issue.map(\.document), finance, at: time)
            }
            let recorded = try writer.store.finance.recordFinanceDocuments(
                issue, kind: .invoice, firstSequence: facts.nextSequence, bookings: bookings, at: time)
            nextSequence = facts.nextSequence + issue.count
            if let previous = writing { outcome.add(previous.wait()) }
            writing = writer.writeInBackground(
                recorded, rendered: issue.compactMap(\.rendered) + (bookings.map { [$0] } ?? []), at: time,
                after: outcome)
            if writer.stopRequested() {
                writer.logger.notice("stop requested: the rest of the invoices waits for the next run")
                return false
            }
            return true
        }
    }

    /// The invoices of a part, numbered on from the facts' next sequence number without gaps:
    /// an order whose invoice (or, `checkingBookings`, its own bookings) cannot be rendered is
    /// reported and left out.
    ///
    /// Rendered on every core at once, each order numbered as if none before it failed; from an
    /// order that did fail on, the rest are issued again one by one with the numbers that follow,
    /// so the part is the same on any number of cores.
    private func invoices(
        _ facts: InvoicingFacts, _ finance: Configuration.Finance, at time: Timestamp, checkingBookings: Bool,
        into outcome: inout EmitOutcome
    ) -> [IssuedFinanceDocument] {
        let orders = facts.orders
        let writer = writer
        let rendered = parallelMap(orders.count, workers: outboxWorkers, minimumPerWorker: 16) { index in
            Result {
                try Self.issue(
                    orders[index], sequence: facts.nextSequence + index, finance, at: time,
                    checkingBookings: checkingBookings, writer: writer)
            }
        }
        var issued: [IssuedFinanceDocument] = []
        for (index, entry) in orders.enumerated() {
            let attempt =
                issued.count == index
                ? rendered[index]
                : Result {
                    try Self.issue(
                        entry, sequence: facts.nextSequence + issued.count, finance, at: time,
                        checkingBookings: checkingBookings, writer: writer)
                }
            switch attempt {
            case .success(let document):
                issued.append(document)
            case .failure(let error):
                // The careful pass reports only what the quick one could not see, so an order is
                // not reported twice.
                if !checkingBookings || error is BookingsFailure {
                    writer.refuse(
                        what: "invoice", order: entry.order.externalID, reason: error,
                        until: "its shipments are invoiced", into: &outcome)
                }
            }
        }
        return issued
    }

    /// One order's invoice with the given sequence number, and its file.
    private static func issue(
        _ entry: InvoicingFacts.Uninvoiced, sequence: Int, _ finance: Configuration.Finance, at time: Timestamp,
        checkingBookings: Bool, writer: OutboxWriter
    ) throws -> IssuedFinanceDocument {
        let invoice = Invoice.issue(
            .invoice, number: Invoice.number(prefix: finance.invoicePrefix, sequence: sequence),
            destination: finance.destination, at: time, order: entry.order, units: entry.units,
            history: entry.history, defaultTaxRate: finance.defaultTaxRate)
        let file = try finance.invoiceFormat.map { try writer.rendered(invoice, in: $0).readyForStore() }
        if checkingBookings { _ = try writer.bookings([invoice], finance, at: time) }
        return IssuedFinanceDocument(
            orderID: entry.orderID, document: invoice, rendered: file, shipments: entry.shipments.map(\.id))
    }
}

extension OutboxWriter {
    /// The bookings batch of `documents`, or `nil` when the ERP takes none.
    func bookings(_ documents: [Invoice], _ finance: Configuration.Finance, at time: Timestamp) throws
        -> RenderedDocument?
    {
        guard let format = finance.bookingsFormat, let first = documents.first else { return nil }
        // Named after its first document, which is in no other batch: unique however quickly
        // batches follow each other.
        let batch = FinanceBookings(
            number: "BS-" + first.number, destination: finance.destination, createdAt: time, documents: documents,
            zone: format.timeZone)
        do {
            return try rendered(batch, in: format)
        } catch {
            throw BookingsFailure(underlying: error)
        }
    }
}

/// The bookings batch could not be rendered.
struct BookingsFailure: Error, CustomStringConvertible {
    let underlying: any Error

    var description: String { "\(underlying)" }
}
