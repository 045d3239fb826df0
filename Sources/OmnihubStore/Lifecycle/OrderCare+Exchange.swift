import GRDB
package import OmnihubCore

/// What became of an exchange (`omnihub order exchange`).
package struct ExchangeOutcome: Sendable {
    /// The replacement order's id and the order itself.
    package let replacementID: Int64
    package let replacement: Order
    /// Its stored form, as written to the archive.
    package let document: [UInt8]
    /// The archive path the ledger names for it.
    package let archivedAs: String
    /// Old units cancelled (not shipped yet) or taken back (shipped).
    package let cancelled: Int
    package let returned: Int
    /// Old units back into stock (taken back in a resellable condition).
    package let restocked: Int
    /// The returns booked, to be credited.
    package let returns: [Int64]
    /// What the old units were paid and what the replacement costs, VAT included.
    package let oldWorth: Amount
    package let newTotal: Amount
    /// What was refunded at once for cancelled old units (zero when the customer pays later).
    package let refunded: Amount
}

extension OrderCare {
    /// Exchanges `units` units of line `position` of an order for `sku` (`omnihub order
    /// exchange`), for customer care `by`, in one transaction (see ``ExchangePolicy``): the old
    /// units are cancelled, or, when `returned`, taken back at `node` in `condition`; the
    /// replacement order is recorded as imported from a file `<number>.json` of partner `care` in
    /// `archiveFolder` (the caller writes it there), marked as the exchange of the line, so the channel
    /// is never told of it; and a refund for the cancelled units is marked as paying for it.
    ///
    /// - Throws: ``StoreError/Code/refused`` when the units are not there to exchange; nothing changes.
    package func exchange(
        orderID: Int64, position: Int, units: Int, sku: String, unitPrice: Amount?, returned: Bool, node: String?,
        condition: String?, reason: String, by: String, at time: Timestamp, resellable: Set<String>,
        archiveFolder: String
    ) throws -> ExchangeOutcome {
        try write { db in
            let order = try Self.order(db, orderID, path: path)
            guard position >= 1, position <= order.lines.count else {
                throw StoreError(.refused, path: path, message: "order \(order.externalID) has no line \(position)")
            }
            let line = order.lines[position - 1]
            let counts = try Self.lineCounts(db, orderID: orderID)
            let cancelledBefore = counts.cancelled[position] ?? 0
            let returnedBefore = counts.returned[position] ?? 0
            let settlement = OrderSettlement(order: order, defaultTaxRate: .zero)
            let number =
                (try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT COUNT(*) FROM orders WHERE exchange_of = ?"), arguments: [orderID])
                    ?? 0) + 1
            let externalID = ExchangePolicy.externalID(of: order, number: number)
            var cancelled = 0
            var taken = 0
            var restocked = 0
            var returns: [Int64] = []
            var refunded = settlement.amount(0)
            let worth: Int64
            let oldLine = [
                DocumentLine(
                    lineID: line.lineID, quantity: units, reason: reason, condition: returned ? condition : nil)
            ]
            if returned {
                let outcome = try OrderReturns.receive(
                    db, orderID: orderID, order: order, lines: oldLine, node: node, reference: "exchange \(externalID)",
                    at: time.description, origin: .enteredBy(by), resellable: resellable)
                guard case .received(let count, let back, let booked) = outcome else {
                    if case .refused(let message) = outcome { throw StoreError(.refused, path: path, message: message) }
                    throw StoreError(.refused, path: path, message: "order \(order.externalID): \(outcome)")
                }
                (taken, restocked, returns) = (count, back, booked)
                worth = settlement.shipped(line: position - 1, from: returnedBefore, to: returnedBefore + units)
            } else {
                if let refusal = CancellationPolicy.refusal(
                    cancelling: oldLine, of: order, cancelled: counts.cancelled, shipped: counts.shipped)
                {
                    throw StoreError(
                        .refused, path: path,
                        message: refusal + "; units that shipped are exchanged when they come back (--returned)")
                }
                let request = InboundNotice(
                    kind: .cancellationRequest, channel: order.channel, externalID: order.externalID,
                    occurredAt: time, reason: reason, lines: oldLine)
                let outcome = try OrderCancellations.cancel(
                    db, orderID: orderID, order: order, request, requestedBy: "care:\(by)",
                    reference: "exchange \(externalID)", at: time.description)
                if case .cancelled(let count, _, _, let amount, _) = outcome { (cancelled, refunded) = (count, amount) }
                // The customer hears of the exchange, not of a cancellation.
                try db.cachedStatement(
                    sql: "UPDATE cancellations SET exchange = 1 WHERE order_id = ? AND reference = ?"
                ).execute(arguments: [orderID, "exchange \(externalID)"])
                worth = settlement.cancelled(line: position - 1, from: cancelledBefore, to: cancelledBefore + units)
            }
            let replacement = ExchangePolicy.replacement(
                for: order, line: position - 1, units: units, worth: worth, sku: sku, unitPrice: unitPrice,
                number: number, at: time)
            let storable = StorableOrder(replacement)
            let name = "\(externalID).json"
            let archivedAs = "\(archiveFolder)/\(name)"
            try db.cachedStatement(
                sql: """
                    INSERT INTO files (partner, feed, name, inbox_path, size, modified_at, sha256, status, received_at,
                        stored_path, records, orders_imported)
                    VALUES ('care', 'exchange', ?, '', ?, ?, ?, 'imported', ?, ?, 1, 1)
                    """
            ).execute(arguments: [
                name, storable.document.count, time.description, SHA256.hex(of: storable.document),
                time.description, archivedAs,
            ])
            let fileImport = FileImport(db: db, fileID: db.lastInsertedRowID, importedAt: time.description)
            guard case .imported(let replacementID) = try fileImport.add(storable) else {
                throw StoreError(
                    .refused, path: path, message: "an order \(externalID) of channel \(order.channel) exists already")
            }
            try db.cachedStatement(
                sql: "UPDATE orders SET exchange_of = ?, exchange_position = ? WHERE id = ?"
            ).execute(arguments: [orderID, position, replacementID])
            try db.cachedStatement(
                sql: """
                    UPDATE refunds SET exchange_order_id = ?
                    WHERE order_id = ? AND cause = 'cancellation' AND reference = ?
                    """
            ).execute(arguments: [replacementID, orderID, "exchange \(externalID)"])
            let replacementSettlement = OrderSettlement(order: replacement, defaultTaxRate: .zero)
            let oldGross =
                settlement.netPrices
                ? worth + OrderSettlement.tax(onNet: worth, rate: settlement.taxRates[position - 1]) : worth
            return ExchangeOutcome(
                replacementID: replacementID, replacement: replacement, document: storable.document,
                archivedAs: archivedAs, cancelled: cancelled, returned: taken, restocked: restocked, returns: returns,
                oldWorth: settlement.amount(oldGross),
                newTotal: replacementSettlement.amount(replacementSettlement.total),
                refunded: refunded)
        }
    }

    /// Marks the refund of credit note `number` (for units taken back in an exchange) as paying
    /// for replacement order `replacementID`.
    package func settleExchange(creditNote number: String, orderID: Int64, replacementID: Int64) throws {
        try write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE refunds SET exchange_order_id = ?
                    WHERE order_id = ? AND cause = 'credit_note' AND reference = ?
                    """
            ).execute(arguments: [replacementID, orderID, number])
        }
    }
}
