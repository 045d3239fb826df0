import Foundation
import Hummingbird
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

extension WebConsole {
    /// `/console/stock`: a SKU across the network; `/console/partners`: partners, their
    /// endpoints, and the switches that pause and resume them.
    func addNetwork(to router: Router<BasicRequestContext>) {
        router.get("/console/stock") { request, _ in
            try await asOperator(request) { signedIn, format in
                let sku = FormFields(request.uri.query ?? "")["sku"]
                var model = frame("Stock", signedIn, request, section: "stock")
                model["sku"] = sku ?? ""
                model["warnings"] = try await onOwnThread { try stockWarnings(limit: 50) }.map {
                    [
                        "sku": $0.sku, "available": format.count($0.available),
                        "link": "/console/stock?sku=\(queryValue($0.sku))",
                    ]
                }
                model["threshold"] = console.stockWarningBelow
                if let sku {
                    let (levels, reserved) = try await onOwnThread {
                        (try store.stock.levels(sku: sku), try store.stock.reserved(sku: sku))
                    }
                    let network = configuration.network
                    var total = 0
                    model["nodes"] = network.nodes.map { node -> [String: Any] in
                        let level = levels.first { $0.node == node.id }
                        let held = reserved[node.id] ?? 0
                        let available =
                            node.enabled
                            ? max(
                                0,
                                network.available(
                                    node: node, sku: sku, onHand: level?.onHand ?? 0, held: held, for: nil))
                            : 0
                        total += available
                        return [
                            "node": node.id, "name": node.name, "type": node.type.rawValue, "enabled": node.enabled,
                            "onHand": format.count(level?.onHand ?? 0), "reserved": format.count(held),
                            "safety": format.count(network.safetyStock(node: node, sku: sku)),
                            "fenced": format.count(network.fenced(node: node.id, sku: sku, otherThan: nil)),
                            "available": format.count(available), "updated": format.time(level?.updatedAt),
                        ]
                    }
                    model["total"] = format.count(total)
                    model["shown"] = true
                }
                return page("stock", model)
            }
        }
        router.get("/console/partners") { request, _ in
            try await asOperator(request) { signedIn, format in
                let time = now()
                let (statuses, switches) = try await onOwnThread {
                    (
                        try HubStatus.gather(configuration: configuration, store: store, now: time),
                        try store.transfers.switches()
                    )
                }
                var model = frame("Partners", signedIn, request, section: "partners")
                model["partners"] = configuration.partners.map { partner -> [String: Any] in
                    let inbound = switches[partner.id]?[.inbound] ?? .on
                    let outbound = switches[partner.id]?[.outbound] ?? .on
                    return [
                        "id": partner.id, "name": partner.name,
                        "feeds": partner.feeds.map { "\($0.name) (\($0.pattern))" }.joined(separator: ", "),
                        "inbound": inbound.rawValue, "outbound": outbound.rawValue,
                        "paused": inbound != .on || outbound != .on,
                        "portal": partner.pull?.portalPasswordHash != nil,
                        "endpoints": statuses.filter { $0.partner == partner.id }.map { status in
                            [
                                "endpoint": status.endpoint, "direction": status.direction.rawValue,
                                "lastSuccess": format.time(status.lastSuccessAt?.description),
                                "lastError": status.lastError ?? "", "failures": status.failuresInRow,
                                "backlog": format.count(status.backlog), "stale": status.stale,
                            ] as [String: Any]
                        },
                    ]
                }
                return page("partners", model)
            }
        }
        router.post("/console/partners/:id/switch") { request, context in
            try await asOperator(request, role: .admin) { signedIn, _ in
                let fields = try await form(request, session: signedIn.session)
                guard let id = context.parameters.get("id"), configuration.partner(id) != nil else {
                    throw ConsoleRefusal.notFound("That partner")
                }
                guard let state = fields["state"].flatMap(PartnerSwitch.init(rawValue:)),
                    state == .on || state == .paused
                else { throw ConsoleRefusal.badRequest("A partner is switched on or paused here.") }
                try await onOwnThread {
                    for direction in TransferDirection.allCases {
                        try store.transfers.setSwitch(state, partner: id, direction: direction, at: now())
                        if state == .on { try store.transfers.clearStop(partner: id, direction: direction) }
                    }
                }
                logger.notice(
                    "console: \(signedIn.name) switched \(id) \(state.rawValue)", metadata: ["partner": "\(id)"])
                return redirect("/console/partners")
            }
        }
    }
}

extension WebConsole {
    /// `/console/what-if`: every sourcing strategy on the open orders, beside the current one.
    func addWhatIf(to router: Router<BasicRequestContext>) {
        router.get("/console/what-if") { request, _ in
            try await asOperator(request) { signedIn, format in
                var model = frame("What if", signedIn, request, section: "whatif")
                guard let sourcing = OrderSourcing(configuration: configuration, store: store) else {
                    throw ConsoleRefusal.badRequest("omnihub.yaml has no sourcing section.")
                }
                let time = now()
                let (orders, plans) = try await onOwnThread { try sourcing.whatIf(at: time) }
                model["orders"] = format.count(orders)
                model["none"] = plans.isEmpty
                model["plans"] = plans.map { plan in
                    [
                        "strategy": plan.strategy.rawValue, "current": plan.current,
                        "cost": format.amount(plan.summary.cost, configuration.sourcing?.parameters.currency ?? ""),
                        "parcels": format.count(plan.summary.parcels),
                        "split": format.percent(plan.summary.splitShare), "fill": format.percent(plan.summary.fillRate),
                    ] as [String: Any]
                }
                return page("what-if", model)
            }
        }
    }
}
