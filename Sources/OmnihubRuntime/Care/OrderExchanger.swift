import Foundation
package import Logging
package import OmnihubCore
package import OmnihubStore

/// Customer care's exchange, for `omnihub order exchange` and the console alike: the old units
/// cancelled (or taken back and credited at once), the new article sent in a replacement order
/// whose canonical document is archived like an imported one, and the price difference worked out.
package struct OrderExchanger: Sendable {
    let configuration: Configuration
    let store: OrderStore
    let logger: Logger

    package init(configuration: Configuration, store: OrderStore, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
    }

    /// What an exchange did.
    package struct Exchanged: Sendable {
        package var exchange: ExchangeOutcome
        /// The credit note for units that came back, when there is a finance section.
        package var creditNote: Invoice?
        /// What the customer gets back for the old units.
        package var credited: Amount
        /// What is paid out (positive) or owed (negative) now; `nil` when the customer pays later
        /// and the replacement is invoiced like the original.
        package var difference: Amount?
        /// Files that could not be written yet (the replacement's archive copy, the credit note's
        /// documents); the store holds every fact, the outbox writes them with the next run.
        package var failures: [String]
    }

    /// Exchanges `units` of line `position` of order `orderID` for `sku`; `reason` goes into the
    /// order's history (default: exchanged for `sku`) and on the credit note (default: exchanged).
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/refused`` when the exchange does not fit the
    ///   order; nothing changes.
    package func exchange(
        orderID: Int64, position: Int, units: Int, sku: String, unitPrice: Amount?, returned: Bool, node: String?,
        condition: String?, reason: String?, by: String, at time: Timestamp
    ) throws -> Exchanged {
        let folder =
            ((configuration.archiveFolder as NSString)
            .appendingPathComponent(String(time.description.prefix(10))) as NSString)
            .appendingPathComponent("care")
        let exchange = try store.care.exchange(
            orderID: orderID, position: position, units: units, sku: sku, unitPrice: unitPrice, returned: returned,
            node: node, condition: condition, reason: reason ?? "exchanged for \(sku)", by: by, at: time,
            resellable: configuration.resellableConditions, archiveFolder: folder)
        // The ledger names the replacement's file; the store holds the order whatever happens here.
        var failures: [String] = []
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(exchange.document).write(to: URL(fileURLWithPath: exchange.archivedAs), options: .atomic)
        } catch {
            failures.append("\(exchange.archivedAs): the replacement order could not be archived: \(error)")
        }
        var creditNote: Invoice?
        if exchange.returned > 0, configuration.finance != nil {
            let issued = try OutboxEmitter(configuration: configuration, store: store, logger: logger)
                .issueCreditNote(
                    orderID: orderID, units: [position: exchange.returned], reason: reason ?? "exchanged",
                    returns: exchange.returns,
                    at: time)
            creditNote = issued.creditNote
            try store.care.settleExchange(
                creditNote: issued.creditNote.number, orderID: orderID, replacementID: exchange.replacementID)
            failures += issued.outcome.failures.map { "\($0.path): \($0.message)" }
        }
        // What the customer gets back for the old units (a credit note can give back the shipping
        // charge too) less what the replacement costs; nothing to settle now when the customer pays
        // later: the replacement is invoiced like the original.
        let credited = creditNote?.payableTotal ?? (exchange.returned > 0 ? exchange.oldWorth : exchange.refunded)
        let paidUpFront = try store.orders.matching(String(orderID)).first?.order.isPaidUpFront ?? false
        return Exchanged(
            exchange: exchange, creditNote: creditNote, credited: credited,
            difference: paidUpFront ? credited - exchange.newTotal : nil, failures: failures)
    }
}
