import Foundation
import OmnihubCore
import OmnihubStore
import Testing

@testable import OmnihubRuntime

/// The sample world's two cycles, with the process killed (SIGKILL) at every named fault point in
/// both cycles and started again each time: the end state must be the one a run without crashes
/// reaches, file for file, order for order and unit for unit.
@Suite("The crash matrix: a kill at every fault point loses and doubles nothing")
struct CrashMatrixTests {
    /// Every fault point, in the order a cycle reaches them: a new one joins the matrix by itself.
    static let faultPoints = Failpoint.cycle.map(\.rawValue)

    /// What a run leaves behind, with each run's clock taken out.
    struct EndState: Equatable, CustomStringConvertible {
        var inbox: [String] = []
        var ledger: [String] = []
        var orders: [String] = []
        var outbox: [String] = []
        var pending = 0

        var description: String {
            "inbox \(inbox)\nledger \(ledger)\norders\n  " + orders.joined(separator: "\n  ") + "\noutbox \(outbox)"
                + "\npending \(pending)"
        }
    }

    func endState(_ world: TestWorld) throws -> EndState {
        var state = EndState()
        let store = try world.store()
        let inboxRoot = world.root.appendingPathComponent("inbox")
        for partner in try FileManager.default.contentsOfDirectory(atPath: inboxRoot.path) {
            let folder = inboxRoot.appendingPathComponent(partner).path
            state.inbox += (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        }
        for file in try store.ledger.files(limit: 1_000) {
            let put = FileManager.default.fileExists(atPath: file.storedPath) ? "stored" : "MISSING"
            state.ledger.append("\(file.partner)/\(file.name) \(file.status.rawValue) \(file.ordersImported) \(put)")
        }
        state.ledger.sort()
        for summary in try store.orders.list(limit: 1_000) {
            let reservations = try store.stock.reservations(orderID: summary.id)
                .map { "\($0.position)@\($0.node):\($0.sku)x\($0.quantity)" }.sorted()
            let finance = try store.finance.history(orderID: summary.id)
            state.orders.append(
                "\(summary.channel)/\(summary.externalID) \(summary.status) reserved \(reservations) "
                    + "shipped \(try store.stock.shippedUnits(orderID: summary.id)) "
                    + "invoiced \(finance.invoicedTotal) credited \(finance.creditedTotal)")
        }
        state.orders.sort()
        let outboxRoot = world.root.appendingPathComponent("outbox")
        let walker = FileManager.default.enumerator(at: outboxRoot, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard !url.hasDirectoryPath else { continue }
            state.outbox.append(
                url.path.replacingOccurrences(of: outboxRoot.path + "/", with: "")
                    .replacingOccurrences(of: "[0-9]{14}", with: "T", options: .regularExpression))
        }
        state.outbox.sort()
        state.pending = try store.outbox.pendingDocuments().count
        return state
    }

    /// Runs one cycle; killed at `faultPoint` first (when given), then again without it.
    func cycle(_ world: TestWorld, killedAt faultPoint: String?) throws {
        let config = ["run", "--once", "--config", world.configFile.path, "--log-level", "error"]
        if let faultPoint {
            let killed = try OmnihubProcess.run(config, environment: ["OMNIHUB_FAILPOINT": faultPoint])
            #expect(killed.terminationReason == .uncaughtSignal, "\(faultPoint) was reached: \(killed.standardError)")
        }
        let run = try OmnihubProcess.run(config)
        #expect(run.status == 0, "\(faultPoint ?? "clean"): \(run.standardError)")
    }

    func twoCycles(killedAt faultPoint: String?) throws -> EndState {
        let world = try TestWorld.shippedSampleWorld()
        try cycle(world, killedAt: faultPoint)
        try world.dropLaterFiles()
        try cycle(world, killedAt: faultPoint)
        return try endState(world)
    }

    @Test("the clean end state is the sample world's: every file put away, every document written once")
    func cleanRun() throws {
        let clean = try twoCycles(killedAt: nil)
        #expect(clean.inbox.isEmpty)
        #expect(clean.ledger.allSatisfy { $0.hasSuffix("stored") })
        #expect(clean.orders.count == 10)
        // The mailer's messages come a run's confirmations (and parcel messages) to a file.
        #expect(clean.outbox.count == 14, "\(clean.outbox)")
        #expect(clean.pending == 0)
        #expect(clean.outbox.filter { $0.hasPrefix("erp/RE-2026-") }.count == 4, "\(clean.outbox)")
    }

    @Test("killed at each fault point in both cycles, the re-runs end where a clean run ends", arguments: faultPoints)
    func killedAt(faultPoint: String) throws {
        let clean = try twoCycles(killedAt: nil)
        let crashed = try twoCycles(killedAt: faultPoint)
        #expect(crashed == clean, "killed at \(faultPoint):\n\(crashed)\n--- clean:\n\(clean)")
        #expect(!crashed.outbox.contains { ($0 as NSString).lastPathComponent.hasPrefix(".") }, "no partial file")
    }
}
