import CZstd
import Foundation
import GRDB

/// How the store keeps an order's canonical document in `orders.document`: compressed with
/// Zstandard against a fixed dictionary of the canonical order's keys.
///
/// The canonical JSON of an order is mostly its keys (`"unit_price":`, `"postal_code":` …), the
/// same in every order; a dictionary made of them lets each document refer to them instead of
/// spelling them out. A marketplace's order of 500 bytes is kept in about 200, and a peak day's
/// import writes that much less into the log and the database (see BENCHMARKS.md).
///
/// A stored document is either the canonical JSON as text (every order stored by an earlier version, and
/// any order whose compression failed) or a blob: ``dictionaryOne`` as its first byte, then one
/// Zstandard frame that names its size. Both are read back; the text form is never rewritten.
enum StoredOrderDocument {
    /// The first byte of a document compressed against ``dictionary``. A later dictionary gets a
    /// byte of its own; this one's documents must stay readable, so its bytes never change.
    static let dictionaryOne: UInt8 = 1

    /// The largest canonical document kept compressed (a larger one is kept as text): a damaged
    /// frame cannot make the reader allocate more.
    static let largestDocument = 64 << 20

    /// The canonical keys of an order in their canonical order, with values that are common.
    ///
    /// Zstandard takes any bytes that do not start with its dictionary magic as raw content.
    /// Never change these bytes: the documents compressed against them need exactly them.
    static let dictionary: [UInt8] = Array(
        #"""
        {"bill_to":{"city":"","company":"","country":"","line1":"","line2":"","name":"","postal_code":"",\#
        "region":""},"channel":"","currency":"EUR","customer":{"email":"@example.com","language":"de",\#
        "name":"","phone":"+49"},"delivery":{"method":"ship","pickup_node":"","promised_by":"",\#
        "service":"standard"},"discounts":[{"amount":"","code":""}],"external_id":"",\#
        "lines":[{"discounts":[{"amount":"","code":""}],"gtin":"","line_id":"","quantity":1,"sku":"",\#
        "tax_rate":"19","title":"","unit_price":"0.00"},{"gtin":"","line_id":"","quantity":1,"sku":"",\#
        "tax_rate":"19","title":"","unit_price":""}],"payment":{"amount":"","method":"","reference":""},\#
        "placed_at":"2025-11-28T00:00:00Z","prices":"net","ship_to":{"city":"","company":"","country":"DE",\#
        "line1":"","line2":"","name":"","postal_code":"","region":""},"shipping":{"amount":"","discount":"",\#
        "tax_rate":""}}
        """#.utf8)

    /// The level Zstandard compresses at: its fast end, where a 500-byte document takes about
    /// 2 µs and keeps 40 % of its size (level 1 keeps 39 % and takes twice as long).
    static let level: Int32 = -1

    /// `json` as the store keeps it: compressed, or as it is when compression fails.
    static func stored(_ json: [UInt8]) -> (bytes: [UInt8], compressed: Bool) {
        guard !json.isEmpty, json.count <= largestDocument, let compressed = ZstdContexts.shared.compress(json) else {
            return (json, false)
        }
        return (compressed, true)
    }

    /// The canonical JSON of a stored document, text or compressed.
    ///
    /// - Throws: ``StoredOrderDocument/Damaged`` for a blob that is not a compressed document.
    static func json(_ stored: UnsafeRawBufferPointer, isBlob: Bool) throws(Damaged) -> [UInt8] {
        guard isBlob else { return Array(stored) }
        guard let first = stored.first else { throw Damaged(reason: "it is an empty blob") }
        guard first == dictionaryOne else {
            throw Damaged(reason: "its first byte is \(first), not a dictionary this version knows")
        }
        return try ZstdContexts.shared.decompress(UnsafeRawBufferPointer(rebasing: stored.dropFirst()))
    }

    /// The canonical JSON of a stored document read through GRDB.
    static func json(_ value: DatabaseValue) throws(Damaged) -> [UInt8] {
        switch value.storage {
        case .string(let text): return Array(text.utf8)
        case .blob(let data):
            let read = data.withUnsafeBytes { bytes in Result { () throws(Damaged) in try json(bytes, isBlob: true) } }
            return try read.get()
        case .null: throw Damaged(reason: "it is missing")
        case .int64, .double: throw Damaged(reason: "it is a number")
        }
    }

    /// A stored document that cannot be read back.
    struct Damaged: Error, Sendable, CustomStringConvertible {
        /// What is wrong with it.
        let reason: String

        var description: String { "the stored document cannot be read: \(reason)" }
    }
}

/// Zstandard's contexts, one per thread at work, and the dictionary prepared once for both
/// directions.
///
/// A context holds a compression's state and serves one thread at a time; a thread takes one from
/// the free list and gives it back. The prepared dictionaries are read-only and shared.
/// Guarded by an `NSLock`, which ThreadSanitizer sees through.
final class ZstdContexts: @unchecked Sendable {
    static let shared = ZstdContexts()

    private let lock = NSLock()
    private let compressionDictionary: OpaquePointer?
    private let decompressionDictionary: OpaquePointer?
    private var compressors: [OpaquePointer] = []
    private var decompressors: [OpaquePointer] = []

    /// Prepares the dictionary; Zstandard copies its bytes.
    private init() {
        let (compression, decompression) = StoredOrderDocument.dictionary.withUnsafeBytes { bytes in
            (
                ZSTD_createCDict(bytes.baseAddress, bytes.count, StoredOrderDocument.level),
                ZSTD_createDDict(bytes.baseAddress, bytes.count)
            )
        }
        compressionDictionary = compression
        decompressionDictionary = decompression
    }

    /// `json` compressed, behind ``StoredOrderDocument/dictionaryOne``; `nil` when Zstandard
    /// fails (it has no memory for a context).
    func compress(_ json: [UInt8]) -> [UInt8]? {
        guard let compressionDictionary, let context = take(\.compressors, making: ZSTD_createCCtx) else {
            return nil
        }
        defer { giveBack(context, to: \.compressors) }
        let bound = ZSTD_compressBound(json.count)
        let output = [UInt8](unsafeUninitializedCapacity: bound + 1) { buffer, count in
            buffer[0] = StoredOrderDocument.dictionaryOne
            let written = json.withUnsafeBytes { input in
                ZSTD_compress_usingCDict(
                    context, buffer.baseAddress! + 1, bound, input.baseAddress, input.count, compressionDictionary)
            }
            count = ZSTD_isError(written) == 0 ? written + 1 : 0
        }
        return output.isEmpty ? nil : output
    }

    /// The document in `frame`, which must name its size.
    func decompress(_ frame: UnsafeRawBufferPointer) throws(StoredOrderDocument.Damaged) -> [UInt8] {
        let size = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        // ZSTD_CONTENTSIZE_ERROR and ZSTD_CONTENTSIZE_UNKNOWN, macros Swift does not import.
        guard size != UInt64.max - 1 else { throw StoredOrderDocument.Damaged(reason: "it is not a Zstandard frame") }
        guard size != UInt64.max else { throw StoredOrderDocument.Damaged(reason: "its frame does not name its size") }
        guard size <= UInt64(StoredOrderDocument.largestDocument) else {
            throw StoredOrderDocument.Damaged(reason: "its frame names \(size) bytes, more than 64 MiB")
        }
        guard let decompressionDictionary, let context = take(\.decompressors, making: ZSTD_createDCtx) else {
            throw StoredOrderDocument.Damaged(reason: "no memory to decompress it")
        }
        defer { giveBack(context, to: \.decompressors) }
        var failure: String?
        let json = [UInt8](unsafeUninitializedCapacity: Int(size)) { buffer, count in
            let written = ZSTD_decompress_usingDDict(
                context, buffer.baseAddress, Int(size), frame.baseAddress, frame.count, decompressionDictionary)
            if ZSTD_isError(written) != 0 {
                failure = String(cString: ZSTD_getErrorName(written))
            } else if written != Int(size) {
                failure = "its frame names \(size) bytes and holds \(written)"
            } else {
                count = written
            }
        }
        if let failure { throw StoredOrderDocument.Damaged(reason: failure) }
        return json
    }

    private func take(
        _ list: ReferenceWritableKeyPath<ZstdContexts, [OpaquePointer]>, making make: () -> OpaquePointer?
    ) -> OpaquePointer? {
        lock.withLock { self[keyPath: list].popLast() } ?? make()
    }

    private func giveBack(_ context: OpaquePointer, to list: ReferenceWritableKeyPath<ZstdContexts, [OpaquePointer]>) {
        lock.withLock { self[keyPath: list].append(context) }
    }
}
