import Foundation
package import Logging
package import OmnihubCore
package import OmnihubStore

/// Imports one inbound file exactly once: fingerprint, ledger check, mapping, one transaction for
/// the file and its orders, then the original to the archive (or to quarantine with a report).
///
/// The ledger row names where the original will go before the transaction commits, so a process
/// killed between the commit and the move finishes the move on its next run instead of importing
/// the file again.
package struct FileImporter: Sendable {
    let store: OrderStore
    let configuration: Configuration
    let now: @Sendable () -> Timestamp
    let logger: Logger
    let keepOriginals: Bool
    /// Told every ``progressEvery`` documents of a file, for a terminal's progress line.
    package var progress: ProgressReporter?
    static let progressEvery = 512

    /// An importer writing to `store`, placing originals as `configuration` says.
    ///
    /// - Parameter keepOriginals: copy files into the archive or quarantine instead of moving them,
    ///   for files an operator imports by hand from a folder of their own.
    package init(
        store: OrderStore, configuration: Configuration, now: @escaping @Sendable () -> Timestamp, logger: Logger,
        keepOriginals: Bool = false
    ) {
        self.store = store
        self.configuration = configuration
        self.now = now
        self.logger = logger
        self.keepOriginals = keepOriginals
    }

    /// Imports the file at `path` for `partner`'s `feed`.
    ///
    /// - Throws: ``FileError`` or ``StoreError`` when the file or the store cannot be used; the file
    ///   then stays where it is, untouched, for the next cycle.
    package func importFile(at path: String, partner: Configuration.Partner, feed: Configuration.Feed) throws
        -> FileOutcome
    {
        let name = (path as NSString).lastPathComponent
        let file = try InboxFile(opening: path, followLinks: keepOriginals)
        let facts = file.facts
        let receipt = FileReceipt(
            partner: partner.id, feed: feed.name, name: name, inboxPath: path, size: facts.size,
            modifiedAt: facts.modifiedAt, sha256: try file.sha256())
        let receivedAt = now()
        if let known = try store.ledger.file(withContent: receipt.sha256) {
            if known.inboxPath == path && !FileManager.default.fileExists(atPath: known.storedPath) {
                logger.notice(
                    "finishing file \(known.id) (\(name)): it was recorded before an interruption and is now put away",
                    metadata: ["partner": "\(partner.id)"])
                try putAway(path, record: known)
                return FileOutcome(file: known, issues: try store.ledger.importErrors(fileID: known.id), resumed: true)
            }
            return try recordDuplicate(receipt, original: known, receivedAt: receivedAt)
        }
        let mapper = FeedMapper(mapping: feed.mapping, fileName: "\(partner.id)/\(name)")
        let crashes = try store.ledger.takeInHand(
            sha256: receipt.sha256, partner: partner.id, inboxPath: path, at: receivedAt)
        defer { try? store.ledger.letGo(sha256: receipt.sha256) }
        if crashes >= FileImporter.crashesBeforeQuarantine {
            return try quarantinePoison(receipt, crashes: crashes, receivedAt: receivedAt)
        }
        Failpoint.whileInHand.reach()
        progress?(.importing(file: name, records: 0))
        var issues: [MappingIssue] = []
        let record = try refusingWhole { contents in
            try store.ledger.recordImport(
                of: receipt, receivedAt: receivedAt,
                storedPath: { status in destination(for: name, partner: partner.id, status: status, at: receivedAt) }
            ) { fileImport in
                let result = try contents(fileImport)
                try checkUnchanged(file, since: facts)
                Failpoint.whileImporting.reach()
                issues = result.issues
                return (result.status, result.counts)
            }
        } contents: { fileImport in
            try importContents(of: file, mapper: mapper, feed: feed, into: fileImport)
        }
        Failpoint.afterImportCommit.reach()
        try putAway(path, record: record)
        Failpoint.afterArchive.reach()
        if let after = try? file.currentFacts(), after != facts {
            logger.error(
                """
                \(name) changed after it was imported (\(facts.size) → \(after.size) bytes): what was written after \
                the import was not read. The partner must write under a temporary name (.part, .tmp) and rename \
                when done; send what is missing as a new file
                """,
                metadata: ["partner": "\(partner.id)", "file": "\(record.storedPath)"])
        }
        log(record)
        return FileOutcome(file: record, issues: issues, resumed: false)
    }

    /// Runs `transaction`, which stores a file's `contents` (``importContents(of:mapper:feed:into:)``)
    /// and its ledger row. When the file is refused as a whole (``WholeFileRefused``), the
    /// transaction is rolled back with everything it stored, and runs again with the refusal's
    /// counts and issues recorded instead of the contents.
    ///
    /// Rolling the whole transaction back instead of undoing a savepoint inside it keeps SQLite
    /// from copying every page the import changes into a statement journal on disk: for a
    /// shipment report of 100,000 parcels that journal grew to 320 MB.
    private func refusingWhole<Result>(
        _ transaction: (_ contents: (FileImport) throws -> ImportedContents) throws -> Result,
        contents: @escaping (FileImport) throws -> ImportedContents
    ) throws -> Result {
        do {
            return try transaction(contents)
        } catch let refused as WholeFileRefused {
            return try transaction { fileImport in
                try fileImport.report(refused.contents.issues)
                return refused.contents
            }
        }
    }

    /// Maps `file` and stores what comes out through `fileImport`: every document and every
    /// issue.
    ///
    /// - Throws: ``WholeFileRefused`` when nothing of the file may be kept (a file that cannot be
    ///   read to its end, or an all-or-nothing file with bad records), after storing some of it:
    ///   the caller's transaction must be rolled back (``refusingWhole(_:contents:)``).
    private func importContents(
        of file: InboxFile, mapper: FeedMapper, feed: Configuration.Feed, into fileImport: FileImport
    ) throws -> ImportedContents {
        var counts = FileImportCounts()
        var issues: [MappingIssue] = []
        var fileIssue: MappingIssue?
        let kept: Bool = try {
            do {
                var documents = 0
                let fileName = (file.path as NSString).lastPathComponent
                let summary = try MappingPipeline(mapper: mapper, file: file).drain { outcome in
                    documents += 1
                    if let progress, documents % Self.progressEvery == 0 {
                        progress(.importing(file: fileName, records: documents))
                    }
                    let stored: FileImport.OrderOutcome
                    let document: CanonicalDocument
                    switch outcome {
                    case .order(let storable):
                        stored = try fileImport.add(storable)
                        document = .order(storable.order)
                    case .notice(let notice):
                        if let problem = stockProblem(notice) {
                            counts.ordersRejected += 1
                            issues.append(problem)
                            return
                        }
                        stored = try fileImport.add(notice)
                        document = .notice(notice)
                        if case .imported = stored,
                            let skipped = stockSkipped(try fileImport.applyStock(notice), notice)
                        {
                            issues.append(skipped)
                        }
                        if case .imported = stored, notice.kind == .cancellationRequest,
                            let problem = cancellationProblem(
                                try fileImport.applyCancellation(notice, at: now().description), notice)
                        {
                            issues.append(problem)
                        }
                        if case .imported = stored, notice.kind == .shipmentConfirmation,
                            let problem = shipmentProblem(try fileImport.applyShipment(notice), notice)
                        {
                            issues.append(problem)
                        }
                        if case .imported = stored, notice.kind == .returnNotice,
                            let problem = returnProblem(
                                try fileImport.applyReturn(notice, resellable: configuration.resellableConditions),
                                notice)
                        {
                            issues.append(problem)
                        }
                        if case .imported = stored, notice.kind == .pickupConfirmation,
                            let problem = pickupProblem(try fileImport.applyPickup(notice), notice)
                        {
                            issues.append(problem)
                        }
                        if case .imported = stored, notice.kind == .fulfilmentRejection,
                            let problem = rejectionProblem(
                                try fileImport.applyRejection(notice, at: now().description), notice)
                        {
                            issues.append(problem)
                        }
                    case .rejected(let rejection):
                        counts.ordersRejected += 1
                        issues.append(contentsOf: rejection.issues)
                        return
                    }
                    switch stored {
                    case .imported: counts.ordersImported += 1
                    case .identicalResend: counts.ordersAlreadyKnown += 1
                    case .changedResend(let id):
                        counts.ordersAlreadyKnown += 1
                        issues.append(changedResend(document, storedAs: id))
                    }
                }
                counts.records = summary.records
            } catch let issue as MappingIssue {
                fileIssue = issue
                return false
            }
            return counts.ordersRejected == 0 || feed.mapping.errorPolicy == .importValid
        }()
        if let fileIssue {
            issues = [fileIssue]
            counts = FileImportCounts()
        } else if !kept {
            issues.append(
                MappingIssue(
                    .fileRejected, file: mapper.fileName,
                    message: "\(counts.ordersRejected) order(s) had errors and mapping '\(feed.mapping.name)' "
                        + "says reject_file: nothing from this file was imported. Fix the records and send the "
                        + "whole file again"))
            counts.ordersRejected += counts.ordersImported + counts.ordersAlreadyKnown
            counts.ordersImported = 0
            counts.ordersAlreadyKnown = 0
        }
        counts.errors = issues.count
        guard kept else { throw WholeFileRefused(contents: (.quarantined, counts, issues)) }
        try fileImport.report(issues)
        return (issues.isEmpty ? .imported : .quarantined, counts, issues)
    }

    /// Maps a quarantined file again with the partner's current mapping, after the mapping or the
    /// data behind it was fixed. Orders the file imported the first time are recognised; the file
    /// moves to the archive when it now imports cleanly, or stays in quarantine with a new report.
    ///
    /// - Throws: ``ReprocessError`` when the file is not in quarantine or its partner or feed is gone.
    package func reprocess(_ file: FileRecord) throws -> FileOutcome {
        guard file.status == .quarantined, file.duplicateOf == nil else {
            throw ReprocessError(
                fileID: file.id,
                message:
                    "file \(file.id) (\(file.name)) is \(file.status.rawValue), not quarantined; only a quarantined "
                    + "file can be mapped again")
        }
        guard let partner = configuration.partner(file.partner),
            let feed = partner.feeds.first(where: { $0.name == file.feed })
        else {
            throw ReprocessError(
                fileID: file.id,
                message: "partner \(file.partner) or its feed \(file.feed) is no longer in \(configuration.file)")
        }
        guard FileManager.default.fileExists(atPath: file.storedPath) else {
            throw ReprocessError(fileID: file.id, message: "the quarantined original \(file.storedPath) is gone")
        }
        let now = self.now()
        let mapper = FeedMapper(mapping: feed.mapping, fileName: "\(partner.id)/\(file.name)")
        var issues: [MappingIssue] = []
        let record = try refusingWhole { contents in
            try store.ledger.recordReprocess(
                of: file, at: now,
                storedPath: { status in
                    status == .quarantined
                        ? file.storedPath : destination(for: file.name, partner: partner.id, status: status, at: now)
                }
            ) { fileImport in
                let result = try contents(fileImport)
                issues = result.issues
                return (result.status, result.counts)
            }
        } contents: { fileImport in
            try importContents(
                of: try InboxFile(opening: file.storedPath), mapper: mapper, feed: feed, into: fileImport)
        }
        let report = file.storedPath + ".errors.json"
        if record.status == .quarantined {
            try writeReport(
                for: record, issues: try store.ledger.importErrors(fileID: record.id), next: record.storedPath)
        } else {
            try FileMover.move(file.storedPath, to: record.storedPath)
            try? FileManager.default.removeItem(atPath: report)
        }
        log(record)
        return FileOutcome(file: record, issues: issues, resumed: false)
    }

    /// A stock report or a return for a node the network does not know is refused.
    private func stockProblem(_ notice: InboundNotice) -> MappingIssue? {
        // A return puts units into its node's stock too.
        guard notice.kind == .stockSnapshot || notice.kind == .stockDelta || notice.kind == .returnNotice,
            let node = notice.node, configuration.network.node(node) == nil
        else { return nil }
        let known = configuration.network.nodes.map(\.id).joined(separator: ", ")
        return MappingIssue(
            .unknownNode, file: notice.source?.file, record: notice.source?.record, line: notice.source?.line,
            field: "node", value: node,
            message:
                "node '\(node)' is not in the network of \(configuration.file) (known: \(known.isEmpty ? "none" : known)); "
                + "add it under network.nodes or fix the feed")
    }

    /// A rejection that changes nothing is reported: the order is unknown or the node held nothing.
    private func rejectionProblem(_ outcome: FileImport.RejectionOutcome, _ notice: InboundNotice) -> MappingIssue? {
        let source = notice.source
        switch outcome {
        case .released(let units):
            logger.notice(
                "\(notice.node ?? "?") rejected order \(notice.externalID ?? "?"): \(units) unit(s) released, to be sourced again"
            )
            return nil
        case .unknownOrder:
            return unknownOrder(notice, "the rejection changes nothing")
        case .nothingReserved:
            return MappingIssue(
                .invalidValue, file: source?.file, record: source?.record, line: source?.line, field: "node",
                value: notice.node,
                message:
                    "\(notice.node ?? "") holds no reservation for the rejected lines of \(notice.externalID ?? ""); "
                    + "the rejection changes nothing")
        }
    }

    /// A pickup that does not fit what waits on the shelf is reported.
    private func pickupProblem(_ outcome: PickupOutcome, _ notice: InboundNotice) -> MappingIssue? {
        switch outcome {
        case .pickedUp(let units):
            logger.info("the customer collected \(units) unit(s) of order \(notice.externalID ?? "?")")
            return nil
        case .unknownOrder: return unknownOrder(notice, "the pickup was not booked")
        case .refused(let message): return refused(notice, message)
        }
    }

    /// A return of an unknown order, or one that does not fit the order, is reported.
    private func returnProblem(_ outcome: ReturnOutcome, _ notice: InboundNotice) -> MappingIssue? {
        switch outcome {
        case .received(let units, let restocked, _):
            logger.info(
                "\(units) unit(s) of order \(notice.externalID ?? "?") came back, \(restocked) of them into stock")
            return nil
        case .alreadyReceived(let reference):
            logger.info("return \(reference) of order \(notice.externalID ?? "?") was booked before; nothing changes")
            return nil
        case .unknownOrder: return unknownOrder(notice, "the return was not booked")
        case .refused(let message): return refused(notice, message)
        }
    }

    /// The issue of an event about an order the store does not have.
    private func unknownOrder(_ notice: InboundNotice, _ consequence: String) -> MappingIssue {
        MappingIssue(
            .invalidValue, file: notice.source?.file, record: notice.source?.record, line: notice.source?.line,
            field: "external_id", value: notice.externalID,
            message:
                "no stored order is \(notice.externalID ?? "") of \(notice.channel ?? "any channel"); \(consequence)")
    }

    /// The issue of an event that does not fit its order's state (``ReturnPolicy``, ``PickupPolicy``).
    private func refused(_ notice: InboundNotice, _ message: String) -> MappingIssue {
        MappingIssue(
            .eventRefused, file: notice.source?.file, record: notice.source?.record, line: notice.source?.line,
            field: "lines", value: notice.externalID, message: message)
    }

    /// A cancellation request for an unknown order is reported, and so are units it asks for that
    /// had shipped already (or were cancelled before): what was open is cancelled all the same.
    private func cancellationProblem(_ outcome: CancellationOutcome, _ notice: InboundNotice) -> MappingIssue? {
        switch outcome {
        case .unknownOrder:
            return unknownOrder(notice, "the cancellation changes nothing")
        case .cancelled(let units, _, _, _, let notOpen):
            guard !notOpen.isEmpty else { return nil }
            let stayed = notOpen.sorted { $0.key < $1.key }.map { "line \($0.key): \($0.value)" }
                .joined(separator: ", ")
            return refused(
                notice,
                "order \(notice.externalID ?? ""): \(units) unit(s) cancelled; units asked for that had shipped or "
                    + "were cancelled before stay (\(stayed)); a shipped unit comes back as a return")
        }
    }

    /// A shipment that changes nothing, or ships units the node was not asked for, is reported.
    private func shipmentProblem(_ outcome: FileImport.ShipmentOutcome, _ notice: InboundNotice) -> MappingIssue? {
        let source = notice.source
        switch outcome {
        case .shipped(let units, 0):
            logger.info("\(notice.node ?? "?") shipped \(units) unit(s) of order \(notice.externalID ?? "?")")
            return nil
        case .shipped(let units, let unreserved):
            return MappingIssue(
                .invalidValue, file: source?.file, record: source?.record, line: source?.line, field: "node",
                value: notice.node,
                message:
                    "\(notice.node ?? "") shipped \(units) unit(s) of \(notice.externalID ?? ""), \(unreserved) of them not "
                    + "reserved there; they are booked as shipped and taken from its stock, check the node's fulfilment"
            )
        case .unknownOrder:
            return unknownOrder(notice, "the shipment changes nothing")
        case .nothingOpen:
            return MappingIssue(
                .invalidValue, file: source?.file, record: source?.record, line: source?.line, field: "lines",
                value: notice.externalID,
                message:
                    "the shipped lines of \(notice.externalID ?? "") are already shipped or cancelled; the shipment "
                    + "changes nothing")
        }
    }

    /// Stock that arrived out of order is reported, so a person can see why it did not count.
    private func stockSkipped(_ outcome: FileImport.StockOutcome, _ notice: InboundNotice) -> MappingIssue? {
        let source = notice.source
        switch outcome {
        case .applied:
            return nil
        case .staleSnapshot(let latest):
            return MappingIssue(
                .staleSnapshot, file: source?.file, record: source?.record, line: source?.line, field: "as_of",
                value: notice.occurredAt?.description,
                message:
                    "node \(notice.node ?? "") already has a snapshot as of \(latest); this older one was not applied")
        case .deltaBeforeSnapshot(let latest):
            return MappingIssue(
                .deltaBeforeSnapshot, file: source?.file, record: source?.record, line: source?.line, field: "as_of",
                value: notice.occurredAt?.description,
                message:
                    "node \(notice.node ?? "")'s snapshot as of \(latest) already contains this change; not applied again"
            )
        case .beyondCounting(let sku, let onHand, let change):
            return MappingIssue(
                .quantityOutOfRange, file: source?.file, record: source?.record, line: source?.line, field: "quantity",
                value: String(change),
                message:
                    "node \(notice.node ?? "") holds \(onHand) of \(sku); a change of \(change) would go past what can be "
                    + "counted, so none of this record was applied. Check the quantity in the partner's file")
        }
    }

    private func changedResend(_ document: CanonicalDocument, storedAs id: Int64) -> MappingIssue {
        let source = document.source
        switch document {
        case .order(let order):
            return MappingIssue(
                .changedResend, file: source?.file, record: source?.record, line: source?.line, field: "external_id",
                value: order.externalID,
                message: "order \(order.externalID) of \(order.channel) was imported before (as order \(id)) with "
                    + "other content; the stored order stays as it is. Changes to an imported order need a "
                    + "cancellation or an amendment, not a re-send")
        case .notice(let notice):
            return MappingIssue(
                .changedResend, file: source?.file, record: source?.record, line: source?.line, field: "reference",
                value: notice.reference,
                message: "\(notice.kind.rawValue) \(notice.reference ?? "") was received before (as notice \(id)) with "
                    + "other content; the first one stands. A correction needs its own reference")
        }
    }

    private func recordDuplicate(_ receipt: FileReceipt, original: FileRecord, receivedAt: Timestamp) throws
        -> FileOutcome
    {
        let folder = (configuration.quarantineFolder as NSString).appendingPathComponent(receipt.partner)
        let target = FileMover.freePath(in: folder, name: receipt.name, tag: String(receipt.sha256.prefix(12)))
        let record = try store.ledger.recordDuplicate(
            of: receipt, original: original, receivedAt: receivedAt, storedPath: target)
        let issue = MappingIssue(
            .duplicateFile, file: "\(receipt.partner)/\(receipt.name)",
            message: "the same bytes arrived before as '\(original.name)' (file \(original.id), received "
                + "\(original.receivedAt)); nothing was imported again. If the partner meant new orders, ask for a "
                + "new file")
        try writeReport(for: record, issues: [issue], next: target)
        try FileMover.move(receipt.inboxPath, to: target, keepingOriginal: keepOriginals)
        logger.warning(
            "\(receipt.name) repeats file \(original.id) (\(original.name)); not imported, moved to \(target)",
            metadata: ["partner": "\(receipt.partner)"])
        return FileOutcome(file: record, issues: [issue], resumed: false)
    }

    /// Moves the original to where the ledger says it belongs, writing the report first for quarantine.
    func putAway(_ path: String, record: FileRecord) throws {
        if record.status == .quarantined {
            try writeReport(
                for: record, issues: try store.ledger.importErrors(fileID: record.id), next: record.storedPath)
        }
        try FileMover.move(path, to: record.storedPath, keepingOriginal: keepOriginals)
    }

    func destination(for name: String, partner: String, status: FileStatus, at time: Timestamp) -> String {
        let folder: String
        if status == .quarantined {
            folder = (configuration.quarantineFolder as NSString).appendingPathComponent(partner)
        } else {
            let day = String(time.description.prefix(10))
            folder = ((configuration.archiveFolder as NSString).appendingPathComponent(day) as NSString)
                .appendingPathComponent(partner)
        }
        return FileMover.freePath(in: folder, name: name, tag: String(time.millisecondsSince1970))
    }

    private func writeReport(for record: FileRecord, issues: [MappingIssue], next storedPath: String) throws {
        let report = QuarantineReport(file: record, issues: issues)
        try FileMover.writeAtomically(try report.json(), to: storedPath + ".errors.json")
    }

    private func log(_ record: FileRecord) {
        let metadata: Logger.Metadata = ["partner": "\(record.partner)", "file": "\(record.name)"]
        let summary =
            "\(record.name): \(record.ordersImported) imported, \(record.ordersAlreadyKnown) already known, "
            + "\(record.ordersRejected) rejected → \(record.storedPath)"
        if record.status == .imported {
            logger.info("\(summary)", metadata: metadata)
        } else {
            logger.warning("\(summary) with \(record.errors) error(s)", metadata: metadata)
        }
    }
}

/// What importing one file did.
package struct FileOutcome: Sendable {
    /// The file's ledger entry.
    package let file: FileRecord
    /// Everything reported against it.
    package let issues: [MappingIssue]
    /// Whether this run only finished putting away a file imported before an interruption.
    package let resumed: Bool
}

/// A file that cannot be mapped again, and why.
package struct ReprocessError: Error, Sendable, CustomStringConvertible {
    /// The file's ledger id.
    package let fileID: Int64
    /// Why, and what to do.
    package let message: String

    package var description: String { message }
}
