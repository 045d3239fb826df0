import Foundation
import OmnihubRuntime
import Synchronization

/// Set once the daemon is asked to stop: the work in hand checks it between files.
package final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    package init() {}

    package var isSet: Bool { flag.load(ordering: .acquiring) }

    package func set() { flag.store(true, ordering: .releasing) }
}
