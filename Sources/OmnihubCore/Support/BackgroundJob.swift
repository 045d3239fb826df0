import Foundation

/// Work started on a thread of its own while the caller goes on, and its result once done:
/// the caller overlaps one step with the next (a part's files written while the next part is
/// read and rendered) and waits for it before the step after.
///
/// A POSIX thread, joined by ``wait()``: ThreadSanitizer sees the join, so everything the job
/// wrote is visible to the caller afterwards. Every job is waited for, once.
package final class BackgroundJob<Value: Sendable> {
    private let result: JobResult<Value>
    private var thread: pthread_t?

    /// Starts `body` on a new thread, or runs it at once when no thread can be had.
    package init(_ body: @escaping @Sendable () -> Value) {
        let result = JobResult<Value>()
        self.result = result
        let start = Unmanaged.passRetained(JobStart { result.value = body() }).toOpaque()
        var thread = pthread_t()
        if pthread_create(
            &thread, nil,
            { start in
                Unmanaged<JobStart>.fromOpaque(start!).takeRetainedValue().body()
                return nil
            }, start) == 0
        {
            self.thread = thread
        } else {
            Unmanaged<JobStart>.fromOpaque(start).takeRetainedValue().body()
        }
    }

    /// Waits for the job to end and gives its result.
    package func wait() -> Value {
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
        return result.value!
    }
}

/// What a ``BackgroundJob`` runs.
private final class JobStart: Sendable {
    let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// A ``BackgroundJob``'s result. Unchecked because it is written by the job's thread and read by
/// the caller; safe because the read comes after `pthread_join`, which orders the two.
private final class JobResult<Value>: @unchecked Sendable {
    var value: Value?
}
