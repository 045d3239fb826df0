import Metrics
import OmnihubCore
package import OmnihubRuntime
import OmnihubStore

/// What the daemon counts and times, through swift-metrics (served by `/metrics` in Prometheus's
/// format): files, records, orders, documents and errors, and durations per stage and endpoint.
package struct HubMetrics: Sendable {
    package init() {}

    /// Counts what a cycle did.
    package func record(_ report: CycleReport, took duration: Duration) {
        for outcome in report.outcomes {
            Counter(
                label: "omnihub_files_total",
                dimensions: [("partner", outcome.file.partner), ("status", outcome.file.status.rawValue)]
            ).increment()
            Counter(label: "omnihub_records_total", dimensions: [("partner", outcome.file.partner)])
                .increment(by: outcome.file.records)
            if !outcome.resumed {
                Counter(label: "omnihub_orders_total", dimensions: [("partner", outcome.file.partner)])
                    .increment(by: outcome.file.ordersImported)
            }
        }
        for (tally, written) in report.documentTally {
            Counter(
                label: "omnihub_documents_total",
                dimensions: [("destination", tally.destination), ("kind", tally.kind.rawValue)]
            ).increment(by: written)
        }
        for failure in report.failures {
            Counter(label: "omnihub_errors_total", dimensions: [("stage", "cycle"), ("kind", failure.kind.rawValue)])
                .increment()
        }
        Counter(label: "omnihub_reservations_total").increment(by: report.sourcing.count)
        Timer(label: "omnihub_stage_duration_seconds", dimensions: [("stage", "cycle")], preferredDisplayUnit: .seconds)
            .record(duration: duration)
    }

    /// Counts what a poll of an endpoint carried, or its failure.
    package func record(_ outcome: EndpointPoller.Outcome, of poller: EndpointPoller, took duration: Duration) {
        switch outcome {
        case .notDue, .skipped:
            return
        case .polled(let carried):
            Counter(
                label: "omnihub_endpoint_files_total",
                dimensions: [("endpoint", poller.id), ("direction", poller.direction.rawValue)]
            ).increment(by: carried.files)
            Counter(
                label: "omnihub_endpoint_bytes_total",
                dimensions: [("endpoint", poller.id), ("direction", poller.direction.rawValue)]
            ).increment(by: Int(carried.bytes))
        case .failed(let failure):
            recordPollFailure(poller, code: failure.code)
        }
        Timer(
            label: "omnihub_stage_duration_seconds",
            dimensions: [("stage", poller.direction == .inbound ? "fetch" : "deliver"), ("endpoint", poller.id)],
            preferredDisplayUnit: .seconds
        ).record(duration: duration)
    }

    package func recordPollFailure(_ poller: EndpointPoller, code: String) {
        Counter(
            label: "omnihub_errors_total",
            dimensions: [
                ("stage", poller.direction == .inbound ? "fetch" : "deliver"), ("endpoint", poller.id),
                ("code", code),
            ]
        ).increment()
    }
}
