import Foundation
package import Logging
package import OmnihubCore
package import OmnihubStore

/// Polls one endpoint when it is due: a feed's source or a destination. It honours the partner's
/// switch (paused, disabled, dry run), waits out the backoff after failures, stops on a permanent
/// failure until someone resumes the partner, and records each poll's outcome in the store, so the
/// retry state and the last success survive a restart.
package struct EndpointPoller: Sendable {
    /// What the endpoint does.
    package enum Work: Sendable {
        case fetch(FeedFetcher)
        case deliver(DocumentDeliverer)
    }

    package let work: Work
    package let id: String
    package let partner: String
    package let direction: TransferDirection
    package let schedule: Configuration.PollSchedule
    let store: OrderStore
    let logger: Logger
    let now: @Sendable () -> Timestamp
    /// A number in 0...1 for the backoff's jitter; tests pass a fixed one.
    let jitter: @Sendable () -> Double

    /// How a call of ``pollIfDue()`` ended.
    package enum Outcome: Sendable, Hashable {
        /// Not due, or waiting for a retry time.
        case notDue
        /// Skipped: the partner's direction is paused or disabled, or the endpoint was stopped.
        case skipped(String)
        case polled(Carried)
        case failed(TransportErrorSummary)
    }

    package init(
        work: Work, schedule: Configuration.PollSchedule, store: OrderStore, logger: Logger,
        now: @escaping @Sendable () -> Timestamp = SystemClock.now,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.work = work
        switch work {
        case .fetch(let fetcher):
            id = fetcher.endpointID
            partner = fetcher.partner.id
            direction = .inbound
        case .deliver(let deliverer):
            id = deliverer.endpointID
            partner = deliverer.destination.name
            direction = .outbound
        }
        self.schedule = schedule
        self.store = store
        self.logger = logger
        self.now = now
        self.jitter = jitter
    }

    /// Every endpoint `configuration` names: each feed with a source, each destination.
    package static func all(
        configuration: Configuration, store: OrderStore, logger: Logger,
        now: @escaping @Sendable () -> Timestamp = SystemClock.now,
        stopRequested: @escaping @Sendable () -> Bool = { false }
    ) -> [EndpointPoller] {
        var pollers: [EndpointPoller] = []
        for partner in configuration.partners {
            for feed in partner.feeds {
                guard let source = feed.source else { continue }
                let fetcher = FeedFetcher(
                    partner: partner, feed: feed, source: source, configuration: configuration, store: store,
                    logger: logger, now: now, stopRequested: stopRequested)
                pollers.append(
                    EndpointPoller(
                        work: .fetch(fetcher), schedule: source.schedule, store: store, logger: logger, now: now))
            }
        }
        for destination in configuration.destinations {
            let deliverer = DocumentDeliverer(
                destination: destination, store: store, logger: logger, now: now, stopRequested: stopRequested)
            pollers.append(
                EndpointPoller(
                    work: .deliver(deliverer), schedule: destination.schedule, store: store, logger: logger, now: now))
        }
        return pollers
    }

    /// Polls the endpoint if it is due and switched on.
    package func pollIfDue() throws -> Outcome {
        try poll(ignoringSchedule: false)
    }

    /// Polls the endpoint now if it is switched on and not stopped, whatever its schedule and
    /// backoff say: `omnihub run --once`.
    package func pollNow() throws -> Outcome {
        try poll(ignoringSchedule: true)
    }

    private func poll(ignoringSchedule: Bool) throws -> Outcome {
        let state = try store.transfers.endpoint(id, partner: partner, direction: direction)
        let switched = try store.transfers.switches()[partner]?[direction] ?? .on
        switch switched {
        case .paused, .disabled:
            logger.debug("\(id) is \(switched.rawValue); not polled", metadata: ["endpoint": "\(id)"])
            return .skipped(switched.rawValue)
        case .on, .dryRun:
            break
        }
        if let reason = state.stoppedBecause {
            logger.debug("\(id) stays stopped until resumed: \(reason)", metadata: ["endpoint": "\(id)"])
            return .skipped("stopped")
        }
        let time = now()
        guard
            ignoringSchedule
                || RetryPolicy.isDue(
                    lastPoll: state.lastPollAt, retryAt: state.retryAt, interval: schedule.interval,
                    cron: schedule.cron, now: time)
        else { return .notDue }
        return try poll(state: state, dryRun: switched == .dryRun)
    }

    /// Polls now and records the outcome.
    private func poll(state: EndpointRecord, dryRun: Bool) throws -> Outcome {
        do {
            let carried: Carried
            switch work {
            case .fetch(let fetcher): carried = try fetcher.poll(dryRun: dryRun)
            case .deliver(let deliverer): carried = try deliverer.deliver(dryRun: dryRun)
            }
            try store.transfers.recordPoll(
                id, partner: partner, direction: direction, .succeeded(files: carried.files, bytes: carried.bytes),
                at: now())
            if state.failuresInRow > 0 {
                logger.notice(
                    "\(id) works again after \(state.failuresInRow) failed poll(s)", metadata: ["endpoint": "\(id)"])
            }
            return .polled(carried)
        } catch let error as TransportError {
            return try record(error, transient: error.isTransient, state: state)
        } catch let error as FileError {
            return try record(error, transient: true, state: state)
        } catch let error as StoreError {
            // The store is busy or failing: the poll is tried again, and the store's own failures
            // are reported where they happen.
            return try record(error, transient: true, state: state)
        }
    }

    private func record(_ error: some OmnihubError, transient: Bool, state: EndpointRecord) throws -> Outcome {
        let failures = state.failuresInRow + 1
        let time = now()
        var retryAt: Timestamp?
        if transient {
            let pause = RetryPolicy.pause(
                afterFailures: failures, interval: schedule.interval, cap: schedule.maxBackoff, jitter: jitter())
            retryAt = RetryPolicy.time(pause, after: time)
            logger.warning(
                "\(id): \(error); tried again in \(pause)",
                metadata: ["endpoint": "\(id)", "failures_in_row": "\(failures)"])
        } else {
            logger.error(
                "\(id) stopped: \(error). `omnihub partner resume \(partner)` polls it again once this is fixed",
                metadata: ["endpoint": "\(id)"])
        }
        if failures >= schedule.flagAfter {
            logger.error(
                "\(id) has failed \(failures) times in a row", metadata: ["endpoint": "\(id)", "flagged": "true"])
        }
        try store.transfers.recordPoll(
            id, partner: partner, direction: direction,
            .failed(code: error.errorCode, message: error.description, retryAt: retryAt), at: time)
        return .failed(TransportErrorSummary(code: error.errorCode, message: error.description, transient: transient))
    }
}

/// A failed poll, as the caller reports it.
package struct TransportErrorSummary: Sendable, Hashable {
    package var code: String
    package var message: String
    package var transient: Bool
}
