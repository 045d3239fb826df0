import Foundation
import Synchronization

/// `(0..<count).map(transform)` on up to `workers` threads, each with at least `minimumPerWorker`
/// indices. Each index is computed once and its result lands at its index, so the outcome is the
/// same whatever the number of threads.
///
/// The threads are ``BackgroundJob``s, joined before this returns: ThreadSanitizer sees the join and
/// so every result written before it (it does not see through libdispatch's own queues).
package func parallelMap<Result: Sendable>(
    _ count: Int, workers: Int, minimumPerWorker: Int = 64, _ transform: @Sendable (Int) -> Result
) -> [Result] {
    let workers = max(1, min(workers, count / max(1, minimumPerWorker)))
    if workers == 1 { return (0..<count).map(transform) }
    return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
        let results = SendableBuffer(base: buffer.baseAddress!)
        // Small chunks, each taken by the next thread free: the threads stay evenly loaded when
        // costs vary along the range, or when the machine takes a core away for a while.
        let chunk = min(32, max(1, count / workers / 4))
        let chunks = (count + chunk - 1) / chunk
        let next = ChunkCounter()
        withoutActuallyEscaping(transform) { transform in
            let work: @Sendable () -> Void = {
                while true {
                    let index = next.take()
                    guard index < chunks else { return }
                    for item in index * chunk..<min(count, (index + 1) * chunk) {
                        (results.base + item).initialize(to: transform(item))
                    }
                }
            }
            // Each worker a background job (run at once when no thread can be had), joined below.
            let jobs = (1..<workers).map { _ in BackgroundJob(work) }
            work()
            for job in jobs { job.wait() }
        }
        initialized = count
    }
}

/// The next chunk of a ``parallelMap(_:workers:minimumPerWorker:_:)`` no thread has taken yet.
private final class ChunkCounter: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}

/// The results buffer of ``parallelMap(_:workers:minimumPerWorker:_:)``. Unchecked because a
/// pointer is never `Sendable`; safe because each index is initialized by exactly one thread and
/// the buffer is read only after every thread is joined. It holds computed results, never input.
private struct SendableBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}

/// Threads sourcing may use: the machine's cores, at most eight.
let sourcingWorkers = min(8, max(1, ProcessInfo.processInfo.activeProcessorCount))

/// Threads that render outbound documents: the machine's cores, at most eight. The store's one
/// writer records what they rendered, in the order the documents were read.
package let outboxWorkers = min(8, max(1, ProcessInfo.processInfo.activeProcessorCount))

/// Threads that map an XML or JSON feed's documents while its reader goes on: the machine's
/// cores, at most eight.
let mappingWorkers = min(8, max(1, ProcessInfo.processInfo.activeProcessorCount))
