import Foundation
import Logging
public import OmnihubCore
import OmnihubStore

extension OutboxEmitter {
    /// Invoices every order's shipped units that no invoice covers yet (the shipping charge with
    /// the order's first invoice), and books them in one ledger batch.
    func recordInvoices(at time: Timestamp, into outcome: inout Outcome) throws {
        guard let finance = configuration.finance else { return }
        try inParts(at: time, into: &outcome, what: "invoice", until: "its shipments are invoiced") { after, keep in
            let steps = rendering(finance, kind: .invoice, at: time, keep: keep)
            do {
                // Quickly first; when the part's bookings cannot be rendered, nothing of it was
                // recorded, and it is made again order by order to find the ones at fault. (A
                // failing database fails the careful attempt too, and that error is thrown.)
                return try store.recordInvoices(
                    at: time, prefix: finance.invoicePrefix, after: after, limit: partSize, careful: false, steps)
            } catch {
                return try store.recordInvoices(
                    at: time, prefix: finance.invoicePrefix, after: after, limit: partSize, careful: true, steps)
            }
        }
    }

    /// Issues a credit note for `units` (order line position → units) of an order's invoiced
    /// units, records it with its bookings and writes the files.
    ///
    /// - Throws: when the configuration has no `finance:` section, or the store refuses the units.
    public func issueCreditNote(orderID: Int64, units: [Int: Int], reason: String, at time: Timestamp) throws
        -> (creditNote: Invoice, outcome: Outcome)
    {
        guard let finance = configuration.finance else {
            throw FileError(
                operation: "issue a credit note with", path: configuration.file,
                reason: "the configuration has no finance: section; add one to issue invoices and credit notes")
        }
        var contents: [String: [UInt8]] = [:]
        var steps = rendering(finance, kind: .creditNote, at: time) { contents[$0.path] = $0.content }
        steps.refundNotice = refundNotice(at: time) { contents[$0.path] = $0.content }
        let (creditNote, documents) = try store.recordCreditNote(
            orderID: orderID, units: units, reason: reason, at: time, prefix: finance.creditNotePrefix, steps)
        var outcome = Outcome()
        write(documents.map { ($0, contents[$0.path] ?? []) }, at: time, into: &outcome)
        return (creditNote, outcome)
    }

    /// Whether crediting `units` gives back everything the customer received, with nothing left
    /// to ship: then the shipping charge is refunded too (as on a withdrawal from the purchase).
    static func everythingBack(_ order: Order, _ history: FinanceHistory, crediting units: [Int: Int]) -> Bool {
        guard history.shippingInvoiced, !history.shippingCredited else { return false }
        return order.lines.indices.allSatisfy { index in
            let position = index + 1
            let invoiced = history.invoicedUnits[position] ?? 0
            let credited = (history.creditedUnits[position] ?? 0) + (units[position] ?? 0)
            return credited == invoiced
                && invoiced + (history.cancelledUnits[position] ?? 0) == order.lines[index].quantity
        }
    }

    /// How the store's finance documents are built and rendered: each priced with the order's
    /// ``OrderSettlement``, units counted on from those already invoiced (or credited).
    private func rendering(
        _ finance: Configuration.Finance, kind: Invoice.Kind, at time: Timestamp,
        keep: @escaping (RenderedDocument) -> Void
    ) -> FinanceRendering {
        let format = kind == .invoice ? finance.invoiceFormat : finance.creditNoteFormat
        return FinanceRendering(
            issue: { stored, units, history, number in
                let order = stored.order
                let settlement = OrderSettlement(order: order, defaultTaxRate: finance.defaultTaxRate)
                let before = kind == .invoice ? history.invoicedUnits : history.creditedUnits
                let parts = units.sorted { $0.key < $1.key }.map { position, quantity in
                    let from = before[position] ?? 0
                    return Invoice.Units(
                        orderLine: position, quantity: quantity,
                        value: settlement.shipped(line: position - 1, from: from, to: from + quantity))
                }
                return Invoice(
                    kind: kind, number: number, destination: finance.destination, issuedAt: time, order: order,
                    settlement: settlement, units: parts,
                    withShipping: kind == .invoice
                        ? !history.shippingInvoiced : Self.everythingBack(order, history, crediting: units),
                    invoiceReference: kind == .creditNote ? history.lastInvoiceNumber : nil)
            },
            render: { document in
                guard let format else { return nil }
                let file = try rendered(document, in: format)
                keep(file)
                return file
            },
            bookings: { documents in
                guard let format = finance.bookingsFormat else { return nil }
                let batch = FinanceBookings(
                    // Named after its first document, which is in no other batch: unique however
                    // quickly batches follow each other.
                    number: "BS-" + (documents.first?.number ?? Self.wave(time)),
                    destination: finance.destination, createdAt: time, documents: documents, zone: format.timeZone)
                let file = try rendered(batch, in: format)
                keep(file)
                return file
            })
    }
}
