import Foundation
package import OmnihubCore

/// The real clock, for production; tests inject their own.
package enum SystemClock {
    /// Now, to the millisecond.
    @Sendable package static func now() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Blocks the calling thread for `duration`.
    @Sendable package static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Blocks the calling thread for `duration`, or until `stop` says so, looking every 100 ms.
    package static func sleep(_ duration: Duration, unless stop: () -> Bool) {
        var left = duration
        while left > .zero && !stop() {
            let slice = min(left, .milliseconds(100))
            sleep(slice)
            left -= slice
        }
    }
}
