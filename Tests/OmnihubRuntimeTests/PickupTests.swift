import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("Click & collect and reserve in store: collected, reminded, expired")
struct PickupTests {
    /// The shipped sample world with a pickup window, after both batches: order #1043 (one
    /// jacket at 89.00, click & collect at store-berlin-mitte) is on the store's shelf since
    /// 2026-11-26T14:05:00Z. `mappingEdit` changes the web shop's mapping first.
    func shelvedWorld(mappingEdit: (String) -> String = { $0 }) throws -> (world: TestWorld, store: OrderStore) {
        let world = try TestWorld.shippedSampleWorld()
        try
            (String(contentsOf: world.configFile, encoding: .utf8)
            + "\ncollect:\n  pickup_days: 7\n  remind_days_before: 2\n")
            .write(to: world.configFile, atomically: true, encoding: .utf8)
        let mapping = world.root.appendingPathComponent("mappings/webshop-orders.yaml")
        try mappingEdit(try String(contentsOf: mapping, encoding: .utf8)).write(
            to: mapping, atomically: true, encoding: .utf8)
        #expect(try world.cycle().failures.isEmpty)
        try world.dropLaterFiles()
        let report = try world.cycle()
        #expect(report.failures.isEmpty, "\(report.failures.map(\.message))")
        return (world, try world.store())
    }

    func advance(_ world: TestWorld, to text: String) throws {
        let target = try DateTimeFormat.iso8601.parse(text, zone: nil)
        world.clock.advance(by: .milliseconds(target.millisecondsSince1970 - world.clock.now().millisecondsSince1970))
    }

    func dropPickup(_ world: TestWorld, _ name: String, order: String, at: String) throws {
        let url = world.root.appendingPathComponent("inbox/store-system/\(name)")
        try """
        {"pickups": [{"pickup": "\(name)", "store": "store-berlin-mitte", "channel": "webshop", "order": "\(order)",
                      "at": "\(at)", "items": []}]}
        """.write(to: url, atomically: false, encoding: .utf8)
        try world.setModified(url, secondsBeforeNow: 60)
    }

