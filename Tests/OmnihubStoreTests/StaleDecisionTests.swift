import Foundation
import OmnihubCore
import OmnihubStore
import Testing

@Suite("A decision is recorded only while the facts it was made on still hold")
struct StaleDecisionTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-stale-\(UUID().uuidString)")
    let now = Timestamp(millisecondsSince1970: 1_780_000_000_000)

    func store(orders numbers: [String]) throws -> OrderStore {
        let store = try OrderStore(path: folder.appendingPathComponent("omnihub.sqlite").path)
        try importOrders(numbers, into: store, file: "first")
        return store
    }

    func importOrders(_ numbers: [String], into store: OrderStore, file: String) throws {
        let receipt = FileReceipt(
            partner: "web", feed: "orders", name: "\(file).csv", inboxPath: "/inbox/\(file).csv", size: 1,
            modifiedAt: now, sha256: file)
        _ = try store.ledger.recordImport(of: receipt, receivedAt: now, storedPath: { _ in "/archive/\(file).csv" }) {
            fileImport in
            for number in numbers {
                _ = try fileImport.add(
                    Order(
                        channel: "web", externalID: number, placedAt: now, currency: Currency(code: "EUR")!,
                        customer: Customer(name: "Erika"), shipTo: Address(country: "DE"), billTo: nil,
                        delivery: Delivery(method: .ship),
                        lines: [OrderLine(lineID: "1", sku: "A", quantity: 2, unitPrice: Amount(parsing: "9.99")!)],
                        shipping: nil, discounts: [], payment: nil, source: nil))
            }
            return (.imported, FileImportCounts())
        }
    }

    func reservation(_ state: SourcingState, order index: Int = 0) -> Reservation {
        let line = state.orders[index].lines[0]
        return Reservation(orderID: line.orderID, position: 1, node: "DC", sku: line.sku, quantity: line.quantity)
    }

    @Test("reservations decided before another order arrived are refused, and nothing is reserved")
    func newOrder() throws {
        let store = try store(orders: ["W-1"])
        let state = try store.stock.sourcingState(at: now)
        try importOrders(["W-2"], into: store, file: "second")
        let reservations = [reservation(state)]
        let error = #expect(throws: StoreError.self) {
            try store.stock.recordReservations(
                reservations, sourced: state.fullyReserved(by: reservations), basedOn: state.revision, at: now)
        }
        #expect(error?.code == .changedMeanwhile)
        #expect(try store.stock.reservations(orderID: state.orders[0].id).isEmpty)
        #expect(try store.orders.list().allSatisfy { $0.status == .open })
    }

    @Test("a second decision on the same state is refused once the first is recorded")
    func sameStateTwice() throws {
        let store = try store(orders: ["W-1", "W-2"])
        let state = try store.stock.sourcingState(at: now)
        let first = [reservation(state, order: 0)]
        try store.stock.recordReservations(
            first, sourced: state.fullyReserved(by: first), basedOn: state.revision, at: now)
        let second = [reservation(state, order: 1)]
        #expect(throws: StoreError.self) {
            try store.stock.recordReservations(second, sourced: [], basedOn: state.revision, at: now)
        }
        #expect(try store.orders.list().map(\.status).sorted { $0.rawValue < $1.rawValue } == [.open, .sourced])
        let fresh = try store.stock.sourcingState(at: now)
        #expect(fresh.orders.count == 1)
        try store.stock.recordReservations(
            [reservation(fresh)], sourced: fresh.fullyReserved(by: [reservation(fresh)]), basedOn: fresh.revision,
            at: now)
        #expect(try store.orders.list().allSatisfy { $0.status == .sourced })
    }

    @Test("a batch's totals carried to the next batch are what the store adds up, until another writer changes it")
    func carriedTotals() throws {
        let store = try store(orders: ["W-1", "W-2", "W-3"])
        let first = try store.stock.sourcingState(at: now, after: 0, limit: 1)
        // One of W-1's two units: the order stays open, with a parcel at DC today.
        let partial = [
            Reservation(orderID: first.orders[0].id, position: 1, node: "DC", sku: "A", quantity: 1)
        ]
        let revision = try store.stock.recordReservations(
            partial, sourced: [], basedOn: first.revision, at: now)
        let carried = first.totals(after: partial, at: revision)
        #expect(carried.reserved == ["DC": ["A": 1]])
        #expect(carried.parcelsToday == ["DC": 1])

        // The next batch of the same run starts with W-1 again (still open): the carried totals
        // are the store's, and its second unit at DC is no second parcel there.
        let again = try store.stock.sourcingState(at: now, after: 0, limit: 1, carrying: carried)
        let fresh = try store.stock.sourcingState(at: now, after: 0, limit: 1)
        #expect(again.reserved == fresh.reserved)
        #expect(again.onHand == fresh.onHand)
        #expect(again.parcelsToday == fresh.parcelsToday)
        #expect(again.parcelNodesToday == [first.orders[0].id: ["DC"]])
        let rest = [
            Reservation(orderID: again.orders[0].id, position: 1, node: "DC", sku: "A", quantity: 1),
            Reservation(orderID: again.orders[0].id, position: 1, node: "STORE-1", sku: "A", quantity: 0),
        ]
        let next = again.totals(
            after: rest,
            at: try store.stock.recordReservations(
                rest, sourced: again.fullyReserved(by: rest), basedOn: again.revision, at: now))
        let through = try #require(again.through)
        let afterRest = try store.stock.sourcingState(at: now, after: through, limit: 1)
        #expect(next.reserved == afterRest.reserved && next.reserved == ["DC": ["A": 2]])
        #expect(next.parcelsToday == afterRest.parcelsToday && next.parcelsToday == ["DC": 1])

        // Another writer reserves W-3 meanwhile: the carried totals no longer hold and are read anew.
        let other = try store.stock.sourcingState(at: now, after: through, limit: 5)
        let w3 = try #require(other.orders.last)
        try store.stock.recordReservations(
            [Reservation(orderID: w3.id, position: 1, node: "STORE-1", sku: "A", quantity: 2)], sourced: [w3.id],
            basedOn: other.revision, at: now)
        let stale = try store.stock.sourcingState(at: now, after: through, limit: 1, carrying: next)
        #expect(stale.reserved == ["DC": ["A": 2], "STORE-1": ["A": 2]])
        #expect(stale.parcelsToday == ["DC": 1, "STORE-1": 1])
    }

    @Test("a batch without open orders reads no parcel counts; the next batch with orders reads them anew")
    func idleBatch() throws {
        let store = try store(orders: ["W-1"])
        let state = try store.stock.sourcingState(at: now)
        _ = try store.stock.recordReservations(
            [reservation(state)], sourced: [state.orders[0].id], basedOn: state.revision, at: now)
        let idle = try store.stock.sourcingState(at: now)
        #expect(idle.orders.isEmpty && idle.parcelsToday.isEmpty)
        try importOrders(["W-2"], into: store, file: "second")
        let next = try store.stock.sourcingState(at: now)
        #expect(next.orders.count == 1 && next.parcelsToday == ["DC": 1])
    }

    @Test(
        "a batch read ahead while the one before is recorded is the batch read after it, unless another writer came between"
    )
    func readAhead() throws {
        let store = try store(orders: ["W-1", "W-2", "W-3"])
        let first = try store.stock.sourcingState(at: now, after: 0, limit: 1)
        let through = try #require(first.through)
        // Read on another thread while the first batch is decided: no stock totals of its own.
        let ahead = try store.stock.sourcingBatch(at: now, after: through, limit: 1)
        #expect(ahead.onHand.isEmpty && ahead.reserved.isEmpty)
        let reservations = [reservation(first)]
        let revision = try store.stock.recordReservations(
            reservations, sourced: first.fullyReserved(by: reservations), basedOn: first.revision, at: now)
        let totals = first.totals(after: reservations, at: revision)

        let carried = try #require(ahead.carrying(totals, recordedOn: first.revision))
        let fresh = try store.stock.sourcingState(at: now, after: through, limit: 1)
        #expect(carried.orders.map(\.id) == fresh.orders.map(\.id) && carried.orders.count == 1)
        #expect(carried.orders.flatMap(\.lines).map(\.quantity) == fresh.orders.flatMap(\.lines).map(\.quantity))
        #expect(carried.reserved == fresh.reserved && carried.reserved == ["DC": ["A": 2]])
        #expect(carried.onHand == fresh.onHand)
        #expect(carried.parcelsToday == fresh.parcelsToday && carried.parcelsToday == ["DC": 1])
        #expect(carried.parcelNodesToday == fresh.parcelNodesToday)
        #expect(carried.revision == fresh.revision && carried.through == fresh.through)
        // Read once the first batch is recorded, it holds as well.
        let late = try store.stock.sourcingBatch(at: now, after: through, limit: 1)
        #expect(late.carrying(totals, recordedOn: first.revision) != nil)

        // Another writer brings an order: a batch read after it is read anew, and one read before
        // it is decided on totals the store no longer holds, so its reservations are refused.
        try importOrders(["W-4"], into: store, file: "second")
        let afterOther = try store.stock.sourcingBatch(at: now, after: through, limit: 1)
        #expect(afterOther.carrying(totals, recordedOn: first.revision) == nil)
        let stale = [reservation(carried)]
        let error = #expect(throws: StoreError.self) {
            try store.stock.recordReservations(
                stale, sourced: carried.fullyReserved(by: stale), basedOn: carried.revision, at: now)
        }
        #expect(error?.code == .changedMeanwhile)
        #expect(try store.stock.reservations(orderID: carried.orders[0].id).isEmpty)
    }

    @Test("an acknowledgement of an order another run acknowledged meanwhile is refused whole")
    func toldTwice() throws {
        let store = try store(orders: ["W-1", "W-2"])
        let lines = try store.outbox.unacknowledgedOrderLines(channel: "web")
        let document = { (number: String, orders: [Int64]) in
            DocumentToRecord(
                destination: "web",
                rendered: RenderedDocument(number: number, path: "/outbox/web/\(number)", content: [1]),
                covers: orders)
        }
        _ = try store.outbox.recordOrderAcknowledgements([document("OA-1", [lines[0].orderID])], at: now)
        #expect(throws: StoreError.self) {
            try store.outbox.recordOrderAcknowledgements([document("OA-2", lines.map(\.orderID))], at: now)
        }
        #expect(try store.outbox.documents().map(\.number) == ["OA-1"], "nothing of the refused batch stays")
        #expect(try store.outbox.unacknowledgedOrderLines(channel: "web").map(\.orderNumber) == ["W-2"])
    }

    func rendered(_ number: String) -> RenderedDocument {
        RenderedDocument(number: number, path: "/outbox/\(number)", content: Array(number.utf8))
    }

    @Test("fulfilment documents planned before another run handed the units over are refused whole")
    func fulfilmentTwice() throws {
        let store = try store(orders: ["W-1"])
        let state = try store.stock.sourcingState(at: now)
        let reserved = [reservation(state)]
        try store.stock.recordReservations(reserved, sourced: [state.orders[0].id], basedOn: state.revision, at: now)
        let window = try store.outbox.fulfilmentFacts(after: 0, orders: .max, withUntoldCancellations: true)
        let (facts, revision) = (window.facts, window.revision)
        let work = try #require(FulfilmentPlan(facts).nodes.first)
        #expect(work.node == "DC" && work.toShip.map(\.quantity) == [2])
        let document = DocumentToRecord(
            destination: "DC", rendered: rendered("FO-1"), covers: FulfilmentCoverage.handsOver(work.toShip))
        _ = try store.outbox.recordFulfilmentDocuments([document], basedOn: revision, at: now)
        let again = #expect(throws: StoreError.self) {
            try store.outbox.recordFulfilmentDocuments([document], basedOn: revision, at: now)
        }
        #expect(again?.code == .changedMeanwhile)
        #expect(
            FulfilmentPlan(
                try store.outbox.fulfilmentFacts(after: 0, orders: .max, withUntoldCancellations: true).facts
            ).nodes.isEmpty,
            "every unit handed over once")
        #expect(try store.outbox.documents().map(\.number) == ["FO-1"])
    }

    @Test(
        "orders marked settled are planned again only once a reservation gives them units; a mark read before it is refused"
    )
    func fulfilmentSettled() throws {
        let store = try store(orders: ["W-1", "W-2"])
        let state = try store.stock.sourcingState(at: now)
        _ = try store.stock.recordReservations(
            [reservation(state, order: 0), reservation(state, order: 1)], sourced: state.orders.map(\.id),
            basedOn: state.revision, at: now)
        let unsettled = try store.outbox.fulfilmentSettlement()
        #expect(unsettled.through == 0)
        let window = try store.outbox.fulfilmentFacts(
            after: unsettled.through, orders: .max, withUntoldCancellations: true)
        let work = try #require(FulfilmentPlan(window.facts).nodes.first)
        _ = try store.outbox.recordFulfilmentDocuments(
            [DocumentToRecord(destination: "DC", rendered: rendered("FO-1"), covers: .handsOver(work.toShip))],
            basedOn: window.revision, at: now)
        let through = try #require(window.through)
        #expect(try store.outbox.markFulfilmentSettled(through: through, since: unsettled))
        let settled = try store.outbox.fulfilmentSettlement()
        #expect(settled.through == through && through == state.orders[1].id)
        #expect(
            try store.outbox.fulfilmentFacts(after: settled.through, orders: .max, withUntoldCancellations: false)
                .through == nil, "nothing after the settled orders is left to plan")

        // DC rejects W-1: its units are released (which leaves it settled) and sourced again,
        // which makes it one to plan again.
        let receipt = FileReceipt(
            partner: "dc", feed: "rejections", name: "r.csv", inboxPath: "/inbox/r.csv", size: 1, modifiedAt: now,
            sha256: "r")
        _ = try store.ledger.recordImport(of: receipt, receivedAt: now, storedPath: { _ in "/archive/r.csv" }) {
            fileImport in
            let outcome = try fileImport.applyRejection(
                InboundNotice(kind: .fulfilmentRejection, channel: "web", externalID: "W-1", node: "DC"),
                at: now.description)
            #expect(outcome == .released(units: 2))
            return (.imported, FileImportCounts())
        }
        #expect(try store.outbox.fulfilmentSettlement().through == through, "a release gives no units to hand over")
        let again = try store.stock.sourcingState(at: now)
        let line = try #require(again.orders.first?.lines.first)
        _ = try store.stock.recordReservations(
            [Reservation(orderID: line.orderID, position: 1, node: "STORE", sku: line.sku, quantity: line.quantity)],
            sourced: [line.orderID], basedOn: again.revision, at: now)
        #expect(try store.outbox.fulfilmentSettlement().through == line.orderID - 1)
        let unsettledAgain = try store.outbox.fulfilmentSettlement()
        #expect(
            try !store.outbox.markFulfilmentSettled(through: through + 1, since: settled),
            "a mark on what was read before the new reservation is refused")
        #expect(try store.outbox.fulfilmentSettlement() == unsettledAgain)
        let replanned = try store.outbox.fulfilmentFacts(
            after: unsettledAgain.through, orders: .max, withUntoldCancellations: true)
        #expect(FulfilmentPlan(replanned.facts).nodes.map(\.node) == ["STORE"])
        #expect(
            try store.outbox.markFulfilmentSettled(through: through, since: unsettledAgain),
            "a mark on what was read after it is recorded")
    }

    @Test("credit note numbers run without gaps, and a number another run took is not taken again")
    func numbering() throws {
        let store = try store(orders: ["W-1"])
        let (stored, history, next) = try store.finance.creditNoteFacts(orderID: 1)
        #expect(next == 1)
        func issued(_ sequence: Int) -> IssuedFinanceDocument {
            IssuedFinanceDocument(
                orderID: stored.id,
                document: Invoice.issue(
                    .creditNote, number: Invoice.number(prefix: "GS-", sequence: sequence), destination: "erp", at: now,
                    order: stored.order, units: [1: 1], history: history, defaultTaxRate: Amount(parsing: "19")!),
                rendered: rendered("GS-\(sequence)"), reason: "returned")
        }
        _ = try store.finance.recordFinanceDocuments(
            [issued(1)], kind: .creditNote, firstSequence: 1, bookings: nil, at: now)
        let taken = #expect(throws: StoreError.self) {
            try store.finance.recordFinanceDocuments(
                [issued(1)], kind: .creditNote, firstSequence: 1, bookings: nil, at: now)
        }
        #expect(taken?.code == .changedMeanwhile)
        #expect(try store.finance.creditNoteFacts(orderID: 1).next == 2)
        _ = try store.finance.recordFinanceDocuments(
            [issued(2)], kind: .creditNote, firstSequence: 2, bookings: nil, at: now)
        #expect(try store.outbox.documents().map(\.number).sorted() == ["GS-1", "GS-2"])
        #expect(try store.finance.history(orderID: 1).creditedUnits == [1: 2])
    }

    @Test("notifications in one file: the new ones' lines, named after the first new one, each once")
    func notificationsInOneFile() throws {
        let store = try store(orders: ["W-1", "W-2", "W-3"])
        let due = { () throws -> [NotificationToRecord] in
            let facts = try store.outbox.notificationFacts(
                .confirmations, confirmSince: Timestamp(millisecondsSince1970: 0))
            return NotificationRequest.due(
                confirming: facts.confirming, shipments: facts.shipments, orders: facts.orders
            ).map {
                NotificationToRecord(
                    request: $0,
                    rendered: RenderedDocument(
                        number: "N-\($0.orderID)", path: "/outbox/N-\($0.orderID).jsonl",
                        content: Array("N-\($0.orderID)\n".utf8)))
            }
        }
        let all = try due()
        #expect(all.count == 3)
        // The first order is told on its own first (another run, say).
        _ = try store.outbox.recordCustomerNotifications([all[0]], destination: "mail", at: now)
        let file = try #require(try store.outbox.recordCustomerNotifications(all, inOneFileFor: "mail", at: now))
        #expect(file.document.number == "N-2", "named after the first message not told before")
        #expect(file.document.path == "/outbox/N-2.jsonl")
        #expect(String(decoding: file.content, as: UTF8.self) == "N-2\nN-3\n", "the new messages, a line each")
        #expect(try store.outbox.recordCustomerNotifications(all, inOneFileFor: "mail", at: now) == nil)
        #expect(try due().isEmpty, "every order is confirmed")
        #expect(try store.outbox.documents().count == 2)
    }

    @Test("a customer notification is recorded once per order, event and reference")
    func notificationOnce() throws {
        let store = try store(orders: ["W-1"])
        let facts = try store.outbox.notificationFacts(
            .confirmations, confirmSince: Timestamp(millisecondsSince1970: 0))
        #expect(facts.confirming == [1])
        let due = NotificationRequest.due(
            confirming: facts.confirming, shipments: facts.shipments, orders: facts.orders)
        let toRecord = due.map { NotificationToRecord(request: $0, rendered: rendered("N-\($0.orderID)")) }
        #expect(try store.outbox.recordCustomerNotifications(toRecord, destination: "mail", at: now).count == 1)
        #expect(try store.outbox.recordCustomerNotifications(toRecord, destination: "mail", at: now).isEmpty)
        #expect(
            try store.outbox.notificationFacts(.confirmations, confirmSince: Timestamp(millisecondsSince1970: 0))
                .confirming.isEmpty)
    }

    @Test("an inventory feed computed from levels another run has told since is refused")
    func inventoryFeed() throws {
        let store = try store(orders: [])
        let told = try store.outbox.inventoryLastTold(channel: "web")
        let changes = try #require(InventoryChanges(lastTold: told, sellable: ["A": 4], full: false))
        let feed = DocumentToRecord(destination: "web", rendered: rendered("IF-1"), covers: changes)
        _ = try store.outbox.recordInventoryFeed(feed, at: now)
        #expect(try store.outbox.inventoryLastTold(channel: "web") == ["A": 4])
        let stale = #expect(throws: StoreError.self) { try store.outbox.recordInventoryFeed(feed, at: now) }
        #expect(stale?.code == .changedMeanwhile)
    }
}
