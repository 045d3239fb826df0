package import OmnihubCore
import OmnihubStore

/// Issues a credit note on request (`omnihub finance credit-note`), with its bookings and the
/// customer's refund message.
struct CreditNoteEmitter {
    let writer: OutboxWriter

    /// Issues a credit note for `units` (order line position → units) of an order's invoiced
    /// units, records it with its bookings and refund message, and writes the files.
    ///
    /// - Throws: when the configuration has no `finance:` section, or the order's invoices do not
    ///   carry the units.
    func issue(orderID: Int64, units: [Int: Int], reason: String, at time: Timestamp) throws
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
            [IssuedFinanceDocument(orderID: orderID, document: creditNote, rendered: file, reason: reason)],
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