    func files(_ world: TestWorld, _ destination: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(
            atPath: world.root.appendingPathComponent("outbox/\(destination)").path))?.sorted() ?? []
    }

    func onShelf(_ store: OrderStore) throws -> Int {
        try store.stock.levels(sku: "JACKET-NVY-L").first { $0.node == "store-berlin-mitte" }?.onHand ?? 0
    }

    @Test("ordered online and collected in the store; collecting it twice is refused")
    func collected() throws {
        let (world, store) = try shelvedWorld()
        try advance(world, to: "2026-11-27T10:00:00Z")
        try dropPickup(world, "pickup-1.json", order: "#1043", at: "2026-11-27T11:00:00+01:00")
        let report = try world.cycle()
        #expect(report.outcomes.map(\.file.status) == [.imported], "\(report.outcomes.flatMap(\.issues))")
        let order = try #require(try store.orders.matching("#1043").first)
        #expect(try store.care.history(orderID: order.id).contains { $0.event == "picked_up" })
        #expect(try store.pickups.waiting().orders.isEmpty, "nothing waits on the shelf any more")

        try advance(world, to: "2026-12-10T10:00:00Z")
        #expect(try world.cycle().documentsWritten.isEmpty, "a collected order neither is reminded nor expires")

        try dropPickup(world, "pickup-2.json", order: "#1043", at: "2026-12-10T11:00:00+01:00")
        let again = try world.cycle()
        #expect(again.outcomes.flatMap(\.issues).map(\.code) == [.eventRefused])
        #expect(again.outcomes.first?.issues.first?.message.contains("has nothing on the pickup shelf") == true)
    }

    @Test("not collected: reminded two days before the end, then expired, back in stock and refunded")
    func expired() throws {
        let (world, store) = try shelvedWorld()
        let before = try onShelf(store)
        try advance(world, to: "2026-11-30T14:00:00Z")
        #expect(try world.cycle().documentsWritten.isEmpty, "four days on the shelf: nothing yet")

        try advance(world, to: "2026-12-01T14:10:00Z")
        let reminder = try world.cycle()
        #expect(reminder.documentsWritten.map(\.kind.rawValue) == ["customer_notification"])
        #expect(files(world, "mailer").contains { $0.hasPrefix("N-8-pickup_reminder") }, "\(files(world, "mailer"))")
        try advance(world, to: "2026-12-02T10:00:00Z")
        #expect(try world.cycle().documentsWritten.isEmpty, "reminded once")

        try advance(world, to: "2026-12-03T14:10:00Z")
        let expiry = try world.cycle()
        #expect(expiry.failures.isEmpty, "\(expiry.failures.map(\.message))")
        #expect(
            Set(expiry.documentsWritten.map(\.kind.rawValue))
                == ["customer_notification", "credit_note", "bookings", "refund", "inventory_feed"],
            "the messages, the credit note and its bookings, the refund, and Amazon may sell the jacket again")
        let order = try #require(try store.orders.matching("#1043").first)
        #expect(order.status == .cancelled)
        #expect(try onShelf(store) == before + 1, "the jacket is back in the store's stock")
        let history = try store.finance.history(orderID: order.id)
        let refunded = try store.refunds.refunds(orderID: order.id).reduce(Amount.zero) { $0 + $1.amount }
        #expect(history.creditedTotal == Amount(parsing: "89.00")!)
        #expect(history.invoicedTotal - history.creditedTotal == Amount(parsing: "89.00")! - refunded)
        #expect(files(world, "mailer").contains { $0.hasPrefix("N-8-pickup_expired") })
        #expect(
            !files(world, "mailer").contains { $0.hasPrefix("N-8-return_received") },
            "the expiry message tells of the units going back")

        try advance(world, to: "2026-12-20T10:00:00Z")
        #expect(try world.cycle().documentsWritten.isEmpty, "it expires once")
    }

    @Test("an expiry message the mailer's format cannot make does not keep the order on the shelf")
    func expiresWithoutMessage() throws {
        let (world, store) = try shelvedWorld()
        let format = world.root.appendingPathComponent("mappings/customer-notification.format.yaml")
        let text = try String(contentsOf: format, encoding: .utf8)
        #expect(text.contains("pickup_expired.de"))
        try text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("pickup_expired") }
            .joined(separator: "\n").write(to: format, atomically: true, encoding: .utf8)
        try advance(world, to: "2026-12-03T14:10:00Z")
        let expiry = try world.cycle()
        #expect(expiry.failures.map(\.message).contains { $0.contains("pickup expiry message") })
        #expect(try #require(try store.orders.matching("#1043").first).status == .cancelled)
        #expect(try store.pickups.waiting().orders.isEmpty)
    }

    @Test("reserve in store: not invoiced on the shelf, invoiced at pickup and paid at the counter")
    func reserved() throws {
        let (world, store) = try shelvedWorld { mapping in
            mapping.replacingOccurrences(
                of: "delivery.method: {const: collect}", with: "delivery.method: {const: reserve}")
        }
        let order = try #require(try store.orders.matching("#1043").first)
        #expect(order.order.delivery.method == .reserve)
        #expect(try store.finance.history(orderID: order.id).invoicedUnits.isEmpty, "not invoiced on the shelf")

        try advance(world, to: "2026-11-27T10:00:00Z")
        try dropPickup(world, "pickup-1.json", order: "#1043", at: "2026-11-27T11:00:00+01:00")
        let pickup = try world.cycle()
        #expect(pickup.failures.isEmpty, "\(pickup.failures.map(\.message))")
        let history = try store.finance.history(orderID: order.id)
        #expect(history.invoicedUnits == [1: 1])
        #expect(history.invoicedTotal == Amount(parsing: "89.00")!)
        let name = try #require(files(world, "erp").filter { $0.hasPrefix("RE-") }.last)
        let invoice = try UBLInvoice(Data(contentsOf: world.root.appendingPathComponent("outbox/erp/\(name)")))
        #expect([invoice.payable, invoice.prepaid, invoice.due] == ["89.00", "89.00", "0.00"])
    }

    @Test("a reserved order nobody collects expires without a credit note: it was never invoiced")
    func reservedExpires() throws {
        let (world, store) = try shelvedWorld { mapping in
            mapping.replacingOccurrences(
                of: "delivery.method: {const: collect}", with: "delivery.method: {const: reserve}")
        }
        try advance(world, to: "2026-12-03T14:10:00Z")
        let expiry = try world.cycle()
        #expect(expiry.failures.isEmpty, "\(expiry.failures.map(\.message))")
        let order = try #require(try store.orders.matching("#1043").first)
        #expect(order.status == .cancelled)
        let history = try store.finance.history(orderID: order.id)
        #expect(history.invoicedUnits.isEmpty && history.creditedUnits.isEmpty)
        try advance(world, to: "2026-12-04T10:00:00Z")
        #expect(try world.cycle().failures.isEmpty, "no credit note is tried for it")
    }
}
