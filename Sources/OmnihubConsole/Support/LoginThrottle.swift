import Foundation
package import OmnihubCore

/// Slows down password guessing: after `limit` failed sign-ins for one name within `window`,
/// that name is refused until the window has passed, right password or not.
///
/// Requests come on any of the server's threads; `failures` is only touched with `lock` held (an
/// `NSLock`, which ThreadSanitizer sees through, where it does not see through the futexes of
/// `Synchronization.Mutex`).
package final class LoginThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: [Timestamp]] = [:]
    let limit: Int
    let window: Duration

    package init(limit: Int = 5, window: Duration = .seconds(15 * 60)) {
        self.limit = limit
        self.window = window
    }

    private var windowMilliseconds: Int64 { window.components.seconds * 1000 }

    /// When the name may try again, or `nil` when it may now.
    package func blockedUntil(_ name: String, at now: Timestamp) -> Timestamp? {
        lock.withLock {
            let recent = (failures[name] ?? []).filter {
                now.millisecondsSince1970 - $0.millisecondsSince1970 < windowMilliseconds
            }
            failures[name] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return Timestamp(millisecondsSince1970: oldest.millisecondsSince1970 + windowMilliseconds)
        }
    }

    package func recordFailure(_ name: String, at now: Timestamp) {
        lock.withLock {
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
        lock.withLock { failures[name] = nil }
    }
}
