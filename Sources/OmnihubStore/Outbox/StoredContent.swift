import Foundation
import GRDB

/// An outbound document's bytes as `outbound_document_contents` keeps them: compressed with
/// Zstandard (`compression = 'zstd'`), or as they are (`compression` NULL: every document of an
/// earlier version, a document too small or too random to gain, and any whose compression failed).
///
/// A peak day's invoices were most of the bytes the store writes: 5 KB of UBL each, written into
/// the log and copied into the database after it. Compressed on the threads that render them,
/// each keeps about a third of its size.
package struct StoredContent: Sendable {
    /// The bytes the row holds.
    let bytes: [UInt8]
    /// How they are compressed: `zstd`, or `nil` for the document's bytes as they are.
    let compression: String?

    /// The one compression this version writes.
    static let zstd = "zstd"
    /// Below this size a frame's own header eats what compression would save.
    static let smallest = 64
    /// The largest document kept compressed (a larger one is kept as it is): a damaged frame
    /// cannot make the reader allocate more.
    static let largest = 1 << 30

    /// `content` as the store keeps it.
    init(_ content: [UInt8]) {
        if (Self.smallest...Self.largest).contains(content.count),
            let compressed = Zstandard.shared.compress(content, againstDictionary: false),
            compressed.count < content.count
        {
            (bytes, compression) = (compressed, Self.zstd)
        } else {
            (bytes, compression) = (content, nil)
        }
    }

    /// The document's bytes in the `content` and `compression` columns of `row`.
    ///
    /// - Throws: ``StoreError/Code/corruptDocument``, naming document `id`, for bytes that cannot
    ///   be read back.
    static func content(of row: Row, id: Int64, store path: String) throws -> [UInt8] {
        let stored: Data = try row.decode(forColumn: "content")
        let compression: String? = try row.decode(forColumn: "compression")
        do {
            switch compression {
            case nil:
                return Array(stored)
            case zstd:
                let read = stored.withUnsafeBytes { frame in
                    Result { () throws(Zstandard.Damaged) in
                        try Zstandard.shared.decompress(frame, againstDictionary: false, largest: largest)
                    }
                }
                return try read.get()
            case let other?:
                throw Zstandard.Damaged(reason: "its compression '\(other)' is not one this version knows")
            }
        } catch {
            throw StoreError(
                .corruptDocument, path: path,
                message: "outbound document \(id): \(error); the database was changed outside omnihub or is damaged",
                cause: error)
        }
    }
}
