import Foundation
public import OmnihubCore

/// The real clock, for production; tests inject their own.
public enum SystemClock {
    /// Now, to the millisecond.
    @Sendable public static func now() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Blocks the calling thread for `duration`.
    @Sendable public static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Blocks the calling thread for `duration`, or until `stop` says so, looking every 100 ms.
    public static func sleep(_ duration: Duration, unless stop: () -> Bool) {
        var left = duration
        while left > .zero && !stop() {
            let slice = min(left, .milliseconds(100))
            sleep(slice)
            left -= slice
        }
    }
}
