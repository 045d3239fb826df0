package import OmnihubCore
package import OmnihubStore

/// What a cycle did.
package struct CycleReport: Sendable {
    /// A file that could not be processed and stays in its inbox.
    package struct Failure: Sendable, Codable {
        /// The file.
        package let path: String
        /// Why.
        package let message: String
        /// What kind of failure: a file left for the next cycle, or the store failing.
        package let kind: FailureKind

        /// A failure.
        package init(path: String, message: String, kind: FailureKind = .leftForNextCycle) {
            self.path = path
            self.message = message
            self.kind = kind
        }

        /// A failure of `what` because of `error`, of the error's kind when omnihub knows it.
        package init(path: String, _ what: String? = nil, error: any Error) {
            self.init(
                path: path, message: what.map { "\($0): \(error)" } ?? "\(error)",
                kind: (error as? any OmnihubError)?.kind ?? .leftForNextCycle)
        }
    }

    /// Every file taken, in order.
    package var outcomes: [FileOutcome] = []
    /// Files left in place because of an error.
    package var failures: [Failure] = []
    /// Files not taken because they were still changing.
    package var waiting = 0
    /// Whether the cycle ended early because the process was asked to stop.
    package var stopped = false
    /// Inbox entries never taken as they are (links, FIFOs, names that are not UTF-8), with the reason.
    package var refused: [Failure] = []
    /// Stock reserved for open orders after the imports: the reservations (the first
    /// ``SourcingOutcome/listed`` of them) and their totals.
    package var sourcing = SourcingOutcome()
    /// Stock reserved for open orders after the imports, the first ``SourcingOutcome/listed``.
    package var reservations: [Reservation] { sourcing.reservations }
    /// Outbound documents written after sourcing, the first ``EmitOutcome/listed`` of them.
    package var documentsWritten: [OutboundDocument] = []
    /// How many outbound documents were written, by destination and kind.
    package var documentTally: [DocumentTally: Int] = [:]
    /// How many outbound documents were written.
    package var documentsWrittenCount: Int { documentTally.values.reduce(0, +) }

    /// An empty report.
    package init() {}

    /// Documents (orders, stock reports, events) imported by the cycle.
    package var documentsImported: Int { outcomes.reduce(0) { $0 + ($1.resumed ? 0 : $1.file.ordersImported) } }
}
