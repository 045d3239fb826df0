import OmnihubCore

/// Decides which files have stopped changing and may be taken.
///
/// A file is stable when its size and modification time stay the same over the configured interval.
/// Files last modified longer ago than the interval are stable at once; for younger ones the check
/// waits out the rest of the interval (once for all of them) and looks again.
struct StabilityCheck {
    /// How long a file must stay unchanged.
    let interval: Duration
    /// The current time, injected so tests need no real waiting.
    let now: @Sendable () -> Timestamp
    /// Waits, or less when a stop is requested; injected so tests can change a file "during" the wait.
    let sleep: @Sendable (Duration) -> Void
    /// Whether the process was asked to stop; the wait is cut short, and files still young wait
    /// for the next run.
    var stopRequested: @Sendable () -> Bool = { false }

    /// The stable files among `paths`, with their facts as observed; the rest wait for a later cycle.
    func stableFiles(_ paths: [String]) -> [(path: String, facts: FileFacts)] {
        let intervalMilliseconds =
            interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000
        let observed = paths.compactMap { path in FileFacts.of(path).map { (path, $0) } }
        let current = now().millisecondsSince1970
        var stable: [(path: String, facts: FileFacts)] = []
        var young: [(String, FileFacts)] = []
        var longestWait: Int64 = 0
        for (path, facts) in observed {
            let age = current - facts.modifiedAt.millisecondsSince1970
            if age >= intervalMilliseconds {
                stable.append((path, facts))
            } else {
                young.append((path, facts))
                longestWait = max(longestWait, intervalMilliseconds - max(age, 0))
            }
        }
        guard !young.isEmpty else { return stable }
        sleep(.milliseconds(longestWait))
        if stopRequested() { return stable }
        for (path, facts) in young where FileFacts.of(path) == facts {
            stable.append((path, facts))
        }
        return stable.sorted { $0.path < $1.path }
    }
}
