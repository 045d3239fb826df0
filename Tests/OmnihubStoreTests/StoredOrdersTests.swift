import Foundation
import GRDB
import OmnihubCore
import Testing

@testable import OmnihubStore

@Suite("Stored orders read by id: every column as stored, a damaged document named")
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
}
