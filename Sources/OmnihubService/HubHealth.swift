import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

/// Whether the hub is ready: the store answered and the last cycle did not fail on it. `/readyz`
/// answers from here; `/healthz` only says the process serves requests.
package final class HubHealth: @unchecked Sendable {
    private let lock = NSLock()
    private var storeFailure: String?
    private var cycles = 0

    package init() {}

    func cycleEnded(_ report: CycleReport) {
        let failure = report.failures.first { $0.kind == .store }.map(\.message)
        lock.withLock {
            cycles += 1
            storeFailure = failure
        }
    }

    /// `nil` when ready, else why not.
    package var notReadyBecause: String? {
        lock.withLock {
            if let storeFailure { return "the store failed in the last cycle: \(storeFailure)" }
            return cycles == 0 ? "the first cycle has not finished yet" : nil
        }
    }
}
