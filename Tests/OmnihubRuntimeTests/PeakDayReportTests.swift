import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore
import Testing

@Suite("A peak day's report counts everything and holds a bounded list")
struct PeakDayReportTests {
    func document(_ id: Int, kind: String, destination: String) throws -> OutboundDocument {
        let json = """
            {"id": \(id), "kind": "\(kind)", "destination": "\(destination)", "number": "N-\(id)",
             "path": "outbox/\(destination)/N-\(id).json", "status": "written", "created_at": "2026-11-27T08:00:00Z"}
            """
        return try JSONDecoder().decode(OutboundDocument.self, from: Data(json.utf8))
    }

    @Test("an emit keeps the first thousand documents and counts every one by destination and kind")
    func documentsCounted() throws {
        var outcome = EmitOutcome()
        for id in 1...1_500 {
            outcome.add(written: try document(id, kind: "customer_notification", destination: "mailer"))
        }
        var invoices = EmitOutcome()
        for id in 1_501...1_510 { invoices.add(written: try document(id, kind: "invoice", destination: "erp")) }
        outcome.add(invoices)
        #expect(outcome.writtenCount == 1_510)
        #expect(outcome.written.count == EmitOutcome.listed)
        #expect(outcome.written.first?.number == "N-1" && outcome.written.last?.number == "N-1000")
        let byKind = Dictionary(uniqueKeysWithValues: outcome.writtenTally.map { ($0.key.kind.rawValue, $0.value) })
        #expect(byKind == ["customer_notification": 1_500, "invoice": 10])
    }

    @Test("a cycle's sourcing counts every reservation, unit and order, and lists the first thousand")
    func reservationsCounted() throws {
        let sourcing = OrderSourcingTests()
        let world = try sourcing.world()
        let text = try String(contentsOf: world.configFile, encoding: .utf8)
            .replacingOccurrences(of: "  split_penalty: 2.0\n", with: "  split_penalty: 2.0\n  batch_orders: 400\n")
        try text.write(to: world.configFile, atomically: true, encoding: .utf8)
        try sourcing.stock(world, "s1.csv", "DC-1,2026-11-26T05:00:00Z,TSHIRT-WHT-M,5000\n")
        let rows = (1...1_001).map {
            AmazonReport.row(order: "A\($0)", item: "\($0)", quantity: "2", price: "39.98")
        }
        try world.drop(
            "orders.tsv", ([AmazonReport.columns.joined(separator: "\t")] + rows).joined(separator: "\n") + "\n")
        let report = try world.cycle()
        #expect(report.failures.isEmpty, "\(report.failures.map(\.message))")
        #expect(report.sourcing.count == 1_001 && report.sourcing.orders == 1_001 && report.sourcing.units == 2_002)
        #expect(report.reservations.count == SourcingOutcome.listed)
        #expect(Set(report.reservations.map(\.orderID)).count == SourcingOutcome.listed, "the oldest thousand")
    }
}
