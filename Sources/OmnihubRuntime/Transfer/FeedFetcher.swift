import Foundation
import Glibc
package import Logging
package import OmnihubCore
package import OmnihubStore

/// What one poll carried.
package struct Carried: Sendable, Hashable {
    package var files = 0
    package var bytes: Int64 = 0
}

/// One poll of a feed's remote source: the files the partner's server holds are fetched into the
/// feed's inbox folder, where the cycle imports them like any dropped file.
///
/// A file is taken once it is stable (unchanged over two listings `stable_after_seconds` apart, or
/// with its marker file there), oldest first, within the poll's budget. It is downloaded into the
/// staging folder under a temporary name, its hash recorded, and only then renamed into the inbox;
/// the partner's copy is left, moved or deleted only once the ledger holds the file. A crash at any
/// step downloads at most once more, and the ledger recognises the bytes: nothing is lost, nothing
/// imported twice.
package struct FeedFetcher: Sendable {
    let partner: Configuration.Partner
    let feed: Configuration.Feed
    let source: Configuration.RemoteSource
    let store: OrderStore
    let stagingFolder: String
    let stableAfter: Duration
    let logger: Logger
    let now: @Sendable () -> Timestamp
    let stopRequested: @Sendable () -> Bool

    package init(
        partner: Configuration.Partner, feed: Configuration.Feed, source: Configuration.RemoteSource,
        configuration: Configuration, store: OrderStore, logger: Logger,
        now: @escaping @Sendable () -> Timestamp = SystemClock.now,
        stopRequested: @escaping @Sendable () -> Bool = { false }
    ) {
        self.partner = partner
        self.feed = feed
        self.source = source
        self.store = store
        self.stagingFolder = (configuration.stagingFolder as NSString).appendingPathComponent(partner.id)
        self.stableAfter = configuration.stableAfter
        self.logger = logger
        self.now = now
        self.stopRequested = stopRequested
    }

    /// The endpoint's id in the store and the status: `<partner>/<feed>`.
    package var endpointID: String { "\(partner.id)/\(feed.name)" }

    /// Polls once. In a dry run the files that would be fetched and settled are logged, and nothing
    /// is downloaded, moved or deleted.
    package func poll(dryRun: Bool = false) throws -> Carried {
        try prepareStaging()
        if source.endpoint.scheme.isFolder {
            let folder = try source.endpoint.folder()
            try settle(in: folder, dryRun: dryRun)
            return try fetch(from: folder, dryRun: dryRun)
        }
        return try fetchHTTP(dryRun: dryRun)
    }

    /// Deals with the partner's copies of files the ledger now holds: left, moved or deleted.
    private func settle(in folder: any RemoteFolder, dryRun: Bool) throws {
        for file in try store.transfers.unsettledFetches(endpoint: endpointID) {
            guard let sha256 = file.sha256, try store.ledger.file(withContent: sha256) != nil else { continue }
            if dryRun {
                logger.info("dry run: would settle \(file.name) (\(source.afterImport))", metadata: metadata)
                continue
            }
            try settleCopy(of: file, in: folder)
            try store.transfers.recordSettled(file, at: now())
            logger.info("settled \(file.name) on the partner's server (\(source.afterImport))", metadata: metadata)
        }
    }

    /// Leaves, moves or deletes the partner's copy; one already gone is settled too.
    private func settleCopy(of file: RemoteFileRecord, in folder: any RemoteFolder) throws(TransportError) {
        let outcome: Result<Void, TransportError>
        switch source.afterImport {
        case .leave: outcome = .success(())
        case .delete: outcome = Result { () throws(TransportError) in try folder.remove(file.name) }
        case .move(let subfolder):
            outcome = Result { () throws(TransportError) in try folder.move(file.name, into: subfolder) }
        }
        if case .failure(let error) = outcome {
            guard error.code == .notFound else { throw error }
            logger.notice("\(file.name) is no longer on the server; nothing to settle", metadata: metadata)
        }
    }

    /// Lists the folder and fetches the stable files, oldest first, within the budget.
    private func fetch(from folder: any RemoteFolder, dryRun: Bool) throws -> Carried {
        let started = ContinuousClock.now
        let names = try folder.names()
        let present = Set(names)
        var stable: [RemoteFile] = []
        for name in names where fnmatch(feed.pattern, name, 0) == 0 {
            if let marker = source.marker {
                if name.hasSuffix(marker) { continue }
                guard present.contains(name + marker) else { continue }
            }
            guard let file = try folder.stat(name) else { continue }
            let seen = try store.transfers.remoteFile(
                endpoint: endpointID, name: name, size: file.size, modified: file.modified)
            if let seen, seen.settledAt != nil { continue }
            if let seen, seen.sha256 != nil, try alreadyHandedOver(seen) { continue }
            if source.marker == nil {
                try store.transfers.recordSighting(
                    endpoint: endpointID, name: name, size: file.size, modified: file.modified, at: now())
                guard let seen, isStable(seen) else {
                    logger.debug("\(name) is not stable yet; taken at a later poll", metadata: metadata)
                    continue
                }
            }
            stable.append(file)
        }
        var carried = Carried()
        var failures: [String] = []
        var serverFailure: TransportError?
        for file in stable.sorted(by: { ($0.modified, $0.name) < ($1.modified, $1.name) }) {
            if stopRequested() { break }
            guard file.size <= Int64(source.budget.bytes) else {
                logger.error("\(file.name) is larger than the poll's budget; not fetched", metadata: metadata)
                failures.append(
                    "\(file.name): \(file.size) bytes, over the budget of \(source.budget.bytes) bytes a poll")
                continue
            }
            guard carried.files < source.budget.files,
                carried.bytes + file.size <= Int64(source.budget.bytes),
                ContinuousClock.now - started < .seconds(source.budget.seconds)
            else {
                logger.info("the poll's budget is spent; the other files wait for the next poll", metadata: metadata)
                break
            }
            if dryRun {
                logger.info("dry run: would fetch \(file.name) (\(file.size) bytes)", metadata: metadata)
                continue
            }
            do {
                try fetch(file, from: folder)
            } catch let error as TransportError where error.isTransient {
                // The server went away: the other files wait for the next poll too.
                serverFailure = error
                break
            } catch {
                // This file alone cannot be fetched (a name the inbox cannot hold, a file gone or
                // over the budget): the others go on, and the poll reports it at the end.
                logger.error("\(file.name) was not fetched: \(error)", metadata: metadata)
                failures.append("\(file.name): \(error)")
                continue
            }
            carried.files += 1
            carried.bytes += file.size
        }
        guard serverFailure == nil && failures.isEmpty else {
            // A failed poll is recorded as a failure; what it carried before still counts.
            try store.transfers.recordCarried(
                endpointID, partner: partner.id, direction: .inbound, files: carried.files, bytes: carried.bytes,
                at: now())
            throw serverFailure
                ?? TransportError(
                    .filesNotTaken, endpoint: source.endpoint.url,
                    operation: "fetch \(failures.count) of \(carried.files + failures.count) file(s)",
                    detail: failures.joined(separator: "; "))
        }
        return carried
    }

    /// Whether a file fetched before is still on its way: in the inbox, or already in the ledger
    /// (then the next poll settles it). A file fetched but lost before it reached the inbox (a
    /// crash between the record and the rename) is fetched again.
    private func alreadyHandedOver(_ file: RemoteFileRecord) throws -> Bool {
        if let sha256 = file.sha256, try store.ledger.file(withContent: sha256) != nil { return true }
        if let path = file.inboxPath, FileManager.default.fileExists(atPath: path) { return true }
        return false
    }

    /// Seen unchanged in at least two listings, the first long enough ago.
    private func isStable(_ seen: RemoteFileRecord) -> Bool {
        let waited = now().millisecondsSince1970 - seen.firstSeenAt.millisecondsSince1970
        let interval = stableAfter.components
        let wanted = interval.seconds * 1000 + interval.attoseconds / 1_000_000_000_000_000
        return seen.listings >= 1 && waited >= wanted
    }

    /// Downloads one file into staging, records it, and renames it into the inbox folder.
    private func fetch(_ file: RemoteFile, from folder: any RemoteFolder) throws {
        let temporary = (stagingFolder as NSString).appendingPathComponent(".\(file.name).\(getpid()).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw FileError(operation: "create", path: temporary, errno: errno) }
        let downloaded = Result { () throws -> Void in
            try folder.download(file.name, into: descriptor, limit: source.budget.bytes)
            guard fsync(descriptor) == 0 else { throw FileError(operation: "flush", path: temporary, errno: errno) }
        }
        close(descriptor)
        if case .failure(let error) = downloaded {
            unlink(temporary)
            throw error
        }
        let sha256 = try InboxFile(opening: temporary).sha256()
        try FileManager.default.createDirectory(atPath: feed.folder, withIntermediateDirectories: true)
        let target = FileMover.freePath(in: feed.folder, name: file.name, tag: String(sha256.prefix(8)))
        try store.transfers.recordFetch(
            endpoint: endpointID, name: file.name, size: file.size, modified: file.modified, sha256: sha256,
            inboxPath: target, at: now())
        Failpoint.afterRemoteFetchRecorded.reach()
        try FileMover.move(temporary, to: target)
        logger.info("fetched \(file.name) (\(file.size) bytes) into \(target)", metadata: metadata)
    }

    /// Removes what an interrupted download left in staging: only this partner's, only temporaries.
    private func prepareStaging() throws {
        try FileManager.default.createDirectory(atPath: stagingFolder, withIntermediateDirectories: true)
        _ = FileMover.removeStaleTemporaries(in: [stagingFolder])
    }

    private var metadata: Logger.Metadata { ["partner": "\(partner.id)", "feed": "\(feed.name)"] }
}
