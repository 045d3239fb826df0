import Foundation

/// The keys of the groups a feed file has finished (64-bit hashes of them), to recognise a group
/// whose records come back after other groups, in memory that does not grow with the file.
///
/// The newest keys are held in a set of at most `inMemory` hashes. When it is full they are
/// sorted and merged into one sorted file of all older hashes, in the temporary folder, unlinked
/// as soon as it is made (it vanishes with the process, however that ends). In memory, the file
/// keeps only the first hash of each 4 KiB block and a filter of the hashes in it (4 MiB, one
/// 64-bit word each, three bits set): a key the filter has never seen costs no read, and one it
/// may have seen costs one block read. However long the file, the keys take about 10 MB (4 MiB of
/// set, 4 MiB of filter, 8 bytes per 512 keys in the file), where a set of every key of a file of
/// 10 million orders took 160 MB.
final class FinishedGroupKeys {
    /// Hashes held in memory before they go to the file (4 MiB of set): the 1M-line benchmark's
    /// 488,000 orders go to it once.
    static let defaultInMemory = 1 << 18

    private let inMemory: Int
    private let folder: String
    private var recent: Set<UInt64> = []
    private var spilled: SpilledKeys?

    /// An empty memory that spills to `folder` (the process's temporary folder by default) once
    /// more than `inMemory` hashes are held.
    init(inMemory: Int = FinishedGroupKeys.defaultInMemory, folder: String = NSTemporaryDirectory()) {
        self.inMemory = max(1, inMemory)
        self.folder = folder
    }

    /// How many hashes were moved to the file so far.
    var spilledCount: Int { spilled?.count ?? 0 }

    /// Whether `hash` was inserted before.
    func contains(_ hash: UInt64) throws(GroupKeySpillError) -> Bool {
        if recent.contains(hash) { return true }
        return try spilled?.contains(hash) ?? false
    }

    /// Remembers `hash`; moves the set to the file when it is full.
    func insert(_ hash: UInt64) throws(GroupKeySpillError) {
        recent.insert(hash)
        guard recent.count >= inMemory else { return }
        let sorted = recent.sorted()
        spilled = try SpilledKeys.merging(sorted, into: spilled, folder: folder)
        recent.removeAll(keepingCapacity: true)
    }
}

/// A feed file's group keys could not be written to the temporary folder.
public struct GroupKeySpillError: Error, CustomStringConvertible, Sendable {
    public let folder: String
    public let reason: String

    public var description: String {
        "the keys of this long file's groups could not be kept in the temporary folder \(folder): \(reason). "
            + "Free space there or point TMPDIR to a folder with room; the file stays for the next cycle"
    }
}

/// Sorted hashes in an unlinked temporary file, with the first hash of each block and a filter in
/// memory.
private final class SpilledKeys {
    static let blockKeys = 512
    static let filterWords = 1 << 19

    let descriptor: Int32
    let count: Int
    let folder: String
    /// The first hash of each block of ``blockKeys`` hashes.
    let fences: [UInt64]
    /// One word a hash, three of its bits set: a hash whose bits are not all set is not in the file.
    fileprivate(set) var filter: [UInt64]

    private init(descriptor: Int32, count: Int, folder: String, fences: [UInt64], filter: [UInt64]) {
        self.descriptor = descriptor
        self.count = count
        self.folder = folder
        self.fences = fences
        self.filter = filter
    }

    /// A new file of `sorted` merged with the hashes of `older`.
    static func merging(_ sorted: [UInt64], into older: SpilledKeys?, folder: String) throws(GroupKeySpillError)
        -> SpilledKeys
    {
        let descriptor = try anonymousFile(in: folder)
        let count = sorted.count + (older?.count ?? 0)
        var filter = older?.takeFilter() ?? [UInt64](repeating: 0, count: filterWords)
        var fences: [UInt64] = []
        fences.reserveCapacity(count / blockKeys + 1)
        var writer = BlockWriter(descriptor: descriptor, folder: folder)
        do throws(GroupKeySpillError) {
            var fresh = sorted.makeIterator()
            var nextFresh = fresh.next()
            var reader = older.map { BlockReader(keys: $0) }
            var nextOld = try reader?.next()
            while nextFresh != nil || nextOld != nil {
                let key: UInt64
                if let old = nextOld, nextFresh.map({ old <= $0 }) ?? true {
                    key = old
                    nextOld = try reader?.next()
                } else {
                    key = nextFresh!
                    nextFresh = fresh.next()
                    mark(key, in: &filter)
                }
                if writer.written % blockKeys == 0 { fences.append(key) }
                try writer.append(key)
            }
            try writer.flush()
        } catch {
            close(descriptor)
            // The older file stays in use: it gets its filter back, with this merge's hashes marked
            // in it too, which only makes a few more lookups read a block.
            older?.filter = filter
            throw error
        }
        return SpilledKeys(descriptor: descriptor, count: count, folder: folder, fences: fences, filter: filter)
    }

