import Foundation
import Logging
package import OmnihubCore
package import OmnihubStore

/// What one emit did: the documents written, and those left pending with the reason.
package struct EmitOutcome: Sendable {
    /// How many written documents are kept in full in ``written``.
    package static let listed = 1_000

    /// The documents written, the first ``listed`` of them: a peak day's run writes hundreds of
    /// thousands, which ``writtenCount`` and ``writtenTally`` count without holding them.
    package private(set) var written: [OutboundDocument] = []
    /// How many documents were written, by destination and kind.
    package private(set) var writtenTally: [DocumentTally: Int] = [:]
    /// How many documents were written.
    package var writtenCount: Int { writtenTally.values.reduce(0, +) }
    package var failures: [CycleReport.Failure] = []
    /// What is being written now, e.g. "invoices", for the progress line.
    package var stage = ""

    /// Nothing written yet.
    package init() {}

    /// Counts a written document, and keeps it while fewer than ``listed`` are kept.
    package mutating func add(written document: OutboundDocument) {
        writtenTally[DocumentTally(destination: document.destination, kind: document.kind), default: 0] += 1
        if written.count < Self.listed { written.append(document) }
    }

    /// Adds what another emit wrote and failed at.
    package mutating func add(_ other: EmitOutcome) {
        writtenTally.merge(other.writtenTally, uniquingKeysWith: +)
        written += other.written.prefix(max(0, Self.listed - written.count))
        failures += other.failures
    }
}

/// Documents of one kind for one destination, counted.
package struct DocumentTally: Sendable, Hashable {
    package let destination: String
    package let kind: OutboundDocumentKind
}

/// Renders documents into the outbox's files and writes them exactly once: each document and its
/// bytes are recorded in the store first (by its emitter), then written unnamed, flushed and
/// linked in under their names (``FileMover/writeAllNew(_:unnamed:)``), then marked written; a
/// crash in between writes the same bytes on the next run. A file already there with other bytes
/// is never overwritten.
struct OutboxWriter: Sendable {
    let configuration: Configuration
    let store: OrderStore
    let logger: Logger
    /// How many orders one part of a run's invoices or messages holds: each part is recorded,
    /// written and let go of before the next, so a batch of any size needs one part's memory.
    let partSize: Int
    /// Whether the process was asked to stop: checked between kinds of documents and between
    /// parts, so a stop waits for one part at most.
    let stopRequested: @Sendable () -> Bool
    /// Told of the files written so far, for a terminal's progress line.
    var progress: ProgressReporter? = nil

    /// The time this run's documents are released at: `now`, or, when the last run recorded
    /// documents in the same second (or a later one), the second after that run's, so no two
    /// runs share a wave, and so no document number or file name.
    func waveTime(_ now: Timestamp) throws -> Timestamp {
        guard let text = try store.outbox.latestDocumentTime(),
            let last = try? DateTimeFormat.iso8601.parse(text, zone: nil)
        else { return now }
        let lastSecond = last.millisecondsSince1970 - last.millisecondsSince1970 % 1000
        guard now.millisecondsSince1970 < lastSecond + 1000 else { return now }
        return Timestamp(millisecondsSince1970: lastSecond + 1000)
    }

    /// The wave in document numbers: the time as yyyyMMddHHmmss.
    static func wave(_ time: Timestamp) -> String {
        String(time.description.filter(\.isNumber).prefix(14))
    }

    /// Reports that `what` for `order` was not made, and is made again `until` the reason is fixed.
    func refuse(what: String, order: String, reason: any Error, until: String, into outcome: inout EmitOutcome) {
        logger.error("\(what) for order \(order) was not made: \(reason)")
        outcome.failures.append(
            CycleReport.Failure(
                path: configuration.outboxFolder,
                message: "\(what) for order \(order): \(reason); \(until) once this is fixed"))
    }

