import Foundation
package import Logging
package import OmnihubCore
package import OmnihubStore

/// One delivery run of an outbox destination to a partner's server: the documents written for
/// it and not yet delivered, oldest first, within the budget.
///
/// Each document is uploaded under a temporary name and renamed; it is recorded delivered only
/// after the rename succeeded. A file of the name already there is never overwritten: with the
/// same bytes it is an earlier run's delivery (the process died before recording it) and is
/// recorded now; with other bytes it is a clash, reported, and the document waits.
package struct DocumentDeliverer: Sendable {
    let destination: Configuration.RemoteDestination
    let store: OrderStore
    let logger: Logger
    let now: @Sendable () -> Timestamp
    let stopRequested: @Sendable () -> Bool

    package init(
        destination: Configuration.RemoteDestination, store: OrderStore, logger: Logger,
        now: @escaping @Sendable () -> Timestamp = SystemClock.now,
        stopRequested: @escaping @Sendable () -> Bool = { false }
    ) {
        self.destination = destination
        self.store = store
        self.logger = logger
        self.now = now
        self.stopRequested = stopRequested
    }

    /// The endpoint's id in the store and the status: `<destination>/outbound`.
    package var endpointID: String { "\(destination.name)/outbound" }

    /// Delivers what waits; in a dry run, logs what would be delivered and sends nothing. A clash
    /// does not stop the run: the other documents go, and the clash is thrown at the end.
    package func deliver(dryRun: Bool = false) throws -> Carried {
        let started = ContinuousClock.now
        let waiting = try store.transfers.undelivered(
            destination: destination.name, endpoint: endpointID, limit: destination.budget.files)
        guard !waiting.isEmpty else { return Carried() }
        var carried = Carried()
        var clashes: [TransportError] = []
        let target = try Target(destination.endpoint)
        for (document, bytes) in waiting {
            if stopRequested() { break }
            guard carried.bytes + Int64(bytes.count) <= Int64(destination.budget.bytes) || carried.files == 0,
                ContinuousClock.now - started < .seconds(destination.budget.seconds)
            else {
                logger.info("the delivery budget is spent; the other documents wait", metadata: metadata)
                break
            }
            let name = (document.path as NSString).lastPathComponent
            if dryRun {
                logger.info("dry run: would deliver \(document.number) as \(name)", metadata: metadata)
                continue
            }
            let sent = Result { () throws(TransportError) in try target.send(bytes, name: name, key: document.number) }
            if case .failure(let error) = sent {
                guard error.code == .alreadyThere else { throw error }
                guard try target.holds(bytes, name: name) else {
                    logger.error("\(document.number) waits: \(error)", metadata: metadata)
                    clashes.append(error)
                    continue
                }
                logger.notice("\(name) is already there with the same bytes; recorded as delivered", metadata: metadata)
            }
            Failpoint.afterRemoteDelivery.reach()
            try store.transfers.recordDelivery(
                documentID: document.id, endpoint: endpointID, remoteName: name, at: now())
            logger.info(
                "delivered \(document.kind) \(document.number) → \(destination.endpoint.url)\(name)", metadata: metadata
            )
            carried.files += 1
            carried.bytes += Int64(bytes.count)
        }
        if let clash = clashes.first {
            try store.transfers.recordCarried(
                endpointID, partner: destination.name, direction: .outbound, files: carried.files, bytes: carried.bytes,
                at: now())
            throw clash
        }
        return carried
    }

    private var metadata: Logger.Metadata { ["destination": "\(destination.name)"] }
}

/// A folder or an HTTP address documents are sent to.
private enum Target {
    case folder(any RemoteFolder)
    case http(HTTPResource)

    init(_ endpoint: Endpoint) throws(TransportError) {
        self = endpoint.scheme.isFolder ? .folder(try endpoint.folder()) : .http(try HTTPResource(endpoint: endpoint))
    }

    func send(_ bytes: [UInt8], name: String, key: String) throws(TransportError) {
        switch self {
        case .folder(let folder): try folder.upload(bytes, as: name, via: ".\(name).part")
        case .http(let resource): try resource.send(bytes, name: name, key: key)
        }
    }

    /// Whether the file already at the destination has exactly these bytes.
    func holds(_ bytes: [UInt8], name: String) throws(TransportError) -> Bool {
        switch self {
        case .folder(let folder): try folder.read(name, limit: bytes.count + 1) == bytes
        case .http: false
        }
    }
}
