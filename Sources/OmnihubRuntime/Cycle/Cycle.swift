import Foundation
package import Logging
package import OmnihubCore
package import OmnihubStore

/// One pass of the hub, stage by stage: collect each enabled partner's stable inbox files
/// (``InboxCollector``), import each (``FileImporter``), source the open orders
/// (``OrderSourcing``), and emit the outbox (``OutboxEmitter``).
///
/// A file that cannot be read or stored is logged and left in place for the next cycle; the cycle
/// goes on with the other files. Each stage reads its facts from the store, asks Core, and
/// records the result in its own transaction.
package struct Cycle: Sendable {
    let configuration: Configuration
    let collector: InboxCollector
    let importer: FileImporter
    let sourcing: OrderSourcing?
    let emitter: OutboxEmitter
    let now: @Sendable () -> Timestamp
    let logger: Logger
    let stopRequested: @Sendable () -> Bool
    let storePath: String
    let store: OrderStore
    let progress: ProgressReporter?

    /// A cycle over `configuration`'s partners, storing into `store`.
    ///
    /// - Parameters:
    ///   - now: the clock; tests pass a fixed one.
    ///   - sleep: waits out the stability interval; tests pass one that changes files meanwhile.
    ///     `nil` is the real clock's, cut short by a stop request.
    ///   - stopRequested: whether the process was asked to stop (SIGTERM); the cycle then finishes
    ///     the file in hand and ends, leaving the other files, sourcing and the outbox to the next run.
    ///   - progress: told where the cycle is, for a terminal's progress line.
    ///   - partSize: how many orders one part of the outbox's documents holds
    ///     (``OutboxEmitter/init(configuration:store:logger:partSize:stopRequested:progress:)``).
    package init(
        configuration: Configuration, store: OrderStore, logger: Logger,
        now: @escaping @Sendable () -> Timestamp = SystemClock.now,
        sleep: (@Sendable (Duration) -> Void)? = nil,
        stopRequested: @escaping @Sendable () -> Bool = { false },
        progress: ProgressReporter? = nil, partSize: Int = 500
    ) {
        self.configuration = configuration
        var importer = FileImporter(store: store, configuration: configuration, now: now, logger: logger)
        importer.progress = progress
        self.importer = importer
        self.progress = progress
        var stability = StabilityCheck(
            interval: configuration.stableAfter, now: now,
            sleep: sleep ?? { duration in SystemClock.sleep(duration, unless: stopRequested) })
        stability.stopRequested = stopRequested
        self.collector = InboxCollector(stability: stability, logger: logger)
        self.sourcing = OrderSourcing(configuration: configuration, store: store)
        self.emitter = OutboxEmitter(
            configuration: configuration, store: store, logger: logger, partSize: partSize,
            stopRequested: stopRequested, progress: progress)
        self.now = now
        self.logger = logger
        self.stopRequested = stopRequested
        self.storePath = store.path
        self.store = store
    }

    /// Runs the cycle once; a stop request ends it after the file in hand. Another process's
    /// cycle on the same store is waited for, with a notice, so two processes never take the same
    /// files or write the same documents.
    package func run() -> CycleReport {
        let lock: StoreLock
        do {
            lock = try Cycle.lock(storePath, logger: logger)
        } catch {
            logger.error("the cycle did not run: \(error)")
            var report = CycleReport()
            report.failures.append(CycleReport.Failure(path: storePath, error: error))
            return report
        }
        defer { withExtendedLifetime(lock) {} }
        var report = importFiles()
        if stopRequested() {
            report.stopped = true
            logger.notice("stop requested: sourcing and the outbox wait for the next run")
            return report
        }
        sourceAndEmit(into: &report)
        return report
    }

    /// Holds the store's cycle lock, or waits for it, saying so, while another process has it.
    /// `omnihub import` takes it too, so the same bytes are never recorded twice at once.
    package static func lock(_ storePath: String, logger: Logger) throws(StoreError) -> StoreLock {
        try StoreLock(storePath: storePath, purpose: .cycle) {
            logger.notice("another omnihub process is running a cycle on \(storePath); waiting for it to finish")
        }
    }

    /// Removes what a process killed while writing the outbox left under temporary names. Once at
    /// start is enough: only a process that died before this one began can have left them.
    package func removeInterruptedOutboxWrites() {
        emitter.removeStaleTemporaries()
    }

    /// The collect and import stages: each enabled partner's feeds are collected (the stable
    /// files in their inboxes), and each file is imported on its own.
    private func importFiles() -> CycleReport {
        var report = CycleReport()
        // `omnihub partner pause|disable|dry-run --inbound` holds a partner's files in its inbox.
        let switches: [String: [TransferDirection: PartnerSwitch]]
        do {
            switches = try store.transfers.switches()
        } catch {
            logger.error("the partner switches could not be read, so no file was taken: \(error)")
            report.failures.append(CycleReport.Failure(path: storePath, "partner switches", error: error))
            return report
        }
        for partner in configuration.partners {
            if stopRequested() { break }
            guard partner.enabled else {
                logger.debug("partner \(partner.id) is switched off; skipped")
                continue
            }
            if let state = switches[partner.id]?[.inbound], state != .on {
                logger.info("partner \(partner.id) is \(state.rawValue) for inbound files; its inbox waits")
                continue
            }
            for feed in partner.feeds {
                for path in collector.collect(feed, of: partner, into: &report) {
                    if stopRequested() {
                        logger.notice(
                            "stop requested: \(path) and the files after it wait for the next run",
                            metadata: ["partner": "\(partner.id)"])
                        return report
                    }
                    do {
                        report.outcomes.append(try importer.importFile(at: path, partner: partner, feed: feed))
                    } catch let error as FileError where error.code.meansStillWritten {
                        logger.info("\(error)", metadata: ["partner": "\(partner.id)"])
                        report.waiting += 1
                    } catch {
                        logger.error("\(path) was left in place: \(error)", metadata: ["partner": "\(partner.id)"])
                        report.failures.append(CycleReport.Failure(path: path, error: error))
                    }
                }
            }
        }
        return report
    }

    /// The source and emit stages.
    private func sourceAndEmit(into report: inout CycleReport) {
        if let sourcing {
            progress?(.sourcing)
            do {
                report.sourcing = try sourcing.run(at: now())
                Failpoint.afterSourcing.reach()
            } catch {
                logger.error("sourcing failed, nothing was reserved: \(error)")
                report.failures.append(
                    CycleReport.Failure(path: configuration.storePath, "sourcing", error: error))
            }
        }
        do {
            let outcome = try emitter.emit(at: now())
            report.documentsWritten = outcome.written
            report.documentTally = outcome.writtenTally
            report.failures += outcome.failures
        } catch {
            logger.error("the outbox was not written: \(error)")
            report.failures.append(CycleReport.Failure(path: configuration.outboxFolder, "outbox", error: error))
        }
    }
}
