import Foundation
package import Logging
package import OmnihubCore
package import OmnihubStore

/// The emit stage: writes the outbox, one emitter per kind of document, each reading what is
/// still untold, asking Core, recording the documents with their bytes and writing the files
/// exactly once into `outbox/<node or partner>/`:
///
/// 1. ``OrderAcknowledgementEmitter``, ``SellerCancellationEmitter`` and
///    ``ShippingConfirmationEmitter`` tell the sales channels about their orders;
/// 2. ``InvoiceEmitter`` gives the ERP invoices and their bookings;
/// 3. ``NotificationEmitter`` writes the customers' messages;
/// 4. ``FulfilmentEmitter`` hands the nodes their units (and takes cancelled ones back);
/// 5. ``InventoryFeedEmitter`` tells the channels what they may sell, after this cycle's reservations.
///
/// A kind that cannot be made is reported and retried next cycle, and never holds back the others.
package struct OutboxEmitter: Sendable {
    let writer: OutboxWriter

    /// An emitter for the nodes and partners of `configuration` that name an outbound format.
    ///
    /// - Parameters:
    ///   - partSize: how many orders one part of a run's invoices or messages holds; each part
    ///     is recorded, written and let go of before the next.
    ///   - stopRequested: whether the process was asked to stop: checked between kinds of
    ///     documents and between parts, so a stop waits for one part at most.
    package init(
        configuration: Configuration, store: OrderStore, logger: Logger, partSize: Int = 500,
        stopRequested: @escaping @Sendable () -> Bool = { false }, progress: ProgressReporter? = nil
    ) {
        var writer = OutboxWriter(
            configuration: configuration, store: store, logger: logger, partSize: max(1, partSize),
            stopRequested: stopRequested)
        writer.progress = progress
        self.writer = writer
    }

    /// What one emit did: the documents written, and those left pending with the reason.
    package typealias Outcome = EmitOutcome

    /// The emitters, in the order they run.
    var emitters: [any DocumentEmitter] {
        [
            OrderAcknowledgementEmitter(writer: writer), SellerCancellationEmitter(writer: writer),
            ShippingConfirmationEmitter(writer: writer), ChannelReturnEmitter(writer: writer),
            InvoiceEmitter(writer: writer),
            PickupEmitter(writer: writer), CreditNoteEmitter(writer: writer),
            NotificationEmitter(writer: writer), ReturnNotificationEmitter(writer: writer),
            CancellationNotificationEmitter(writer: writer),
            RefundDocumentEmitter(writer: writer),
            FulfilmentEmitter(writer: writer),
            InventoryFeedEmitter(writer: writer),
        ]
    }

    /// Finishes documents an interruption left unwritten, then records and writes new ones. A
    /// document that cannot be written stays pending and is tried again next run; the others
    /// are written regardless.
    package func emit(at now: Timestamp) throws -> Outcome {
        var outcome = Outcome()
        let time = try writer.waveTime(now)
        writer.write(
            try writer.store.outbox.pendingDocuments().map { (document: $0.0, content: $0.1) }, at: time, into: &outcome
        )
        for emitter in emitters {
            guard !writer.stopRequested() else { break }
            outcome.stage = emitter.documents
            writer.progress?(.writing(documents: emitter.documents, written: outcome.writtenCount))
            do {
                try emitter.emit(at: time, into: &outcome)
            } catch {
                writer.logger.error("\(emitter.documents) were not recorded: \(error)")
                outcome.failures.append(
                    CycleReport.Failure(path: writer.configuration.outboxFolder, emitter.documents, error: error))
            }
        }
        return outcome
    }

    /// Issues a credit note for `units` (order line position → units) of an order's invoiced
    /// units, records it with its bookings and refund message, and writes the files.
    ///
    /// - Throws: ``ConfigurationError`` without a `finance:` section, ``CreditNoteRefused`` when
    ///   the order's invoices do not carry the units.
    package func issueCreditNote(
        orderID: Int64, units: [Int: Int], reason: String, returns: [Int64] = [], at time: Timestamp
    ) throws -> (creditNote: Invoice, outcome: Outcome) {
        try CreditNoteEmitter(writer: writer).issue(
            orderID: orderID, units: units, reason: reason, returns: returns, at: time)
    }

    /// Removes what processes killed while writing left under temporary names in the outbox.
    func removeStaleTemporaries() {
        writer.removeStaleTemporaries()
    }
}
