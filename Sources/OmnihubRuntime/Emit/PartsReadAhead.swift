import OmnihubCore

/// Walks a run's parts with the next part read while the caller works on the one before: `read`
/// runs on a thread of its own (a reader connection of the store's pool), so reading part `n + 1`
/// overlaps rendering, recording and writing part `n` instead of waiting for them.
///
/// `read(after)` gives the part after the id `after`, `last` the id it ends at (`nil`: there is
/// no part, the walk is done), and `body` works on a part and says whether to go on (`false` when
/// a stop was requested). The first part is read after `start`.
///
/// Only for parts that hold ids above the last of the part before, so recording a part never
/// changes what the next holds. Reading ahead adds no new race: the store refuses to record a fact
/// that another run recorded since it was read (``StoreError/Code/changedMeanwhile``), however long
/// ago that was. A part read ahead and not wanted (the body threw, or said stop) is let go of.
func forEachPart<Part: Sendable>(
    after start: Int64 = 0, read: @escaping @Sendable (_ after: Int64) throws -> Part,
    last: (Part) -> Int64?, _ body: (Part) throws -> Bool
) throws {
    var part = try read(start)
    while let end = last(part) {
        let next = BackgroundJob { Result { try read(end) } }
        let goOn: Bool
        do {
            goOn = try body(part)
        } catch {
            _ = next.wait()
            throw error
        }
        let following = next.wait()
        guard goOn else { return }
        part = try following.get()
    }
}