    /// Removes what processes killed while writing left under temporary names in the outbox's
    /// destination folders (`outbox/<destination>/`).
    func removeStaleTemporaries() {
        let root = configuration.outboxFolder
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root))?.map {
            (root as NSString).appendingPathComponent($0)
        }
        let removed = FileMover.removeStaleTemporaries(in: folders ?? [])
        if removed > 0 { logger.notice("removed \(removed) temporary file(s) an interrupted run left in the outbox") }
    }

    /// The document's file, or `nil` with the reason added to `refused` when it cannot be made:
    /// what it would carry waits for the next run, and the other destinations get theirs.
    func renderedOrWaiting(
        _ document: some FormattedDocument, in format: OutputFormat, _ refused: inout [CycleReport.Failure]
    ) -> RenderedDocument? {
        do {
            return try rendered(document, in: format)
        } catch {
            logger.error("\(document.number) was not made: \(error)")
            refused.append(
                CycleReport.Failure(
                    path: configuration.outboxFolder,
                    message: "\(document.type.replacingOccurrences(of: "_", with: " ")) for \(document.destination): "
                        + "\(error); what it carries waits until it can be written"))
            return nil
        }
    }

    /// The document's bytes in `format`, and where in the outbox they go: `<outbox>/<destination>/`.
    func rendered(_ document: some FormattedDocument, in format: OutputFormat) throws -> RenderedDocument {
        let content: [UInt8]
        do {
            content = try format.render(document)
        } catch {
            throw FileError(
                .cannotRender, operation: "render the \(document.type.replacingOccurrences(of: "_", with: " ")) for",
                path: document.destination, reason: error.message)
        }
        Failpoint.afterOutboxRender.reach()
        let folder = PathName.joined(configuration.outboxFolder, document.destination)
        return RenderedDocument(
            number: document.number, path: PathName.joined(folder, format.fileName(for: document)), content: content)
    }

    func write(
        _ document: OutboundDocument, _ content: [UInt8], at time: Timestamp, into outcome: inout EmitOutcome
    ) {
        write([(document, content)], at: time, into: &outcome)
    }

    /// Writes recorded documents with the bytes rendered for their paths.
    func write(
        _ recorded: [OutboundDocument], rendered: [RenderedDocument], at time: Timestamp,
        into outcome: inout EmitOutcome
    ) {
        let contents = Dictionary(rendered.map { ($0.path, $0.content) }) { first, _ in first }
        write(recorded.map { ($0, contents[$0.path] ?? []) }, at: time, into: &outcome)
    }

    /// ``write(_:rendered:at:into:)`` on a thread of its own: what it wrote and failed at comes
    /// back from the job, to be added to the outcome it follows (`after`, whose stage and count
    /// the progress line goes on from).
    func writeInBackground(
        _ recorded: [OutboundDocument], rendered: [RenderedDocument], at time: Timestamp, after outcome: EmitOutcome
    ) -> BackgroundJob<EmitOutcome> {
        let (stage, before) = (outcome.stage, outcome.writtenCount)
        var quiet = self
        quiet.progress = nil
        return BackgroundJob { [progress, quiet] in
            var part = EmitOutcome()
            quiet.write(recorded, rendered: rendered, at: time, into: &part)
            progress?(.writing(documents: stage, written: before + part.writtenCount))
            return part
        }
    }

    /// Writes recorded documents with their recorded bytes, flushed together, and marks them
    /// written. A file already at a document's path is never overwritten: with the same bytes the
    /// document counts as written (an earlier run got that far), with other bytes it stays pending.
    func write(
        _ documents: [(document: OutboundDocument, content: [UInt8])], at time: Timestamp,
        into outcome: inout EmitOutcome
    ) {
        guard !documents.isEmpty else { return }
        Failpoint.beforeOutboxWrite.reach()
        let (created, failed) = Self.writeFiles(documents)
        if created > 0 { Failpoint.afterOutboxWrite.reach() }
        let done = documents.map(\.document).filter { failed[$0.path] == nil }
        do {
            try store.outbox.markWritten(done.map(\.id), at: time)
        } catch {
            logger.error("the outbox files were written but not marked: \(error)")
            outcome.failures.append(
                CycleReport.Failure(
                    path: configuration.storePath,
                    message: "outbox: \(error); the files are there and are recognised next run", kind: .store))
            return
        }
        for (document, _) in documents {
            if let error = failed[document.path] {
                logger.error("\(document.number) not written: \(error)")
                outcome.failures.append(CycleReport.Failure(path: document.path, "outbox", error: error))
                continue
            }
            logger.info("wrote \(document.kind) \(document.number) → \(document.path)")
            var written = document
            written.status = .written
            written.writtenAt = time.description
            outcome.add(written: written)
        }
        progress?(.writing(documents: outcome.stage, written: outcome.writtenCount))
    }

    /// Writes the documents' files that are not there yet (``FileMover/writeAllNew(_:unnamed:)``):
    /// how many it created, and those that failed by path. A file already there with the same
    /// bytes counts as written; with other bytes it is refused, never overwritten.
    private static func writeFiles(_ documents: [(document: OutboundDocument, content: [UInt8])])
        -> (created: Int, failed: [String: FileError])
    {
        let written = FileMover.writeAllNew(documents.map { ($0.content, $0.document.path) })
        var failed = written.failed
        for path in written.occupied {
            let number = documents.first { $0.document.path == path }?.document.number ?? path
            failed[path] = FileError(
                .alreadyThere, operation: "write", path: path,
                reason: "another file with that name is already there and omnihub never overwrites an outbox "
                    + "file; move it away and run again, \(number) stays pending until then")
        }
        return (written.created, failed)
    }
}
