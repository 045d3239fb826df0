import Foundation
package import OmnihubCore
package import OmnihubStore

/// What `omnihub status` shows for each endpoint: its switch, last success and error, what it
/// carried, its backlog, and whether its feed is stale.
package struct EndpointStatus: Sendable, Codable, Hashable {
    package var endpoint: String
    package var partner: String
    package var direction: TransferDirection
    package var url: String
    /// `on`, `paused`, `disabled` or `dry_run`.
    package var state: PartnerSwitch
    package var lastPollAt: Timestamp?
    package var lastSuccessAt: Timestamp?
    package var lastFileAt: Timestamp?
    package var lastError: String?
    package var lastErrorCode: String?
    package var lastErrorAt: Timestamp?
    package var failuresInRow: Int
    /// Flagged: failed at least the configured number of times in a row.
    package var flagged: Bool
    package var retryAt: Timestamp?
    /// Why the endpoint stopped, until `omnihub partner resume`.
    package var stoppedBecause: String?
    package var files: Int64
    package var bytes: Int64
    /// Orders imported from the feed (inbound).
    package var orders: Int?
    /// Documents waiting to be delivered (outbound), or fetched files not yet imported (inbound).
    package var backlog: Int
    /// No new file for longer than the partner's expected interval.
    package var stale: Bool
}

/// Gathers the status of every endpoint the configuration names.
package enum HubStatus {
    package static func gather(configuration: Configuration, store: OrderStore, now: Timestamp) throws
        -> [EndpointStatus]
    {
        let switches = try store.transfers.switches()
        var statuses: [EndpointStatus] = []
        for partner in configuration.partners {
            for feed in partner.feeds {
                guard let source = feed.source else { continue }
                let id = "\(partner.id)/\(feed.name)"
                let record = try store.transfers.endpoint(id, partner: partner.id, direction: .inbound)
                let received = try store.ledger.received(partner: partner.id, feed: feed.name)
                let waiting = try store.transfers.unsettledFetches(endpoint: id).filter { file in
                    guard let sha256 = file.sha256 else { return false }
                    return try store.ledger.file(withContent: sha256) == nil
                }.count
                statuses.append(
                    status(
                        record, url: source.endpoint.url, schedule: source.schedule,
                        state: switches[partner.id]?[.inbound] ?? .on, orders: received.orders, backlog: waiting,
                        now: now))
            }
            if partner.pull != nil {
                let id = "\(partner.id)/pull"
                let record = try store.transfers.endpoint(id, partner: partner.id, direction: .outbound)
                var backlog = 0
                for destination in partner.pull?.destinations ?? [] {
                    backlog += try store.transfers.backlog(destination: destination, endpoint: id)
                }
                statuses.append(
                    status(
                        record, url: "pulled over HTTP", schedule: nil, state: switches[partner.id]?[.outbound] ?? .on,
                        orders: nil, backlog: backlog, now: now))
            }
        }
        for destination in configuration.destinations {
            let id = "\(destination.name)/outbound"
            let record = try store.transfers.endpoint(id, partner: destination.name, direction: .outbound)
            statuses.append(
                status(
                    record, url: destination.endpoint.url, schedule: destination.schedule,
                    state: switches[destination.name]?[.outbound] ?? .on, orders: nil,
                    backlog: try store.transfers.backlog(destination: destination.name, endpoint: id), now: now))
        }
        return statuses
    }

    private static func status(
        _ record: EndpointRecord, url: String, schedule: Configuration.PollSchedule?, state: PartnerSwitch,
        orders: Int?, backlog: Int, now: Timestamp
    ) -> EndpointStatus {
        var stale = false
        if let expected = schedule?.expectEvery, record.direction == .inbound {
            let since = record.lastFileAt ?? record.lastPollAt
            if let since {
                stale = RetryPolicy.time(expected, after: since).millisecondsSince1970 < now.millisecondsSince1970
            }
        }
        return EndpointStatus(
            endpoint: record.endpoint, partner: record.partner, direction: record.direction, url: url, state: state,
            lastPollAt: record.lastPollAt, lastSuccessAt: record.lastSuccessAt, lastFileAt: record.lastFileAt,
            lastError: record.lastError, lastErrorCode: record.lastErrorCode, lastErrorAt: record.lastErrorAt,
            failuresInRow: record.failuresInRow, flagged: record.failuresInRow >= (schedule?.flagAfter ?? 3),
            retryAt: record.retryAt, stoppedBecause: record.stoppedBecause, files: record.files, bytes: record.bytes,
            orders: orders, backlog: backlog, stale: stale)
    }
}
