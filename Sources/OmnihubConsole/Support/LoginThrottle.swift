package import OmnihubCore
import Synchronization

/// Slows down password guessing: after `limit` failed sign-ins for one name within `window`,
/// that name is refused until the window has passed, right password or not.
package final class LoginThrottle: Sendable {
    private let failures = Mutex<[String: [Timestamp]]>([:])
    let limit: Int
    let window: Duration

    package init(limit: Int = 5, window: Duration = .seconds(15 * 60)) {
        self.limit = limit
        self.window = window
    }

    private var windowMilliseconds: Int64 { window.components.seconds * 1000 }

    /// When the name may try again, or `nil` when it may now.
    package func blockedUntil(_ name: String, at now: Timestamp) -> Timestamp? {
        failures.withLock { failures in
            let recent = (failures[name] ?? []).filter {
                now.millisecondsSince1970 - $0.millisecondsSince1970 < windowMilliseconds
            }
            failures[name] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return Timestamp(millisecondsSince1970: oldest.millisecondsSince1970 + windowMilliseconds)
        }
    }

    package func recordFailure(_ name: String, at now: Timestamp) {
        failures.withLock { failures in
            failures[name, default: []].append(now)
            // A flood of made-up names must not grow the table without bound, nor free a locked name.
            if failures.count > 10_000 {
                failures = failures.filter { entry in
                    entry.value.count >= limit
                        && entry.value.contains {
                            now.millisecondsSince1970 - $0.millisecondsSince1970 < windowMilliseconds
                        }
                }
            }
        }
    }

    package func recordSuccess(_ name: String) {
        failures.withLock { $0[name] = nil }
    }
}
