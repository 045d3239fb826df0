import Foundation
import Glibc
import Logging
import OmnihubCore
import OmnihubStore

extension FeedFetcher {
    /// GETs an HTTP feed; a new answer becomes a file in the inbox named after the feed and the
    /// time, e.g. `stock-20261129T171000Z.json`. An unchanged answer (304, or the same bytes as the
    /// last one from a server without validators) is not fetched again.
    func fetchHTTP(dryRun: Bool) throws -> Carried {
        let state = try store.transfers.endpoint(endpointID, partner: partner.id, direction: .inbound)
        let resource = try HTTPResource(endpoint: source.endpoint)
        if dryRun {
            logger.info("dry run: would GET \(source.endpoint.url)", metadata: ["partner": "\(partner.id)"])
            return Carried()
        }
        switch try resource.get(etag: state.etag, lastModified: state.lastModified, limit: source.budget.bytes) {
        case .unchanged:
            return Carried()
        case .changed(let body, let etag, let lastModified):
            let sha256 = SHA256.hex(of: body)
            if try store.transfers.lastFetchedHash(endpoint: endpointID) == sha256 {
                try store.transfers.recordValidators(
                    endpointID, partner: partner.id, etag: etag, lastModified: lastModified)
                return Carried()
            }
            let time = now()
            let stamp = String(time.description.filter(\.isNumber).prefix(14))
            let suffix = feed.pattern.hasPrefix("*.") ? String(feed.pattern.dropFirst()) : ""
            let name = "\(feed.name)-\(stamp)\(suffix)"
            let temporary = (stagingFolder as NSString).appendingPathComponent(".\(name).\(getpid()).tmp")
            try FileMover.writeAtomically(Data(body), to: temporary)
            try FileManager.default.createDirectory(atPath: feed.folder, withIntermediateDirectories: true)
            let target = FileMover.freePath(in: feed.folder, name: name, tag: String(sha256.prefix(8)))
            let modified = time.millisecondsSince1970 / 1000
            try store.transfers.recordFetch(
                endpoint: endpointID, name: name, size: Int64(body.count), modified: modified, sha256: sha256,
                inboxPath: target, at: time)
            try FileMover.move(temporary, to: target)
            // An HTTP answer leaves no copy on the server to move or delete: settled at once.
            try store.transfers.recordSettled(
                endpoint: endpointID, name: name, size: Int64(body.count), modified: modified, at: time)
            try store.transfers.recordValidators(
                endpointID, partner: partner.id, etag: etag, lastModified: lastModified)
            logger.info(
                "fetched \(source.endpoint.url) (\(body.count) bytes) into \(target)",
                metadata: ["partner": "\(partner.id)"])
            return Carried(files: 1, bytes: Int64(body.count))
        }
    }
}
