import Foundation
import Hummingbird
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

extension WebConsole {
    /// `/console/`: the day at a glance, each figure linking to its list.
    func addDashboard(to router: Router<BasicRequestContext>) {
        router.get("/console/") { request, _ in
            try await asOperator(request) { signedIn, format in
                var model = frame("Dashboard", signedIn, request, section: "dashboard")
                let figures = try await onOwnThread { try dashboard() }
                model["statuses"] = OrderStatus.allCases.map { ["status": $0.rawValue] }
                model["channels"] = figures.ordersToday.map { channel in
                    [
                        "channel": channel.channel,
                        "cells": OrderStatus.allCases.map { status in
                            [
                                "count": format.count(channel.counts[status] ?? 0),
                                "link":
                                    "/console/orders?channel=\(queryValue(channel.channel))&status=\(status.rawValue)",
                            ]
                        },
                    ] as [String: Any]
                }
                model["noOrdersToday"] = figures.ordersToday.isEmpty
                model["files"] = figures.filesByPartner.map { partner in
                    [
                        "partner": partner.partner, "imported": format.count(partner.counts[.imported] ?? 0),
                        "quarantined": format.count(partner.counts[.quarantined] ?? 0),
                        "duplicate": format.count(partner.counts[.duplicate] ?? 0),
                        "filesLink": "/console/files?partner=\(queryValue(partner.partner))",
                        "quarantineLink": "/console/files?partner=\(queryValue(partner.partner))&status=quarantined",
                    ]
                }
                model["quarantined"] = format.count(figures.quarantined)
                model["documentsWaiting"] = format.count(figures.documentsWaiting)
                model["endpointProblems"] = figures.endpointProblems.map { status in
                    [
                        "endpoint": status.endpoint, "partner": status.partner,
                        "problem": status.stale ? "stale" : (status.lastErrorCode ?? "failing"),
                        "error": status.lastError ?? "", "since": format.time(status.lastSuccessAt?.description),
                    ]
                }
                model["stockWarnings"] = figures.stockWarnings.map { warning in
                    [
                        "sku": warning.sku, "available": format.count(warning.available),
                        "link": "/console/stock?sku=\(queryValue(warning.sku))",
                    ]
                }
                model["stockWarningCount"] = format.count(figures.stockWarnings.count)
                model["endpointProblemCount"] = format.count(figures.endpointProblems.count)
                model["threshold"] = console.stockWarningBelow
                model["now"] = format.time(now().description)
                return page("dashboard", model)
            }
        }
    }

    /// What the dashboard shows.
    struct Dashboard {
        struct ChannelOrders {
            var channel: String
            var counts: [OrderStatus: Int]
        }

        struct PartnerFiles {
            var partner: String
            var counts: [FileStatus: Int]
        }

        struct StockWarning {
            var sku: String
            var available: Int
        }

        var ordersToday: [ChannelOrders]
        var filesByPartner: [PartnerFiles]
        var quarantined: Int
        var documentsWaiting: Int
        var endpointProblems: [EndpointStatus]
        var stockWarnings: [StockWarning]
    }

    func dashboard() throws -> Dashboard {
        let time = now()
        var byChannel: [String: [OrderStatus: Int]] = [:]
        let midnight = Timestamp(
            millisecondsSince1970: time.millisecondsSince1970 - time.millisecondsSince1970 % 86_400_000)
        for count in try store.orders.counts(importedSince: midnight) {
            byChannel[count.channel, default: [:]][count.status, default: 0] += count.orders
        }
        var byPartner: [String: [FileStatus: Int]] = [:]
        for count in try store.ledger.counts(
            receivedSince: Timestamp(millisecondsSince1970: time.millisecondsSince1970 - 86_400_000))
        {
            byPartner[count.partner, default: [:]][count.status, default: 0] += count.files
        }
        let statuses = try HubStatus.gather(configuration: configuration, store: store, now: time)
        return Dashboard(
            ordersToday: byChannel.keys.sorted().map {
                Dashboard.ChannelOrders(channel: $0, counts: byChannel[$0] ?? [:])
            },
            filesByPartner: byPartner.keys.sorted().map {
                Dashboard.PartnerFiles(partner: $0, counts: byPartner[$0] ?? [:])
            },
            quarantined: try store.ledger.quarantinedCount(),
            documentsWaiting: statuses.reduce(0) { $0 + ($1.direction == .outbound ? $1.backlog : 0) },
            endpointProblems: statuses.filter { $0.stale || $0.failuresInRow > 0 || $0.stoppedBecause != nil },
            stockWarnings: try stockWarnings(limit: 50))
    }

    /// SKUs whose units available to every channel, across the network, are under the threshold.
    func stockWarnings(limit: Int) throws -> [Dashboard.StockWarning] {
        let network = configuration.network
        var available: [String: Int] = [:]
        for position in try store.stock.positions() {
            guard let node = network.node(position.node), node.enabled else { continue }
            let units = network.available(
                node: node, sku: position.sku, onHand: position.onHand, held: position.reserved, for: nil)
            available[position.sku, default: 0] += max(0, units)
        }
        return available.filter { $0.value < console.stockWarningBelow }.sorted {
            ($0.value, $0.key) < ($1.value, $1.key)
        }
        .prefix(limit).map { Dashboard.StockWarning(sku: $0.key, available: $0.value) }
    }
}
