package import OmnihubCore

/// When an endpoint is polled next: at its interval after a success; after failures in a row,
/// after a pause that doubles with each failure (from the interval, up to the cap), shortened by
/// up to half at random so that endpoints failing together do not retry together.
package enum RetryPolicy {
    /// The pause after `failures` failures in a row (1 for the first); `jitter` in 0...1 takes that
    /// share of half the pause off.
    package static func pause(afterFailures failures: Int, interval: Duration, cap: Duration, jitter: Double)
        -> Duration
    {
        let doublings = min(max(failures - 1, 0), 30)
        let grown = interval * (1 << doublings)
        let capped = min(grown, cap)
        let shortened = capped - capped * (min(max(jitter, 0), 1) / 2)
        return max(shortened, .milliseconds(100))
    }

    /// The time `pause` after `time`.
    package static func time(_ pause: Duration, after time: Timestamp) -> Timestamp {
        let parts = pause.components
        return Timestamp(
            millisecondsSince1970: time.millisecondsSince1970 + parts.seconds * 1000
                + parts.attoseconds / 1_000_000_000_000_000)
    }

    /// Whether an endpoint last polled at `lastPoll` (never: `nil`) is due at `now` — on
    /// `interval`, or at the next time `cron` names after the last poll — and not waiting for a
    /// retry time still ahead.
    package static func isDue(
        lastPoll: Timestamp?, retryAt: Timestamp?, interval: Duration, cron: CronSchedule? = nil, now: Timestamp
    ) -> Bool {
        if let retryAt { return retryAt.millisecondsSince1970 <= now.millisecondsSince1970 }
        guard let lastPoll else { return true }
        if let cron {
            guard let next = cron.next(after: lastPoll) else { return false }
            return next.millisecondsSince1970 <= now.millisecondsSince1970
        }
        return time(interval, after: lastPoll).millisecondsSince1970 <= now.millisecondsSince1970
    }
}
