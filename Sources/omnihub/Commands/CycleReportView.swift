import Foundation
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

/// Shows what a cycle or an import did: a table for people, JSON for programs.
struct CycleReportView {
    let report: CycleReport

    private struct JSONReport: Encodable {
        let files: [FileRecord]
        let failures: [CycleReport.Failure]
        let refused: [CycleReport.Failure]
        let waiting: Int
        let documentsImported: Int
        let unitsReserved: Int
        let ordersReserved: Int
        let documentsWritten: Int

        enum CodingKeys: String, CodingKey {
            case files, failures, refused, waiting
            case documentsImported = "documents_imported"
            case unitsReserved = "units_reserved"
            case ordersReserved = "orders_reserved"
            case documentsWritten = "documents_written"
        }
    }

    var exitStatus: ExitStatus {
        // The store failing outweighs everything else: nothing more can be recorded.
        if report.failures.contains(where: { $0.kind == .store }) { return .store }
        if !report.failures.isEmpty { return .leftInInbox }
        if report.outcomes.contains(where: { $0.file.status != .imported }) || !report.refused.isEmpty {
            return .rejected
        }
        return .success
    }

    func show(json: Bool) throws {
        if json {
            try JSONOutput.print(
                JSONReport(
                    files: report.outcomes.map(\.file), failures: report.failures, refused: report.refused,
                    waiting: report.waiting,
                    documentsImported: report.documentsImported,
                    unitsReserved: report.sourcing.units, ordersReserved: report.sourcing.orders,
                    documentsWritten: report.documentsWrittenCount))
            return
        }
        let reservedUnits = report.sourcing.units
        let reservedLine =
            "\(reservedUnits) unit(s) reserved for \(report.sourcing.orders) order(s)."
        let outboxLine = "\(report.documentsWrittenCount) document(s) written to the outbox."
        for refused in report.refused {
            say("not taken: \(relative(refused.path)): \(refused.message)")
        }
        if report.outcomes.isEmpty && report.failures.isEmpty {
            say(report.waiting > 0 ? "No stable files yet (\(report.waiting) still changing)." : "No new files.")
            if report.sourcing.count > 0 { say(reservedLine) }
            if report.documentsWrittenCount > 0 { say(outboxLine) }
            return
        }
        var table = TextTable("FILE", "PARTNER", "STATUS", "RECORDS", "IMPORTED", "KNOWN", "REJECTED", "NOW AT")
        for outcome in report.outcomes {
            let file = outcome.file
            table.add(
                file.name, file.partner, outcome.resumed ? "\(file.status.rawValue) (finished)" : file.status.rawValue,
                String(file.records), String(file.ordersImported), String(file.ordersAlreadyKnown),
                String(file.ordersRejected), relative(file.storedPath))
        }
        say(table.rendered)
        for outcome in report.outcomes where !outcome.issues.isEmpty {
            say(
                "\n\(outcome.file.name): \(outcome.issues.count) issue(s), report in \(relative(outcome.file.storedPath)).errors.json"
            )
            for issue in outcome.issues.prefix(10) { say("  \(issue)") }
            if outcome.issues.count > 10 { say("  … and \(outcome.issues.count - 10) more in the report") }
        }
        for failure in report.failures {
            say("\nleft in the inbox: \(relative(failure.path)): \(failure.message)")
        }
        say("\n\(report.documentsImported) document(s) imported from \(report.outcomes.count) file(s).")
        if report.sourcing.count > 0 { say(reservedLine) }
        if report.documentsWrittenCount > 0 { say(outboxLine) }
    }

    private func relative(_ path: String) -> String {
        let current = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
    }
}
