import Foundation
public import Logging
public import OmnihubCore
public import OmnihubStore

/// One pass over every enabled partner's inbound feeds: take the stable files and import each.
///
/// A file that cannot be read or stored is logged and left in place for the next cycle; the cycle
/// goes on with the other files.
public struct ImportCycle: Sendable {
    let configuration: Configuration
    let importer: FileImporter
    let stability: StabilityCheck
    let sourcing: OrderSourcing?
    let emitter: OutboxEmitter
    let now: @Sendable () -> Timestamp
    let logger: Logger
    let stopRequested: @Sendable () -> Bool
    let storePath: String

    /// A cycle over `configuration`'s partners, storing into `store`.
    ///
    /// - Parameters:
    ///   - now: the clock; tests pass a fixed one.
    ///   - sleep: waits out the stability interval; tests pass one that changes files meanwhile.
    ///     `nil` is the real clock's, cut short by a stop request.
    ///   - stopRequested: whether the process was asked to stop (SIGTERM); the cycle then finishes
    ///     the file in hand and ends, leaving the other files, sourcing and the outbox to the next run.
    public init(
        configuration: Configuration, store: OrderStore, logger: Logger,
        now: @escaping @Sendable () -> Timestamp = SystemClock.now,
        sleep: (@Sendable (Duration) -> Void)? = nil,
        stopRequested: @escaping @Sendable () -> Bool = { false }
    ) {
        self.configuration = configuration
        self.importer = FileImporter(store: store, configuration: configuration, now: now, logger: logger)
        var stability = StabilityCheck(
            interval: configuration.stableAfter, now: now,
            sleep: sleep ?? { duration in SystemClock.sleep(duration, unless: stopRequested) })
        stability.stopRequested = stopRequested
        self.stability = stability
        self.sourcing = OrderSourcing(configuration: configuration, store: store)
        self.emitter = OutboxEmitter(
            configuration: configuration, store: store, logger: logger, stopRequested: stopRequested)
        self.now = now
        self.logger = logger
        self.stopRequested = stopRequested
        self.storePath = store.path
    }

    /// Runs the cycle once; a stop request ends it after the file in hand. Another process's
    /// cycle on the same store is waited for, with a notice, so two processes never take the same
    /// files or write the same documents.
    public func run() -> CycleReport {
        let lock: StoreLock
        do {
            lock = try ImportCycle.lock(storePath, logger: logger)
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
    public static func lock(_ storePath: String, logger: Logger) throws(StoreError) -> StoreLock {
        try StoreLock(storePath: storePath, purpose: .cycle) {
            logger.notice("another omnihub process is running a cycle on \(storePath); waiting for it to finish")
        }
    }

    /// Removes what a process killed while writing the outbox left under temporary names. Once at
    /// start is enough: only a process that died before this one began can have left them.
    public func removeInterruptedOutboxWrites() {
        emitter.removeStaleTemporaries()
    }

    private func importFiles() -> CycleReport {
        var report = CycleReport()
        for partner in configuration.partners {
            if stopRequested() { break }
            guard partner.enabled else {
                logger.debug("partner \(partner.id) is switched off; skipped")
                continue
            }
            for feed in partner.feeds {
                let listing = InboxScanner.scan(feed.folder, pattern: feed.pattern)
                for (name, reason) in listing.refused {
                    logger.warning(
                        "\(name) in \(feed.folder) is not taken: \(reason)", metadata: ["partner": "\(partner.id)"])
                    report.refused.append(
                        CycleReport.Failure(
                            path: (feed.folder as NSString).appendingPathComponent(name), message: reason))
                }
                let candidates = listing.candidates
                let stable = stability.stableFiles(candidates)
                report.waiting += candidates.count - stable.count
                if candidates.count > stable.count {
                    logger.info(
                        "\(candidates.count - stable.count) file(s) in \(feed.folder) are still changing; next cycle",
                        metadata: ["partner": "\(partner.id)"])
                }
                for (path, _) in stable {
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

    private func sourceAndEmit(into report: inout CycleReport) {
        if let sourcing {
            do {
                report.reservations = try sourcing.run(at: now())
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
            report.failures += outcome.failures
        } catch {
            logger.error("fulfilment orders were not all written: \(error)")
            report.failures.append(CycleReport.Failure(path: configuration.outboxFolder, "outbox", error: error))
        }
    }
}

/// What a cycle did.
public struct CycleReport: Sendable {
    /// A file that could not be processed and stays in its inbox.
    public struct Failure: Sendable, Codable {
        /// The file.
        public let path: String
        /// Why.
        public let message: String
        /// What kind of failure: a file left for the next cycle, or the store failing.
        public let kind: FailureKind

        /// A failure.
        public init(path: String, message: String, kind: FailureKind = .leftForNextCycle) {
            self.path = path
            self.message = message
            self.kind = kind
        }

        /// A failure of `what` because of `error`, of the error's kind when omnihub knows it.
        public init(path: String, _ what: String? = nil, error: any Error) {
            self.init(
                path: path, message: what.map { "\($0): \(error)" } ?? "\(error)",
                kind: (error as? any OmnihubError)?.kind ?? .leftForNextCycle)
        }
    }

    /// Every file taken, in order.
    public var outcomes: [FileOutcome] = []
    /// Files left in place because of an error.
    public var failures: [Failure] = []
    /// Files not taken because they were still changing.
    public var waiting = 0
    /// Whether the cycle ended early because the process was asked to stop.
    public var stopped = false
    /// Inbox entries never taken as they are (links, FIFOs, names that are not UTF-8), with the reason.
    public var refused: [Failure] = []
    /// Stock reserved for open orders after the imports.
    public var reservations: [Reservation] = []
    /// Outbound documents written after sourcing.
    public var documentsWritten: [OutboundDocument] = []

    /// An empty report.
    public init() {}

    /// Documents (orders, stock reports, events) imported by the cycle.
    public var documentsImported: Int { outcomes.reduce(0) { $0 + ($1.resumed ? 0 : $1.file.ordersImported) } }
}
