import Foundation
import Testing

@testable import OmnihubRuntime

@Suite("A run's parts are read one ahead of the part being worked on")
struct PartsReadAheadTests {
    /// Parts of three ids each, up to `through`: the part after `after` is the next three ids.
    static func part(after: Int64, through: Int64) -> [Int64] {
        Array((after + 1)...(after + 3)).filter { $0 <= through }
    }

    @Test("every part once, in order, each read while the one before is worked on")
    func inOrder() throws {
        let reads = ReadLog()
        var worked: [[Int64]] = []
        var readWhileWorking: [[Int64]] = []
        try forEachPart(
            read: { after in
                reads.append(after)
                return Self.part(after: after, through: 10)
            }, last: \.last
        ) { part in
            // The next part's read has started before this body runs; wait until it is in.
            let deadline = Date().addingTimeInterval(10)
            while !reads.all.contains(part.last!) && Date() < deadline { usleep(1_000) }
            readWhileWorking.append(reads.all)
            worked.append(part)
            return true
        }
        #expect(worked == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]])
        #expect(reads.all == [0, 3, 6, 9, 10], "the last read finds nothing and ends the walk")
        #expect(readWhileWorking.first == [0, 3], "the second part was read while the first was worked on")
    }

    @Test("a body that says stop ends the walk after its part; one that throws ends it with its error")
    func stopsAndFails() throws {
        var worked: [[Int64]] = []
        try forEachPart(read: { Self.part(after: $0, through: 10) }, last: \.last) { part in
            worked.append(part)
            return worked.count < 2
        }
        #expect(worked == [[1, 2, 3], [4, 5, 6]])

        struct Refused: Error {}
        worked = []
        #expect(throws: Refused.self) {
            try forEachPart(read: { Self.part(after: $0, through: 10) }, last: \.last) { part in
                worked.append(part)
                throw Refused()
            }
        }
        #expect(worked == [[1, 2, 3]])
    }

    @Test("a part that cannot be read ends the walk with the read's error, after the part before")
    func readFails() throws {
        struct Unreadable: Error {}
        var worked: [[Int64]] = []
        #expect(throws: Unreadable.self) {
            try forEachPart(
                read: { after in
                    if after >= 3 { throw Unreadable() }
                    return Self.part(after: after, through: 10)
                }, last: \.last
            ) { part in
                worked.append(part)
                return true
            }
        }
        #expect(worked == [[1, 2, 3]])
    }
}

/// The ids each read was asked for, in the order asked, shared by the reading thread and the test.
/// An `NSLock` rather than `Synchronization.Mutex`: ThreadSanitizer sees through pthread locks but
/// not through the futexes of the standard library's `Mutex`, and reported the list as a race.
private final class ReadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reads: [Int64] = []

    func append(_ after: Int64) { lock.withLock { reads.append(after) } }

    var all: [Int64] { lock.withLock { reads } }
}