    deinit { close(descriptor) }

    /// The filter, left to the file that replaces this one (which adds its new hashes to it
    /// without copying 4 MiB).
    func takeFilter() -> [UInt64] {
        defer { filter = [] }
        return filter
    }

    func contains(_ hash: UInt64) throws(GroupKeySpillError) -> Bool {
        let bits = Self.filterBits(hash)
        guard filter[Self.filterIndex(hash)] & bits == bits else { return false }
        // The last block whose first hash is not above `hash`.
        var low = 0
        var high = fences.count
        while low < high {
            let middle = (low + high) / 2
            if fences[middle] <= hash { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return false }
        let block = try read(block: low - 1)
        var first = 0
        var last = block.count
        while first < last {
            let middle = (first + last) / 2
            if block[middle] < hash { first = middle + 1 } else { last = middle }
        }
        return first < block.count && block[first] == hash
    }

    /// The hashes of block `index`.
    func read(block index: Int) throws(GroupKeySpillError) -> [UInt64] {
        let keys = min(Self.blockKeys, count - index * Self.blockKeys)
        guard keys > 0 else { return [] }
        var block = [UInt64](repeating: 0, count: keys)
        let wanted = keys * MemoryLayout<UInt64>.size
        let got = block.withUnsafeMutableBytes { bytes in
            var done = 0
            while done < wanted {
                let count = pread(
                    descriptor, bytes.baseAddress! + done, wanted - done,
                    off_t(index * Self.blockKeys * MemoryLayout<UInt64>.size + done))
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return count < 0 ? -Int(errno) : done }
                done += count
            }
            return done
        }
        guard got == wanted else {
            throw GroupKeySpillError(
                folder: folder,
                reason: got < 0 ? String(cString: strerror(Int32(-got))) : "the file ended early")
        }
        return block
    }

    static func filterIndex(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 44) & (filterWords - 1) }

    static func filterBits(_ hash: UInt64) -> UInt64 {
        (1 << (hash & 63)) | (1 << ((hash >> 6) & 63)) | (1 << ((hash >> 12) & 63))
    }

    static func mark(_ hash: UInt64, in filter: inout [UInt64]) {
        filter[filterIndex(hash)] |= filterBits(hash)
    }

    /// A new file in `folder`, already unlinked.
    static func anonymousFile(in folder: String) throws(GroupKeySpillError) -> Int32 {
        var template = Array((folder.hasSuffix("/") ? folder : folder + "/").utf8CString.dropLast())
        template += Array("omnihub-group-keys.XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw GroupKeySpillError(folder: folder, reason: String(cString: strerror(errno)))
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return descriptor
    }
}

/// Writes hashes to a file in 64 KiB writes.
private struct BlockWriter {
    let descriptor: Int32
    let folder: String
    var buffer: [UInt64] = []
    var written = 0

    init(descriptor: Int32, folder: String) {
        self.descriptor = descriptor
        self.folder = folder
        buffer.reserveCapacity(8192)
    }

    mutating func append(_ key: UInt64) throws(GroupKeySpillError) {
        buffer.append(key)
        written += 1
        if buffer.count == 8192 { try flush() }
    }

    mutating func flush() throws(GroupKeySpillError) {
        let failure: Int32? = buffer.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let count = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { return errno }
                done += count
            }
            return nil
        }
        if let failure { throw GroupKeySpillError(folder: folder, reason: String(cString: strerror(failure))) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Reads the hashes of a spilled file in order, block by block.
private struct BlockReader {
    let keys: SpilledKeys
    var block: [UInt64] = []
    var blockIndex = 0
    var position = 0
    var consumed = 0

    init(keys: SpilledKeys) { self.keys = keys }

    mutating func next() throws(GroupKeySpillError) -> UInt64? {
        guard consumed < keys.count else { return nil }
        if position == block.count {
            block = try keys.read(block: blockIndex)
            blockIndex += 1
            position = 0
        }
        defer {
            position += 1
            consumed += 1
        }
        return block[position]
    }
}
