import Foundation
import GRDB
public import OmnihubCore

/// What an order has been invoiced and credited so far.
public struct FinanceHistory: Sendable, Hashable {
    /// Per order line position: units on invoices.
    public var invoicedUnits: [Int: Int] = [:]
    /// Per order line position: units on credit notes.
    public var creditedUnits: [Int: Int] = [:]
    /// Per order line position: units cancelled before they shipped.
    public var cancelledUnits: [Int: Int] = [:]
    /// Whether an invoice carried the shipping charge.
    public var shippingInvoiced = false
    /// Whether a credit note gave the shipping charge back.
    public var shippingCredited = false
    /// The order's latest invoice, which a credit note refers to.
    public var lastInvoiceNumber: String?
    /// Gross totals of every invoice and credit note, as issued.
    public var invoicedTotal = Amount.zero
    public var creditedTotal = Amount.zero
}

/// How a finance document is made and written: `issue` builds the invoice or credit note for new
/// units of an order (position → units) with the number the store assigns; `render` gives its file
/// (or `nil` when the ERP takes no such files); `bookings` gives the ledger batch of all documents
/// issued in one go (or `nil`).
public struct FinanceRendering {
    public var issue:
        (_ order: StoredOrder, _ units: [Int: Int], _ history: FinanceHistory, _ number: String) throws -> Invoice
    public var render: (_ document: Invoice) throws -> RenderedDocument?
    public var bookings: (_ documents: [Invoice]) throws -> RenderedDocument?
    /// The customer's message that a credit note's amount was refunded, and the folder it goes to.
    public var refundNotice: (destination: String, render: (NotificationRequest) throws -> RenderedDocument?)?

    /// The three steps.
    public init(
        issue: @escaping (StoredOrder, [Int: Int], FinanceHistory, String) throws -> Invoice,
        render: @escaping (Invoice) throws -> RenderedDocument?,
        bookings: @escaping ([Invoice]) throws -> RenderedDocument?
    ) {
        self.issue = issue
        self.render = render
        self.bookings = bookings
    }
}

