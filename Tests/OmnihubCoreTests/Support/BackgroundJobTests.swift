import Foundation
import Testing

@testable import OmnihubCore

@Suite("A background job runs while its caller goes on")
struct BackgroundJobTests {
    @Test("the job runs on its own thread: it waits for the caller, and the caller gets its result")
    func overlaps() {
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        // Run in the caller's thread, the job would wait out its ten seconds for a signal that
        // comes only after it returned, and give -1.
        let job = BackgroundJob { () -> Int in
            started.signal()
            return release.wait(timeout: .now() + 10) == .success ? 42 : -1
        }
        #expect(started.wait(timeout: .now() + 10) == .success)
        release.signal()
        #expect(job.wait() == 42)
    }
}
