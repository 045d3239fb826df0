import Logging
import OmnihubCore
import OmnihubStore

/// What keeps one file from harming the others: a file the process died on is quarantined
/// instead of tried for ever, and a file still being written is not imported half.
extension FileImporter {
    /// How many times the process may die with a file in hand before the file is quarantined.
    package static let crashesBeforeQuarantine = 2

    /// Quarantines a file the process died on, without reading it again.
    func quarantinePoison(_ receipt: FileReceipt, crashes: Int, receivedAt: Timestamp) throws -> FileOutcome {
        let issue = MappingIssue(
            .poisonFile, file: "\(receipt.partner)/\(receipt.name)",
            message: "omnihub stopped \(crashes) times while importing this file (a crash or a kill, see the logs "
                + "of those runs), so it is not read again and cannot stop the other feeds. Find the cause in the "
                + "file, then send a corrected file, or run 'omnihub files reprocess' on it once omnihub is fixed")
        let record = try store.ledger.recordImport(
            of: receipt, receivedAt: receivedAt,
            storedPath: { status in
                destination(for: receipt.name, partner: receipt.partner, status: status, at: receivedAt)
            }
        ) { fileImport in
            try fileImport.report([issue])
            var counts = FileImportCounts()
            counts.errors = 1
            return (.quarantined, counts)
        }
        try putAway(receipt.inboxPath, record: record)
        logger.error(
            "\(receipt.name) was in hand when omnihub stopped \(crashes) times; quarantined to \(record.storedPath)",
            metadata: ["partner": "\(receipt.partner)"])
        return FileOutcome(file: record, issues: [issue], resumed: false)
    }

    /// A file that grew or changed while it was read is still being written: its import is
    /// rolled back, and the file is taken again once it is stable.
    func checkUnchanged(_ file: InboxFile, since facts: FileFacts) throws(FileError) {
        let now = try file.currentFacts()
        guard now == facts else {
            throw FileError(
                .changedWhileRead, operation: "import", path: file.path,
                reason: "it changed while it was read (\(facts.size) → \(now.size) bytes, modified "
                    + "\(now.modifiedAt)); a partner is still writing it. Nothing was imported; it is taken again "
                    + "once it stays unchanged")
        }
    }
}
