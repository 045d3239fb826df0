import Foundation
import Logging
public import OmnihubCore
import OmnihubStore

extension OutboxEmitter {
    /// Invoices every order's shipped units that no invoice covers yet (the shipping charge with
    /// the order's first invoice), and books them in one ledger batch, in parts of ``partSize``
    /// orders. An order whose invoice (or its own bookings) cannot be made is reported and left
    /// out: its shipments wait for the next run, its number goes to the next order, and the
    /// other orders are invoiced.
    func recordInvoices(at time: Timestamp, into outcome: inout Outcome) throws {
        guard let finance = configuration.finance else { return }
        var after: Int64 = 0
        while true {
            let facts = try store.invoicingFacts(after: after, limit: partSize)
            guard let last = facts.last else { return }
            // Quickly first: one bookings batch for the part. When it cannot be rendered, each
            // order's bookings are rendered on their own to find the ones at fault.
            var issue = invoices(facts, finance, at: time, checkingBookings: false, into: &outcome)
            var bookings: RenderedDocument?
            do {
                bookings = try self.bookings(issue.map(\.document), finance, at: time)
            } catch {
                issue = invoices(facts, finance, at: time, checkingBookings: true, into: &outcome)
                bookings = try self.bookings(issue.map(\.document), finance, at: time)
            }
            let recorded = try store.recordFinanceDocuments(
                issue, kind: .invoice, firstSequence: facts.nextSequence, bookings: bookings, at: time)
            write(
                recorded, rendered: issue.compactMap(\.rendered) + (bookings.map { [$0] } ?? []), at: time,
                into: &outcome)
            after = last
            if stopRequested() {
                logger.notice("stop requested: the rest of the invoices waits for the next run")
                return
            }
        }
    }

    /// The invoices of a part, numbered on from the facts' next sequence number without gaps:
    /// an order whose invoice (or, `checkingBookings`, its own bookings) cannot be rendered is
    /// reported and left out.
    private func invoices(
        _ facts: InvoicingFacts, _ finance: Configuration.Finance, at time: Timestamp, checkingBookings: Bool,
        into outcome: inout Outcome
    ) -> [IssuedFinanceDocument] {
        var issued: [IssuedFinanceDocument] = []
        for entry in facts.orders {
            let invoice = Invoice.issue(
                .invoice,
                number: Invoice.number(prefix: finance.invoicePrefix, sequence: facts.nextSequence + issued.count),
                destination: finance.destination, at: time, order: entry.order, units: entry.units,
                history: entry.history, defaultTaxRate: finance.defaultTaxRate)
            do {
                let file = try finance.invoiceFormat.map { try rendered(invoice, in: $0) }
                if checkingBookings { _ = try bookings([invoice], finance, at: time) }
                issued.append(
                    IssuedFinanceDocument(
                        orderID: entry.orderID, document: invoice, rendered: file, shipments: entry.shipments.map(\.id))
                )
            } catch {
                // The careful pass reports only what the quick one could not see, so an order is
                // not reported twice.
                if !checkingBookings || error is BookingsFailure {
                    refuse(
                        what: "invoice", order: entry.order.externalID, reason: error,
                        until: "its shipments are invoiced", into: &outcome)
                }
            }
        }
        return issued
    }

    /// The bookings batch of `documents`, or `nil` when the ERP takes none.
    private func bookings(_ documents: [Invoice], _ finance: Configuration.Finance, at time: Timestamp) throws
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

    /// Issues a credit note for `units` (order line position → units) of an order's invoiced
    /// units, records it with its bookings and refund message, and writes the files.
    ///
    /// - Throws: when the configuration has no `finance:` section, or the order's invoices do not
    ///   carry the units.
    public func issueCreditNote(orderID: Int64, units: [Int: Int], reason: String, at time: Timestamp) throws
        -> (creditNote: Invoice, outcome: Outcome)
    {
        guard let finance = configuration.finance else {
            throw ConfigurationError(
                file: configuration.file, line: nil, key: "finance",
                message: "there is no finance: section; add one to issue invoices and credit notes")
        }
        let (stored, history, sequence) = try store.creditNoteFacts(orderID: orderID)
        if let refusal = history.refusal(crediting: units, of: stored.order) {
            throw CreditNoteRefused(message: refusal, location: "order \(stored.order.externalID)")
        }
        let creditNote = Invoice.issue(
            .creditNote, number: Invoice.number(prefix: finance.creditNotePrefix, sequence: sequence),
            destination: finance.destination, at: time, order: stored.order, units: units, history: history,
            defaultTaxRate: finance.defaultTaxRate)
        let file = try finance.creditNoteFormat.map { try rendered(creditNote, in: $0) }
        let bookings = try bookings([creditNote], finance, at: time)
        var refundNotice: (notification: NotificationToRecord, destination: String)?
        if let settings = configuration.notifications {
            let request = NotificationRequest(
                orderID: stored.id, order: stored.order, event: .refundIssued, reference: creditNote.number,
                shipments: [], amount: creditNote.payableTotal)
            refundNotice = (
                NotificationToRecord(request: request, rendered: try notification(request, settings, at: time)),
                settings.destination
            )
        }
        let recorded = try store.recordFinanceDocuments(
            [IssuedFinanceDocument(orderID: orderID, document: creditNote, rendered: file, reason: reason)],
            kind: .creditNote, firstSequence: sequence, bookings: bookings, refundNotice: refundNotice, at: time)
        var outcome = Outcome()
        let files = [file, bookings, refundNotice?.notification.rendered].compactMap { $0 }
        write(recorded, rendered: files, at: time, into: &outcome)
        return (creditNote, outcome)
    }
}

/// A credit note asks for units the order's invoices do not carry.
public struct CreditNoteRefused: OmnihubError {
    /// What was asked, what the invoices carry, and what to do.
    public let message: String
    /// The order.
    public let location: String

    public var kind: FailureKind { .rejected }
    public var errorCode: String { "credit_not_invoiced" }
    public var description: String { message }
}

/// The bookings batch could not be rendered.
struct BookingsFailure: Error, CustomStringConvertible {
    let underlying: any Error

    var description: String { "\(underlying)" }
}
