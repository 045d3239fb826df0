package import OmnihubCore
import OmnihubStore

/// Issues credit notes, with their bookings and the customer's refund message: for returned
/// units each run, and on request (`omnihub finance credit-note`).
struct CreditNoteEmitter: DocumentEmitter {
    let writer: OutboxWriter

    var documents: String { "credit notes for returns" }

    /// Credits the returned units no credit note covers yet, one credit note per order and run.
    /// Returns of units not invoiced yet, and orders whose credit note cannot be made, are
    /// reported and wait for the next run; the others are issued.
    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws {
        guard writer.configuration.finance != nil else { return }
        var after: Int64 = 0
        while true {
            let part = try writer.store.finance.uncreditedReturns(after: after, limit: writer.partSize)
            guard let last = part.last else { return }
            for order in part {
                do {
                    let issued = try issue(
                        orderID: order.orderID, units: order.units, reason: "returned", returns: order.returns, at: time
                    )
                    outcome.add(issued.outcome)
                } catch {
                    writer.refuse(
                        what: "credit note for a return", order: String(order.orderID), reason: error,
                        until: "it can be issued", into: &outcome)
                }
            }
            after = last.orderID
            if writer.stopRequested() { return }
        }
    }

    /// Issues a credit note for `units` (order line position → units) of an order's invoiced
    /// units, records it with its bookings and refund message, and writes the files.
    ///
    /// - Throws: when the configuration has no `finance:` section, or the order's invoices do not
    ///   carry the units.
    func issue(orderID: Int64, units: [Int: Int], reason: String, returns: [Int64] = [], at time: Timestamp) throws
        -> (creditNote: Invoice, outcome: EmitOutcome)
    {
        guard let finance = writer.configuration.finance else {
            throw ConfigurationError(
                file: writer.configuration.file, line: nil, key: "finance",
                message: "there is no finance: section; add one to issue invoices and credit notes")
        }
        let (stored, history, sequence) = try writer.store.finance.creditNoteFacts(orderID: orderID)
        if let refusal = history.refusal(crediting: units, of: stored.order) {
            throw CreditNoteRefused(message: refusal, location: "order \(stored.order.externalID)")
        }
        let creditNote = Invoice.issue(
            .creditNote, number: Invoice.number(prefix: finance.creditNotePrefix, sequence: sequence),
            destination: finance.destination, at: time, order: stored.order, units: units, history: history,
            defaultTaxRate: finance.defaultTaxRate)
        let file = try finance.creditNoteFormat.map { try writer.rendered(creditNote, in: $0) }
        let bookings = try writer.bookings([creditNote], finance, at: time)
        var refundNotice: (notification: NotificationToRecord, destination: String)?
        if let settings = writer.configuration.notifications {
            let request = NotificationRequest(
                orderID: stored.id, order: stored.order, event: .refundIssued, reference: creditNote.number,
                shipments: [], amount: creditNote.payableTotal)
            refundNotice = (
                NotificationToRecord(
                    request: request,
                    rendered: try NotificationEmitter(writer: writer).notification(request, settings, at: time)),
                settings.destination
            )
        }
        let recorded = try writer.store.finance.recordFinanceDocuments(
            [
                IssuedFinanceDocument(
                    orderID: orderID, document: creditNote, rendered: file, reason: reason, returns: returns)
            ],
            kind: .creditNote, firstSequence: sequence, bookings: bookings, refundNotice: refundNotice, at: time)
        var outcome = EmitOutcome()
        let files = [file, bookings, refundNotice?.notification.rendered].compactMap { $0 }
        writer.write(recorded, rendered: files, at: time, into: &outcome)
        return (creditNote, outcome)
    }
}

/// A credit note asks for units the order's invoices do not carry.
package struct CreditNoteRefused: OmnihubError {
    /// What was asked, what the invoices carry, and what to do.
    package let message: String
    /// The order.
    package let location: String

    package var kind: FailureKind { .rejected }
    package var errorCode: String { "credit_not_invoiced" }
    package var description: String { message }
}
