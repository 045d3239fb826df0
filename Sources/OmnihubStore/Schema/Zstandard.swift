import CZstd
import Foundation

/// Zstandard, as the store uses it for the bytes it keeps most of: orders' canonical documents
/// (``StoredOrderDocument``, against a dictionary) and outbound documents' contents
/// (``StoredContent``, without one).
///
/// A context holds one compression's state and serves one thread at a time: a thread takes one
/// from the free list and gives it back, so the render threads and the writer compress side by
/// side. The prepared dictionaries are made once, never changed, and Zstandard lets any number of
/// threads use them at once. Unchecked because its pointers are not `Sendable`; safe because the
/// free lists are only touched under an `NSLock` (which ThreadSanitizer sees through) and a
/// context is used by the one thread that took it. What it decompresses is the store's own bytes,
/// which may be damaged, never a partner's: a frame must name its size, at most `largest`, and
/// Zstandard's decoder checks a frame against its bounds and reports what is wrong.
final class Zstandard: @unchecked Sendable {
    static let shared = Zstandard()

    /// The level both kinds of bytes are compressed at: Zstandard's fast end. A 500-byte order
    /// takes about 2 µs and keeps 40 % of its size against the dictionary (level 1: 39 %, twice
    /// the time); a 5 KB UBL invoice keeps about a third.
    static let level: Int32 = -1

    private let lock = NSLock()
    private let compressionDictionary: OpaquePointer?
    private let decompressionDictionary: OpaquePointer?
    private var compressors: [OpaquePointer] = []
    private var decompressors: [OpaquePointer] = []

    /// Prepares the orders' dictionary; Zstandard copies its bytes.
    private init() {
        let (compression, decompression) = StoredOrderDocument.dictionary.withUnsafeBytes { bytes in
            (
                ZSTD_createCDict(bytes.baseAddress, bytes.count, Zstandard.level),
                ZSTD_createDDict(bytes.baseAddress, bytes.count)
            )
        }
        compressionDictionary = compression
        decompressionDictionary = decompression
    }

    /// `bytes` compressed into one frame that names its size, behind `marker` when one is given,
    /// against the orders' dictionary or without one; `nil` when Zstandard fails (it has no memory
    /// for a context).
    func compress(_ bytes: [UInt8], marker: UInt8? = nil, againstDictionary: Bool) -> [UInt8]? {
        guard !againstDictionary || compressionDictionary != nil,
            let context = take(\.compressors, making: ZSTD_createCCtx)
        else { return nil }
        defer { giveBack(context, to: \.compressors) }
        let bound = ZSTD_compressBound(bytes.count)
        let start = marker == nil ? 0 : 1
        let output = [UInt8](unsafeUninitializedCapacity: bound + start) { buffer, count in
            // A capacity of at least one byte always has an address; without one, nothing is made.
            guard let base = buffer.baseAddress else { return }
            if let marker { base[0] = marker }
            let frame = base + start
            let written = bytes.withUnsafeBytes { input in
                againstDictionary
                    ? ZSTD_compress_usingCDict(
                        context, frame, bound, input.baseAddress, input.count, compressionDictionary)
                    : ZSTD_compressCCtx(context, frame, bound, input.baseAddress, input.count, Zstandard.level)
            }
            count = ZSTD_isError(written) == 0 ? written + start : 0
        }
        return output.isEmpty ? nil : output
    }

    /// The bytes in `frame`, which must name its size, at most `largest`.
    func decompress(_ frame: UnsafeRawBufferPointer, againstDictionary: Bool, largest: Int) throws(Damaged) -> [UInt8] {
        let size = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        // ZSTD_CONTENTSIZE_ERROR and ZSTD_CONTENTSIZE_UNKNOWN, macros Swift does not import.
        guard size != UInt64.max - 1 else { throw Damaged(reason: "it is not a Zstandard frame") }
        guard size != UInt64.max else { throw Damaged(reason: "its frame does not name its size") }
        guard size <= UInt64(largest) else {
            throw Damaged(reason: "its frame names \(size) bytes, more than \(largest >> 20) MiB")
        }
        guard !againstDictionary || decompressionDictionary != nil,
            let context = take(\.decompressors, making: ZSTD_createDCtx)
        else { throw Damaged(reason: "no memory to decompress it") }
        defer { giveBack(context, to: \.decompressors) }
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: Int(size)) { buffer, count in
            let written =
                againstDictionary
                ? ZSTD_decompress_usingDDict(
                    context, buffer.baseAddress, Int(size), frame.baseAddress, frame.count, decompressionDictionary)
                : ZSTD_decompressDCtx(context, buffer.baseAddress, Int(size), frame.baseAddress, frame.count)
            if ZSTD_isError(written) != 0 {
                failure = String(cString: ZSTD_getErrorName(written))
            } else if written != Int(size) {
                failure = "its frame names \(size) bytes and holds \(written)"
            } else {
                count = written
            }
        }
        if let failure { throw Damaged(reason: failure) }
        return bytes
    }

    /// Stored bytes that cannot be read back.
    struct Damaged: Error, Sendable, CustomStringConvertible {
        /// What is wrong with them.
        let reason: String

        var description: String { "the stored bytes cannot be read: \(reason)" }
    }

    private func take(
        _ list: ReferenceWritableKeyPath<Zstandard, [OpaquePointer]>, making make: () -> OpaquePointer?
    ) -> OpaquePointer? {
        lock.withLock { self[keyPath: list].popLast() } ?? make()
    }

    private func giveBack(_ context: OpaquePointer, to list: ReferenceWritableKeyPath<Zstandard, [OpaquePointer]>) {
        lock.withLock { self[keyPath: list].append(context) }
    }
}