extension OrderStore {
    /// Issues one invoice per order for its shipped units no invoice covers yet, and one bookings
    /// batch for them, in one transaction with their files (written afterwards by the caller):
    /// at most `limit` orders, those with ids above `after`, so a large batch is issued, written
    /// and let go of in parts. Numbers are `<prefix><sequence>`, without gaps, in issue order. An
    /// order whose invoice or bookings cannot be rendered is left out (and returned with the
    /// reason); its shipments wait for the next run, and the other orders are invoiced.
    ///
    /// Each order's bookings are rendered on their own too when `careful` (slower); otherwise one
    /// order whose bookings cannot be rendered fails the whole part, which the caller then
    /// records again carefully.
    ///
    public func recordInvoices(
        at time: Timestamp, prefix: String, after: Int64 = 0, limit: Int = 500, careful: Bool = true,
        _ rendering: FinanceRendering
    ) throws -> RecordedPart {
        try write { db in
            var byOrder: [Int64: [(id: Int64, position: Int, quantity: Int)]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT id, order_id, position, quantity FROM shipments
                    WHERE invoice_id IS NULL AND order_id IN (
                        SELECT DISTINCT order_id FROM shipments WHERE invoice_id IS NULL AND order_id > ?
                        ORDER BY order_id LIMIT ?)
                    ORDER BY id
                    """, arguments: [after, limit])
            {
                byOrder[row["order_id"], default: []].append((row["id"], row["position"], row["quantity"]))
            }
            var issued: [Invoice] = []
            var part = RecordedPart(last: byOrder.keys.max())
            for orderID in byOrder.keys.sorted() {
                let shipments = byOrder[orderID]!
                guard let order = try Self.storedOrder(db, id: orderID) else { continue }
                var units: [Int: Int] = [:]
                for shipment in shipments { units[shipment.position, default: 0] += shipment.quantity }
                try part.attempt(db, order: order.order.externalID) {
                    let (invoice, document) = try Self.issue(
                        db, .invoice, order: order, history: try Self.financeHistory(db, orderID: orderID),
                        units: units, prefix: prefix, at: time, reason: nil, rendering)
                    // Its bookings must render too, or the batch of every order would fail.
                    if careful { _ = try rendering.bookings([invoice.document]) }
                    for shipment in shipments {
                        try db.execute(
                            sql: "UPDATE shipments SET invoice_id = ? WHERE id = ?",
                            arguments: [invoice.id, shipment.id])
                    }
                    issued.append(invoice.document)
                    return document
                }
            }
            part.documents += try Self.recordBookings(db, issued, at: time, rendering)
            return part
        }
    }

    /// Issues a credit note for `units` (position → units) of an order's invoiced units, with its
    /// file and its bookings, in one transaction.
    ///
    /// - Throws: ``StoreError`` when the order does not exist or a line would be credited more
    ///   units than its invoices carry.
    public func recordCreditNote(
        orderID: Int64, units: [Int: Int], reason: String, at time: Timestamp, prefix: String,
        _ rendering: FinanceRendering
    ) throws -> (creditNote: Invoice, documents: [OutboundDocument]) {
        try write { db in
            guard let order = try Self.storedOrder(db, id: orderID) else {
                throw StoreError(.refused, path: path, message: "there is no order \(orderID); see omnihub orders list")
            }
            guard !units.isEmpty else {
                throw StoreError(.refused, path: path, message: "a credit note needs at least one line with units")
            }
            let history = try Self.financeHistory(db, orderID: orderID)
            for (position, quantity) in units.sorted(by: { $0.key < $1.key }) {
                let open = (history.invoicedUnits[position] ?? 0) - (history.creditedUnits[position] ?? 0)
                guard quantity > 0, quantity <= open else {
                    throw StoreError(
                        .refused, path: path,
                        message: "order \(order.order.externalID) line \(position) has \(open) invoiced units not "
                            + "credited yet, so a credit note cannot take \(quantity); credit only invoiced units")
                }
            }
            let (creditNote, document) = try Self.issue(
                db, .creditNote, order: order, history: history, units: units, prefix: prefix, at: time,
                reason: reason, rendering)
            var documents =
                (document.map { [$0] } ?? [])
                + (try Self.recordBookings(db, [creditNote.document], at: time, rendering))
            if let notice = rendering.refundNotice {
                var request = NotificationRequest(
                    order: order, event: .refundIssued, reference: creditNote.document.number, shipments: [])
                request.amount = creditNote.document.payableTotal
                let (_, file) = try Self.recordNotification(
                    db, request, to: notice.destination, at: time, notice.render)
                if let file { documents.append(file) }
            }
            return (creditNote.document, documents)
        }
    }

    /// What `orderID` has been invoiced and credited.
    public func financeHistory(orderID: Int64) throws -> FinanceHistory {
        try read { db in try Self.financeHistory(db, orderID: orderID) }
    }

    static func financeHistory(_ db: Database, orderID: Int64) throws -> FinanceHistory {
        var history = FinanceHistory()
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT d.kind, l.position, SUM(l.quantity) AS units FROM finance_lines l
                JOIN finance_documents d ON d.id = l.finance_document_id
                WHERE d.order_id = ? GROUP BY d.kind, l.position
                """, arguments: [orderID])
        {
            if row["kind"] as String == "invoice" {
                history.invoicedUnits[row["position"]] = row["units"]
            } else {
                history.creditedUnits[row["position"]] = row["units"]
            }
        }
        for row in try Row.fetchAll(
            db, sql: "SELECT position, cancelled FROM order_lines WHERE order_id = ? AND cancelled > 0",
            arguments: [orderID])
        {
            history.cancelledUnits[row["position"]] = row["cancelled"]
        }
        for row in try Row.fetchAll(
            db,
            sql: "SELECT kind, number, payable, with_shipping FROM finance_documents WHERE order_id = ? ORDER BY id",
            arguments: [orderID])
        {
            let payable = Amount(parsing: row["payable"] as String) ?? .zero
            if row["kind"] as String == "invoice" {
                history.invoicedTotal = history.invoicedTotal + payable
                history.shippingInvoiced = history.shippingInvoiced || row["with_shipping"] as Bool
                history.lastInvoiceNumber = row["number"]
            } else {
                history.creditedTotal = history.creditedTotal + payable
                history.shippingCredited = history.shippingCredited || row["with_shipping"] as Bool
            }
        }
        return history
    }

    /// Issues and records one invoice or credit note for `units` of `order`, whose finance
    /// `history` before it the caller has read.
    private static func issue(
        _ db: Database, _ kind: Invoice.Kind, order: StoredOrder, history: FinanceHistory, units: [Int: Int],
        prefix: String, at time: Timestamp, reason: String?, _ rendering: FinanceRendering
    ) throws -> ((id: Int64, document: Invoice), OutboundDocument?) {
        // The next number of the kind, taken in this transaction (or savepoint), so a document
        // that is not issued gives its number back and the numbers run without gaps.
        try db.execute(
            sql: """
                INSERT INTO document_sequences (kind, last) VALUES (?, 1)
                ON CONFLICT (kind) DO UPDATE SET last = last + 1
                """, arguments: [kind.rawValue])
        let sequence =
            try Int.fetchOne(
                db, sql: "SELECT last FROM document_sequences WHERE kind = ?", arguments: [kind.rawValue]) ?? 1
        let digits = String(sequence)
        let number = prefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        let document = try rendering.issue(order, units, history, number)
        try db.execute(
            sql: """
                INSERT INTO finance_documents
                    (kind, number, order_id, issued_at, currency, payable, with_shipping, invoice_reference, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                kind.rawValue, number, order.id, time.description, document.currency.code,
                document.payableTotal.description, !document.charges.isEmpty, document.invoiceReference, reason,
            ])
        let id = db.lastInsertedRowID
        let minor = document.currency.minorUnits
        for line in document.lines {
            try db.execute(
                sql:
                    "INSERT INTO finance_lines (finance_document_id, position, quantity, value_minor) VALUES (?, ?, ?, ?)",
                arguments: [id, line.orderLine, line.quantity, line.gross.rounded(toScale: minor).units])
        }
        var outbound: OutboundDocument?
        if let rendered = try rendering.render(document) {
            outbound = try recordPending(db, kind: kind.rawValue, destination: document.destination, rendered, at: time)
            try db.execute(
                sql: "UPDATE finance_documents SET document_id = ? WHERE id = ?", arguments: [outbound!.id, id])
        }
        return ((id, document), outbound)
    }

    private static func recordBookings(
        _ db: Database, _ documents: [Invoice], at time: Timestamp, _ rendering: FinanceRendering
    ) throws -> [OutboundDocument] {
        guard let first = documents.first, let rendered = try rendering.bookings(documents) else { return [] }
        let batch = try recordPending(db, kind: "bookings", destination: first.destination, rendered, at: time)
        for document in documents {
            try db.execute(
                sql: "UPDATE finance_documents SET bookings_document_id = ? WHERE number = ?",
                arguments: [batch.id, document.number])
        }
        return [batch]
    }
}
