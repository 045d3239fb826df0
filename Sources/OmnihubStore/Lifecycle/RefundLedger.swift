import GRDB
package import OmnihubCore

/// Money going back to customers: for units cancelled before they shipped, and the total of
/// every credit note. What an order was refunded is the sum of its refunds.
package struct RefundLedger: StoreTopic {
    let database: StoreDatabase

    /// A refund as the lifecycle shows it.
    package struct Refund: Sendable, Hashable {
        package let id: Int64
        package let orderID: Int64
        /// `cancellation` or `credit_note`.
        package let cause: String
        /// The cancellation it pays back, or the credit note's number.
        package let reference: String
        package let amount: Amount
        package let currency: String
        package let createdAt: String
        /// The replacement order of an exchange this refund pays for, when it does.
        package let exchangeOrderID: Int64?
    }

    /// Records what cancelling `units` (position → units) of an order gives back, in the
    /// caller's transaction (the amount from ``OrderSettlement/refund(cancelling:cancelledBefore:nothingShippedAndAllCancelled:)``);
    /// nothing when it is zero or the customer has not paid yet (``Order/isPaidUpFront``).
    /// Returns the amount.
    static func recordCancellationRefund(
        _ db: Database, orderID: Int64, order: Order, units: [Int: Int], cancelledBefore: [Int: Int],
        nothingShippedAndAllCancelled: Bool, reference: String, at time: String
    ) throws -> Amount {
        // The VAT rate does not change what a unit is worth, only how its tax is split.
        let settlement = OrderSettlement(order: order, defaultTaxRate: .zero)
        let minor = settlement.refund(
            cancelling: units.filter { $0.value > 0 }, cancelledBefore: cancelledBefore,
            nothingShippedAndAllCancelled: nothingShippedAndAllCancelled)
        guard minor > 0, order.isPaidUpFront else { return settlement.amount(0) }
        try db.cachedStatement(
            sql: """
                INSERT INTO refunds (order_id, cause, reference, currency, amount, created_at)
                VALUES (?, 'cancellation', ?, ?, ?, ?)
                """
        ).execute(arguments: [
            orderID, reference, order.currency.code, settlement.amount(minor).description, time,
        ])
        return settlement.amount(minor)
    }

    /// An order's refunds, oldest first.
    package func refunds(orderID: Int64) throws -> [Refund] {
        try read { db in try Self.refunds(db, sql: "WHERE order_id = ? ORDER BY id", [orderID]) }
    }

    /// Refunds of either cause the payment side has no document of, with ids above `after`.
    package func untoldRefundDocuments(after: Int64 = 0, limit: Int = 500) throws -> [(Refund, StoredOrder)] {
        try read { db in
            try Self.refunds(db, sql: "WHERE document_id IS NULL AND id > ? ORDER BY id LIMIT ?", [after, limit])
                .compactMap { refund in try OrderBook.storedOrder(db, id: refund.orderID).map { (refund, $0) } }
        }
    }

    /// Records refund documents (refund id → file) for the payment side, in one transaction.
    ///
    /// - Throws: ``StoreError/Code/changedMeanwhile`` when another run recorded one of them
    ///   meanwhile: nothing is recorded.
    package func recordRefundDocuments(
        _ documents: [(refundID: Int64, rendered: RenderedDocument)], destination: String, at time: Timestamp
    ) throws -> [OutboundDocument] {
        try write { db in
            try documents.map { refundID, rendered in
                let file = try Outbox.recordPending(db, kind: .refund, destination: destination, rendered, at: time)
                try cover(db, "refunds", "document_id", id: refundID, with: file.id)
                return file
            }
        }
    }

    private static func refunds(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> [Refund] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT id, order_id, cause, reference, currency, amount, created_at, exchange_order_id "
                    + "FROM refunds " + sql),
            arguments: arguments
        ).map { row in
            let text: String = try row.decode(forColumn: "amount")
            return Refund(
                id: try row.decode(forColumn: "id"), orderID: try row.decode(forColumn: "order_id"),
                cause: try row.decode(forColumn: "cause"), reference: try row.decode(forColumn: "reference"),
                amount: Amount(parsing: text) ?? .zero, currency: try row.decode(forColumn: "currency"),
                createdAt: try row.decode(forColumn: "created_at"),
                exchangeOrderID: try row.decode(forColumn: "exchange_order_id"))
        }
    }
}
