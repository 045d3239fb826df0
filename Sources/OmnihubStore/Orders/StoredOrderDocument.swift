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
/// A stored document is either the canonical JSON as text (every order stored by an earlier
/// version, and any order whose compression failed) or a blob: ``dictionaryOne`` as its first
/// byte, then one Zstandard frame that names its size. Both are read back; the text form is never
/// rewritten. A store written by this version cannot be read by an earlier one.
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

    /// `json` as the store keeps it: compressed, or as it is when compression fails.
    static func stored(_ json: [UInt8]) -> (bytes: [UInt8], compressed: Bool) {
        guard !json.isEmpty, json.count <= largestDocument,
            let compressed = Zstandard.shared.compress(json, marker: dictionaryOne, againstDictionary: true)
        else { return (json, false) }
        return (compressed, true)
    }

    /// The canonical JSON of a stored document, text or compressed.
    ///
    /// - Throws: ``Zstandard/Damaged`` for a blob that is not a compressed document.
    static func json(_ stored: UnsafeRawBufferPointer, isBlob: Bool) throws(Zstandard.Damaged) -> [UInt8] {
        guard isBlob else { return Array(stored) }
        guard let first = stored.first else { throw Zstandard.Damaged(reason: "it is an empty blob") }
        guard first == dictionaryOne else {
            throw Zstandard.Damaged(reason: "its first byte is \(first), not a dictionary this version knows")
        }
        return try Zstandard.shared.decompress(
            UnsafeRawBufferPointer(rebasing: stored.dropFirst()), againstDictionary: true, largest: largestDocument)
    }

    /// The canonical JSON of a stored document read through GRDB.
    static func json(_ value: DatabaseValue) throws(Zstandard.Damaged) -> [UInt8] {
        switch value.storage {
        case .string(let text): return Array(text.utf8)
        case .blob(let data):
            let read = data.withUnsafeBytes { bytes in
                Result { () throws(Zstandard.Damaged) in try json(bytes, isBlob: true) }
            }
            return try read.get()
        case .null: throw Zstandard.Damaged(reason: "it is missing")
        case .int64, .double: throw Zstandard.Damaged(reason: "it is a number")
        }
    }
}
