import Foundation

/// Runs blocking work (a cycle, a libcurl transfer, SQLite) on a thread of its own, so the
/// concurrency pool's few threads stay free for the HTTP server and the timers.
package func onOwnThread<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Swift.Result { try work() })
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
