import Foundation
import GRDB
package import OmnihubCore

/// What invoicing one part of a run is decided on.
package struct InvoicingFacts: Sendable {
    /// An order with shipped units no invoice covers yet.
    package struct Uninvoiced: Sendable {
        package let orderID: Int64
        package let order: Order
        package let history: FinanceHistory
        /// The shipments to invoice, by id, with their line position and units.
        package let shipments: [(id: Int64, position: Int, quantity: Int)]

        /// Units to invoice per line position.
        package var units: [Int: Int] {
            var units: [Int: Int] = [:]
            for shipment in shipments { units[shipment.position, default: 0] += shipment.quantity }
            return units
        }
    }

    /// The orders, by id.
    package var orders: [Uninvoiced] = []
    /// The sequence number the next invoice takes.
    package var nextSequence = 1
    /// The last order id looked at, or `nil` when there was none: the run is done.
    package var last: Int64?
}

/// An invoice or credit note issued, to record with its file and what it covers.
package struct IssuedFinanceDocument: Sendable {
    package let orderID: Int64
    package let document: Invoice
    /// Its file, or `nil` when the ERP takes no such files.
    package let rendered: RenderedDocument?
    /// The shipments it invoices (invoices only).
    package let shipments: [Int64]
    /// Why the units are credited (credit notes only).
    package let reason: String?
    /// The returns it credits (credit notes only).
    package let returns: [Int64]

    /// An issued document.
    package init(
        orderID: Int64, document: Invoice, rendered: RenderedDocument?, shipments: [Int64] = [], reason: String? = nil,
        returns: [Int64] = []
    ) {
        self.orderID = orderID
        self.document = document
        self.rendered = rendered
        self.shipments = shipments
        self.reason = reason
        self.returns = returns
    }
}

