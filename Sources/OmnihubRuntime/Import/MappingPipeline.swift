import Foundation
import OmnihubCore
import OmnihubStore
import Synchronization

/// Maps a file on a thread of its own while the caller stores what comes out, so that parsing
/// and mapping on one core overlap with SQLite on the other.
///
/// The mapping thread hands over documents in batches through a bounded queue: memory holds a few
/// batches, whatever the size of the file, and a slow store holds the mapper back.
final class MappingPipeline: Sendable {
    /// A mapped document made ready for the store on the mapping thread.
    enum Outcome: Sendable {
        /// An order with its stored form rendered.
        case order(StorableOrder)
        /// A stock report or order event.
        case notice(InboundNotice)
        /// A document with issues.
        case rejected(DocumentRejection)

        init(_ outcome: FeedMapper.Outcome) {
            switch outcome {
            case .document(.order(let order)): self = .order(StorableOrder(order))
            case .document(.notice(let notice)): self = .notice(notice)
            case .rejected(let rejection): self = .rejected(rejection)
            }
        }
    }

    private enum Message: Sendable {
        case outcomes([Outcome])
        case finished(FeedMapper.Summary)
        case failed(any Error)
    }

    private static let batchSize = 256
    private let queue = BoundedQueue<Message>(capacity: 4)
    private let cancelled = AtomicFlag()
    /// Batches the caller is done with, handed back so that the mapping thread, which allocated
    /// them, frees them: freed on the storing thread, every order's memory went back to the
    /// mapping thread's malloc arena under its lock, and the two threads waited on each other
    /// (about 5 % of each in a 1M-line import's profile).
    private let spent = SpentBatches<[Outcome]>()

    /// Starts mapping `file` with `mapper`, from its first byte.
    init(mapper: FeedMapper, file: InboxFile) {
        let thread = Thread { [queue, cancelled, spent] in
            var batch: [Outcome] = []
            batch.reserveCapacity(MappingPipeline.batchSize)
            do {
                let summary = try mapper.map(FileByteSource(file: file)) { outcome in
                    if cancelled.isSet { throw CancellationError() }
                    batch.append(Outcome(outcome))
                    if batch.count == MappingPipeline.batchSize {
                        queue.push(.outcomes(batch))
                        batch = []
                        batch.reserveCapacity(MappingPipeline.batchSize)
                        spent.release()
                    }
                }
                if !batch.isEmpty { queue.push(.outcomes(batch)) }
                queue.push(.finished(summary))
            } catch {
                queue.push(.failed(error))
            }
        }
        thread.name = "omnihub mapping"
        thread.start()
    }

    /// Hands every outcome to `body` in file order and returns the mapper's summary.
    ///
    /// - Throws: what the mapper threw (a ``MappingIssue`` for a file that cannot be read), or what
    ///   `body` threw; in the second case the mapping thread is stopped before this returns.
    func drain(_ body: (Outcome) throws -> Void) throws -> FeedMapper.Summary {
        while true {
            switch queue.pop() {
            case .outcomes(let outcomes):
                do {
                    for outcome in outcomes { try body(outcome) }
                } catch {
                    stop()
                    throw error
                }
                spent.giveBack(outcomes)
            case .finished(let summary):
                return summary
            case .failed(let error):
                throw error
            }
        }
    }

    /// Asks the mapping thread to stop and waits until it has.
    private func stop() {
        cancelled.set()
        while true {
            switch queue.pop() {
            case .outcomes: continue
            case .finished, .failed: return
            }
        }
    }
}

/// A first-in first-out queue between two threads that blocks the producer when full and the
/// consumer when empty.
///
/// Its state is only touched with `condition` locked. It is a pthread mutex and condition variable
/// rather than `Synchronization.Mutex` because ThreadSanitizer sees through pthreads but not
/// through the futexes of the standard library's `Mutex`, and would report every batch as a race.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// A ring of slots; a taken slot is emptied at once so that nothing consumed stays alive.
    private var slots: [Element?]
    private var head = 0
    private var count = 0

    init(capacity: Int) {
        slots = Array(repeating: nil, count: capacity)
    }

    func push(_ item: Element) {
        condition.lock()
        while count == slots.count { condition.wait() }
        slots[(head + count) % slots.count] = item
        count += 1
        condition.broadcast()
        condition.unlock()
    }

    func pop() -> Element {
        condition.lock()
        defer { condition.unlock() }
        while true {
            while count == 0 { condition.wait() }
            let item = slots[head]
            slots[head] = nil
            head = (head + 1) % slots.count
            count -= 1
            condition.broadcast()
            // A filled slot always holds an item; the loop only guards against a broken ring.
            if let item { return item }
        }
    }
}

/// What one thread hands back to another to be let go of there.
///
/// Guarded by an `NSLock`, which ThreadSanitizer sees through.
final class SpentBatches<Batch: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var batches: [Batch] = []

    /// Hands `batch` back; the caller lets go of its own reference right after.
    func giveBack(_ batch: Batch) {
        lock.withLock { batches.append(batch) }
    }

    /// Lets go of every batch handed back so far, on the calling thread.
    func release() {
        let taken = lock.withLock {
            let taken = batches
            batches.removeAll()
            return taken
        }
        withExtendedLifetime(taken) {}
    }
}

/// A flag one thread sets and another reads.
final class AtomicFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() { value.store(true, ordering: .releasing) }
}
