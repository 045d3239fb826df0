/// Where a cycle is, for a person watching it in a terminal: the stage, the file being imported
/// and its records so far, the documents being written. Reported often (every few hundred
/// records); a reporter shows what it wants of it, as often as it wants.
package enum CycleProgress: Sendable, Hashable {
    /// A file is being imported; `records` documents of it are stored so far.
    case importing(file: String, records: Int)
    /// The open orders are being sourced and reserved.
    case sourcing
    /// `documents` (e.g. "invoices") are being written; `written` files of the run so far.
    case writing(documents: String, written: Int)
}

/// Receives a cycle's progress; `nil` where nobody watches.
package typealias ProgressReporter = @Sendable (CycleProgress) -> Void