extension FinanceLedger {
    /// The shipped units no invoice covers yet of at most `limit` orders with ids above `after`,
    /// with each order's finance history, and the next invoice sequence number.
    package func invoicingFacts(after: Int64 = 0, limit: Int = 500) throws -> InvoicingFacts {
        try read { db in
            var byOrder: [Int64: [(id: Int64, position: Int, quantity: Int)]] = [:]
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, order_id, position, quantity FROM shipments
                        WHERE invoice_id IS NULL AND awaits_pickup = 0 AND order_id IN (
                            SELECT DISTINCT order_id FROM shipments WHERE invoice_id IS NULL AND awaits_pickup = 0
                            AND order_id > ? ORDER BY order_id LIMIT ?)
                        ORDER BY id
                        """), arguments: [after, limit])
            {
                byOrder[try row.decode(forColumn: "order_id"), default: []].append(
                    (
                        try row.decode(forColumn: "id"), try row.decode(forColumn: "position"),
                        try row.decode(forColumn: "quantity")
                    ))
            }
            var facts = InvoicingFacts(nextSequence: try Self.nextSequence(db, .invoice), last: byOrder.keys.max())
            let orders = try OrderBook.storedOrders(db, ids: byOrder.keys)
            for (orderID, shipments) in byOrder.sorted(by: { $0.key < $1.key }) {
                guard let stored = orders[orderID] else { continue }
                facts.orders.append(
                    InvoicingFacts.Uninvoiced(
                        orderID: orderID, order: stored.order, history: try Self.financeHistory(db, orderID: orderID),
                        shipments: shipments))
            }
            return facts
        }
    }

    /// The order, what it has been invoiced and credited, and the next credit note's sequence
    /// number: what a credit note is decided on.
    ///
    /// - Throws: ``StoreError/Code/refused`` when there is no such order.
    package func creditNoteFacts(orderID: Int64) throws -> (order: StoredOrder, history: FinanceHistory, next: Int) {
        try read { db in
            guard let order = try OrderBook.storedOrder(db, id: orderID) else {
                throw StoreError(.refused, path: path, message: "there is no order \(orderID); see omnihub orders list")
            }
            return (order, try Self.financeHistory(db, orderID: orderID), try Self.nextSequence(db, .creditNote))
        }
    }

    /// Returned units no credit note covers yet, of at most `limit` orders with ids above
    /// `after`, oldest order first: per order, the return ids and units per line position.
    package func uncreditedReturns(after: Int64 = 0, limit: Int = 500) throws
        -> [(orderID: Int64, returns: [Int64], units: [Int: Int])]
    {
        try read { db in
            let orders = try Int64.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT DISTINCT order_id FROM returns WHERE credit_note_id IS NULL AND to_credit = 1 AND order_id > ?
                        ORDER BY order_id LIMIT ?
                        """), arguments: [after, limit])
            return try orders.map { orderID in
                var ids: [Int64] = []
                var units: [Int: Int] = [:]
                for row in try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT id, position, quantity FROM returns
                            WHERE order_id = ? AND credit_note_id IS NULL AND to_credit = 1 ORDER BY id
                            """),
                    arguments: [orderID])
                {
                    ids.append(try row.decode(forColumn: "id"))
                    units[try row.decode(forColumn: "position"), default: 0] += try row.decode(forColumn: "quantity")
                }
                return (orderID, ids, units)
            }
        }
    }

    /// Records issued invoices or credit notes (numbered from `firstSequence` on, without gaps),
    /// their files, the bookings batch of them and a refund notice, in one transaction.
    ///
    /// - Throws: ``StoreError/Code/changedMeanwhile`` when another run took a number of the kind
    ///   or invoiced one of the shipments meanwhile: nothing is recorded.
    package func recordFinanceDocuments(
        _ issued: [IssuedFinanceDocument], kind: Invoice.Kind, firstSequence: Int, bookings: RenderedDocument?,
        refundNotice: (notification: NotificationToRecord, destination: String)? = nil, at time: Timestamp
    ) throws -> [OutboundDocument] {
        guard !issued.isEmpty else { return [] }
        return try write { db in
            guard try Self.nextSequence(db, kind) == firstSequence else {
                throw StoreError(
                    .changedMeanwhile, path: path,
                    message:
                        "another run issued a \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) while this "
                        + "one numbered its own; nothing was recorded, and they are issued again with the next numbers")
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO document_sequences (kind, last) VALUES (?1, ?2)
                    ON CONFLICT (kind) DO UPDATE SET last = ?2
                    """
            ).execute(arguments: [kind, firstSequence + issued.count - 1])
            // Prepared once for the batch, bound through SQLite's C API: a part is 500 invoices.
            let insertDocument = try SQLiteStatement(
                db,
                """
                INSERT INTO finance_documents
                    (kind, number, order_id, issued_at, currency, payable, with_shipping, invoice_reference, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertLine = try SQLiteStatement(
                db,
                """
                INSERT INTO finance_lines (finance_document_id, position, quantity, value_minor)
                VALUES (?, ?, ?, ?)
                """)
            let insertPending = try PendingDocumentStatements(db)
            let pointAtFile = try SQLiteStatement(db, "UPDATE finance_documents SET document_id = ? WHERE id = ?")
            let issuedAt = time.description
            var documents: [OutboundDocument] = []
            var ids: [Int64] = []
            ids.reserveCapacity(issued.count)
            for entry in issued {
                let document = entry.document
                try insertDocument.bind(1, kind.rawValue)
                try insertDocument.bind(2, document.number)
                try insertDocument.bind(3, entry.orderID)
                try insertDocument.bind(4, issuedAt)
                try insertDocument.bind(5, document.currency.code)
                try insertDocument.bind(6, document.payableTotal.description)
                try insertDocument.bind(7, !document.charges.isEmpty)
                try insertDocument.bind(8, document.invoiceReference)
                try insertDocument.bind(9, entry.reason)
                try insertDocument.execute()
                let id = insertDocument.lastInsertedRowID
                ids.append(id)
                let minor = document.currency.minorUnits
                for line in document.lines {
                    try insertLine.bind(1, id)
                    try insertLine.bind(2, line.orderLine)
                    try insertLine.bind(3, line.quantity)
                    try insertLine.bind(4, line.gross.rounded(toScale: minor).units)
                    try insertLine.execute()
                }
                if let rendered = entry.rendered {
                    let file = try Outbox.recordPending(
                        kind: OutboundDocumentKind(kind), destination: document.destination, rendered, at: time,
                        with: insertPending)
                    try pointAtFile.bind(1, file.id)
                    try pointAtFile.bind(2, id)
                    try pointAtFile.execute()
                    documents.append(file)
                }
                for shipment in entry.shipments {
                    try cover(db, "shipments", "invoice_id", id: shipment, with: id)
                }
                for returned in entry.returns {
                    try cover(db, "returns", "credit_note_id", id: returned, with: id)
                }
                if kind == .creditNote {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO refunds (order_id, cause, reference, currency, amount, created_at)
                            VALUES (?, 'credit_note', ?, ?, ?, ?)
                            """
                    ).execute(arguments: [
                        entry.orderID, document.number, document.currency.code, document.payableTotal.description,
                        time,
                    ])
                }
            }
            if let bookings {
                let batch = try Outbox.recordPending(
                    kind: .bookings, destination: issued[0].document.destination, bookings, at: time,
                    with: insertPending)
                let pointAtBatch = try SQLiteStatement(
                    db, "UPDATE finance_documents SET bookings_document_id = ? WHERE id = ?")
                for id in ids {
                    try pointAtBatch.bind(1, batch.id)
                    try pointAtBatch.bind(2, id)
                    try pointAtBatch.execute()
                }
                documents.append(batch)
            }
            if let (notification, destination) = refundNotice {
                let (_, file) = try Outbox.recordNotification(
                    db, notification.request, notification.rendered, to: destination, at: time)
                if let file { documents.append(file) }
            }
            return documents
        }
    }

    /// What `orderID` has been invoiced and credited.
    package func history(orderID: Int64) throws -> FinanceHistory {
        try read { db in try Self.financeHistory(db, orderID: orderID) }
    }

    /// The sequence number the next document of `kind` takes.
    private static func nextSequence(_ db: Database, _ kind: Invoice.Kind) throws -> Int {
        (try Int.fetchOne(
            db.cachedStatement(sql: "SELECT last FROM document_sequences WHERE kind = ?"), arguments: [kind])
            ?? 0) + 1
    }

    static func financeHistory(_ db: Database, orderID: Int64) throws -> FinanceHistory {
        var history = FinanceHistory()
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT d.kind, l.position, SUM(l.quantity) AS units FROM finance_lines l
                    JOIN finance_documents d ON d.id = l.finance_document_id
                    WHERE d.order_id = ? GROUP BY d.kind, l.position
                    """), arguments: [orderID])
        {
            if try row.decode(Invoice.Kind.self, forColumn: "kind") == .invoice {
                history.invoicedUnits[try row.decode(forColumn: "position")] = try row.decode(forColumn: "units")
            } else {
                history.creditedUnits[try row.decode(forColumn: "position")] = try row.decode(forColumn: "units")
            }
        }
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT position, cancelled FROM order_lines WHERE order_id = ? AND cancelled > 0"),
            arguments: [orderID])
        {
            history.cancelledUnits[try row.decode(forColumn: "position")] = try row.decode(forColumn: "cancelled")
        }
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT kind, number, payable, with_shipping FROM finance_documents WHERE order_id = ? ORDER BY id"
            ),
            arguments: [orderID])
        {
            let payable = Amount(parsing: try row.decode(forColumn: "payable") as String) ?? .zero
            if try row.decode(Invoice.Kind.self, forColumn: "kind") == .invoice {
                history.invoicedTotal = history.invoicedTotal + payable
                history.shippingInvoiced =
                    try history.shippingInvoiced || row.decode(forColumn: "with_shipping") as Bool
                history.lastInvoiceNumber = try row.decode(forColumn: "number")
            } else {
                history.creditedTotal = history.creditedTotal + payable
                history.shippingCredited =
                    try history.shippingCredited || row.decode(forColumn: "with_shipping") as Bool
            }
        }
        return history
    }
}
