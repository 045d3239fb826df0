import Foundation
import OmnihubCore
import OmnihubStore
import Testing

@Suite("SQLite store: ledger, orders, lineage in one transaction")
struct OrderStoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-store-\(UUID().uuidString)")

    func openStore() throws -> OrderStore {
        try OrderStore(path: folder.appendingPathComponent("var/omnihub.sqlite").path)
    }

    func receipt(_ name: String, sha: String) -> FileReceipt {
        FileReceipt(
            partner: "amazon-de", feed: "orders", name: name, inboxPath: "/inbox/\(name)", size: 10,
            modifiedAt: Timestamp(millisecondsSince1970: 0), sha256: sha)
    }

    func order(_ id: String, quantity: Int = 1) -> Order {
        Order(
            channel: "amazon-de", externalID: id, placedAt: Timestamp(millisecondsSince1970: 1000),
            currency: Currency(code: "EUR")!, customer: Customer(name: "Erika"),
            shipTo: Address(country: "DE"), billTo: nil, delivery: Delivery(method: .ship),
            lines: [OrderLine(lineID: "1", sku: "SKU", quantity: quantity, unitPrice: Amount(parsing: "9.99")!)],
            shipping: nil, discounts: [], payment: nil,
            source: SourceLocation(file: "amazon-de/a.tsv", record: 1, line: 2))
    }

    @Test("creates its file and folder, in WAL mode")
    func creates() throws {
        let store = try openStore()
        #expect(FileManager.default.fileExists(atPath: store.path))
        #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
        #expect(try store.orders.count() == 0)
        _ = try openStore()  // migrations run once; reopening is harmless
    }

    @Test("an order is stored once; a re-send is lineage, identical or changed")
    func exactlyOncePerOrder() throws {
        let store = try openStore()
        var outcomes: [FileImport.OrderOutcome] = []
        _ = try store.ledger.recordImport(
            of: receipt("a.tsv", sha: "aa"), receivedAt: Timestamp(millisecondsSince1970: 5),
            storedPath: { _ in "/archive/a.tsv" }
        ) { fileImport in
            outcomes.append(try fileImport.add(order("A1")))
            return (.imported, FileImportCounts())
        }
        _ = try store.ledger.recordImport(
            of: receipt("b.tsv", sha: "bb"), receivedAt: Timestamp(millisecondsSince1970: 6),
            storedPath: { _ in "/archive/b.tsv" }
        ) { fileImport in
            outcomes.append(try fileImport.add(order("A1")))
            outcomes.append(try fileImport.add(order("A1", quantity: 2)))
            return (.imported, FileImportCounts())
        }
        #expect(outcomes == [.imported(1), .identicalResend(1), .changedResend(1)])
        #expect(try store.orders.count() == 1)
        let stored = try #require(try store.orders.matching("A1").first)
        #expect(stored.order.lines[0].quantity == 1, "the stored order keeps its first content")
        #expect(stored.order.source?.file == "amazon-de/a.tsv")
        #expect(
            try store.orders.lineage(orderID: 1).map(\.outcome) == ["imported", "identical_resend", "changed_resend"])
    }

    @Test("a failing import leaves no trace: file, orders and lineage roll back together")
    func rollback() throws {
        struct Crash: Error {}
        let store = try openStore()
        #expect(throws: Crash.self) {
            _ = try store.ledger.recordImport(
                of: receipt("a.tsv", sha: "aa"), receivedAt: Timestamp(millisecondsSince1970: 5),
                storedPath: { _ in "x" }
            ) { fileImport in
                _ = try fileImport.add(order("A1"))
                throw Crash()
            }
        }
        #expect(try store.orders.count() == 0)
        #expect(try store.ledger.files().isEmpty)
        #expect(try store.ledger.file(withContent: "aa") == nil)
    }

    @Test("the same bytes cannot be recorded twice, except as a duplicate")
    func contentIsUnique() throws {
        let store = try openStore()
        let first = try store.ledger.recordImport(
            of: receipt("a.tsv", sha: "aa"), receivedAt: Timestamp(millisecondsSince1970: 5), storedPath: { _ in "x" }
        ) { _ in
            (.imported, FileImportCounts())
        }
        #expect(throws: (any Error).self) {
            _ = try store.ledger.recordImport(
                of: receipt("b.tsv", sha: "aa"), receivedAt: Timestamp(millisecondsSince1970: 6),
                storedPath: { _ in "y" }
            ) { _ in
                (.imported, FileImportCounts())
            }
        }
        let duplicate = try store.ledger.recordDuplicate(
            of: receipt("b.tsv", sha: "aa"), original: first, receivedAt: Timestamp(millisecondsSince1970: 7),
            storedPath: "z")
        #expect(duplicate.duplicateOf == first.id)
        #expect(try store.ledger.file(withContent: "aa")?.id == first.id)
    }
}
