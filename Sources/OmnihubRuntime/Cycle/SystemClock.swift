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
}
