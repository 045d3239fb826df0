import Dispatch
import Foundation

/// `(0..<count).map(transform)` on up to `workers` threads, each with at least `minimumPerWorker`
/// indices. Each index is computed once and its
/// result lands at its index, so the outcome is the same whatever the number of threads.
func parallelMap<Result: Sendable>(
    _ count: Int, workers: Int, minimumPerWorker: Int = 64, _ transform: @Sendable (Int) -> Result
) -> [Result] {
    let workers = max(1, min(workers, count / minimumPerWorker))
    if workers == 1 { return (0..<count).map(transform) }
    return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
        let results = SendableBuffer(base: buffer.baseAddress!)
        // Interleaved chunks of 32 indices keep the threads evenly loaded when costs vary along
        // the range.
        let chunk = min(32, max(1, count / workers / 4))
        let chunks = (count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < chunks {
                for item in index * chunk..<min(count, (index + 1) * chunk) {
                    (results.base + item).initialize(to: transform(item))
                }
                index += workers
            }
        }
        initialized = count
    }
}

/// The results buffer of ``parallelMap(_:workers:_:)``: each thread writes only its own indices.
private struct SendableBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}

/// Threads sourcing may use: the machine's cores, at most eight.
let sourcingWorkers = min(8, max(1, ProcessInfo.processInfo.activeProcessorCount))
