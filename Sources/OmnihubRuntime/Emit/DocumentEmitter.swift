import OmnihubCore

/// Makes one kind of outbound document: reads what is still untold from the store, asks Core
/// what to send, renders the files, records them with what they cover, and writes them.
protocol DocumentEmitter: Sendable {
    /// What it makes, for logs and reports: "order acknowledgements".
    var documents: String { get }

    /// Records and writes the documents due at `time`; a failure of one destination's document
    /// is added to `outcome` and the others are made.
    func emit(at time: Timestamp, into outcome: inout EmitOutcome) throws
}
