import Foundation
import GRDB
import OmnihubCore
import Testing

@testable import OmnihubStore

@Suite("Stored orders read by id: every column as stored, compressed or not, a damaged document named")
struct StoredOrdersTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-stored-\(UUID().uuidString)")

    /// A store holding orders A1 to A`count`, their customers' names not plain ASCII.
    func storeWithOrders(_ count: Int) throws -> OrderStore {
        let store = try OrderStore(path: folder.appendingPathComponent("omnihub.sqlite").path)
        let receipt = FileReceipt(
            partner: "amazon-de", feed: "orders", name: "a.tsv", inboxPath: "/inbox/a.tsv", size: 10,
            modifiedAt: Timestamp(millisecondsSince1970: 0), sha256: "aa")
        _ = try store.ledger.recordImport(
            of: receipt, receivedAt: Timestamp(millisecondsSince1970: 5), storedPath: { _ in "/archive/a.tsv" }
        ) { fileImport in
            for number in 1...count {
                _ = try fileImport.add(
                    Order(
                        channel: "amazon-de", externalID: "A\(number)",
                        placedAt: Timestamp(millisecondsSince1970: 1000), currency: Currency(code: "EUR")!,
                        customer: Customer(name: "Jürgen Müller \(number)"), shipTo: Address(country: "DE"),
                        billTo: nil, delivery: Delivery(method: .ship),
                        lines: [
                            OrderLine(lineID: "1", sku: "SKU", quantity: number, unitPrice: Amount(parsing: "9.99")!)
                        ],
                        shipping: nil, discounts: [], payment: nil,
                        source: SourceLocation(file: "amazon-de/a.tsv", record: number, line: number + 1)))
            }
            return (.imported, FileImportCounts())
        }
        return store
    }

    @Test("each order comes back with its status, import time and document; unknown ids are left out")
    func readsEveryColumn() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try storeWithOrders(40)
        try store.database.write { db in
            try db.execute(sql: "UPDATE orders SET status = 'sourced' WHERE id = 7")
        }
        let expected = try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, imported_at FROM orders").map {
                ($0[0] as Int64, $0[1] as String)
            }
        }
        let orders = try store.orders.byID(Array(1...40) + [41, 999])
        #expect(orders.count == 40)
        for (id, importedAt) in expected {
            let stored = try #require(orders[id])
            #expect(stored.id == id)
            #expect(stored.importedAt == importedAt)
            #expect(stored.status == (id == 7 ? .sourced : .open))
            #expect(stored.order.externalID == "A\(id)")
            #expect(stored.order.customer.name == "Jürgen Müller \(id)")
            #expect(stored.order.lines.map(\.quantity) == [Int(id)])
        }
    }

    @Test("a document that does not decode is named by its order and the store, not skipped")
    func damagedDocument() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try storeWithOrders(3)
        try store.database.write { db in
            try db.execute(sql: "UPDATE orders SET document = '{\"channel\": ' WHERE id = 2")
        }
        let error = try #require(throws: StoreError.self) { try store.orders.byID([1, 2, 3]) }
        #expect(error.code == .corruptDocument)
        #expect(error.message.contains("order 2 "))
        #expect(error.path == store.path)
    }

    @Test("documents are kept compressed against the dictionary; the text form of earlier versions reads back")
    func compressedAndText() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try storeWithOrders(3)
        let kept = try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT typeof(document), unicode(document), length(document) FROM orders").map {
                ($0[0] as String, $0[2] as Int)
            }
        }
        let first = try #require(try store.orders.byID([1])[1]).order
        let json = first.canonicalJSON(includingSource: false, compact: true)
        #expect(kept.map(\.0) == ["blob", "blob", "blob"])
        #expect(kept[0].1 < json.count * 3 / 4, "\(kept[0].1) bytes kept for \(json.count) bytes of JSON")
        let firstBytes = try store.database.read { db in
            try Data.fetchOne(db, sql: "SELECT substr(document, 1, 1) FROM orders WHERE id = 1")
        }
        #expect(firstBytes == Data([StoredOrderDocument.dictionaryOne]))

        // Order 2 as an earlier version kept it: its canonical JSON as text.
        let second = try #require(try store.orders.byID([2])[2]).order
        try store.database.write { db in
            try db.execute(
                sql: "UPDATE orders SET document = ? WHERE id = 2",
                arguments: [
                    String(decoding: second.canonicalJSON(includingSource: false, compact: true), as: UTF8.self)
                ])
        }
        let again = try store.orders.byID([1, 2, 3])
        #expect(try #require(again[2]).order == second)
        #expect(try #require(again[1]).order == first)
        #expect(try #require(again[2]).order.customer.name == "Jürgen Müller 2")
    }

    @Test(
        "a damaged compressed document is named by its order: a broken frame, an unknown dictionary, an absurd size",
        arguments: [
            ("X'01DEADBEEF'", "not a Zstandard frame"),
            ("X'0728B52FFD'", "first byte is 7"),
            // Frame headers: one naming 2^40 bytes of content, one naming none, one naming 100
            // bytes and holding none of them.
            ("X'0128B52FFDE00000000000010000'", "1099511627776 bytes, more than 64 MiB"),
            ("X'0128B52FFD0000'", "does not name its size"),
            ("X'0128B52FFD2064'", "Src size is incorrect"),
            ("X''", "empty blob"),
        ])
    func damagedCompressedDocument(blob: String, reason: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try storeWithOrders(3)
        try store.database.write { db in
            try db.execute(sql: "UPDATE orders SET document = \(blob) WHERE id = 2")
        }
        let error = try #require(throws: StoreError.self) { try store.orders.byID([1, 2, 3]) }
        #expect(error.code == .corruptDocument)
        #expect(error.message.contains("order 2"))
        #expect(error.message.contains(reason), "\(error.message)")
    }

    /// An order compressed by another build of Zstandard (level 3, where omnihub writes at -1)
    /// against the dictionary: it reads back only as long as the dictionary's bytes are the ones
    /// every stored document was compressed against.
    static let compressedElsewhere =
        "0128B52FFD600300D50200B4027B616D617A6F6E2D64654AC3BC7267656E204DC3BC6C6C65727D41313132534B55392E39393144"
        + "45227D7D0F002764018F940318E7B96A482402695E68007143C4612162B372C4817004C23613A2980977CD1358AA8B8510"

    @Test("a document compressed elsewhere against the same dictionary reads back: the dictionary has not changed")
    func dictionaryUnchanged() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try storeWithOrders(1)
        try store.database.write { db in
            try db.execute(sql: "UPDATE orders SET document = X'\(Self.compressedElsewhere)' WHERE id = 1")
        }
        let order = try #require(try store.orders.byID([1])[1]).order
        let json = String(decoding: order.canonicalJSON(includingSource: false, compact: true), as: UTF8.self)
        #expect(
            json
                == #"{"channel":"amazon-de","currency":"EUR","customer":{"name":"Jürgen Müller"},"delivery":{"method":"ship"},"#
                + #""external_id":"A1","lines":[{"line_id":"1","quantity":2,"sku":"SKU","unit_price":"9.99"}],"#
                + #""placed_at":"2025-11-28T10:00:00Z","ship_to":{"country":"DE"}}"#)
    }
}
