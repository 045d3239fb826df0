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
        var after: Int64 = 0
        while true {
            let facts = try writer.store.finance.invoicingFacts(after: after, limit: writer.partSize)
            guard let last = facts.last else { return }
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
            writer.write(
                recorded, rendered: issue.compactMap(\.rendered) + (bookings.map { [$0] } ?? []), at: time,
                into: &outcome)
            after = last
            if writer.stopRequested() {
                writer.logger.notice("stop requested: the rest of the invoices waits for the next run")
                return
            }
        }
    }

    /// The invoices of a part, numbered on from the facts' next sequence number without gaps:
    /// an order whose invoice (or, `checkingBookings`, its own bookings) cannot be rendered is
    /// reported and left out.
    private func invoices(
        _ facts: InvoicingFacts, _ finance: Configuration.Finance, at time: Timestamp, checkingBookings: Bool,
        into outcome: inout EmitOutcome
    ) -> [IssuedFinanceDocument] {
        var issued: [IssuedFinanceDocument] = []
        for entry in facts.orders {
            let invoice = Invoice.issue(
                .invoice,
                number: Invoice.number(prefix: finance.invoicePrefix, sequence: facts.nextSequence + issued.count),
                destination: finance.destination, at: time, order: entry.order, units: entry.units,
                history: entry.history, defaultTaxRate: finance.defaultTaxRate)
            do {
                let file = try finance.invoiceFormat.map { try writer.rendered(invoice, in: $0) }
                if checkingBookings { _ = try writer.bookings([invoice], finance, at: time) }
                issued.append(
                    IssuedFinanceDocument(
                        orderID: entry.orderID, document: invoice, rendered: file, shipments: entry.shipments.map(\.id))
                )
            } catch {
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
