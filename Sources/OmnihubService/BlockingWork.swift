import Foundation
import Synchronization

/// Runs blocking work (a cycle, a libcurl transfer, SQLite) on a thread of its own, so the
/// concurrency pool's few threads stay free for the HTTP server and the timers.
func onOwnThread<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Swift.Result { try work() })
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// Set once the daemon is asked to stop: the work in hand checks it between files.
package final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    package init() {}

    package var isSet: Bool { flag.load(ordering: .acquiring) }

    package func set() { flag.store(true, ordering: .releasing) }
}
