import Foundation
import Hummingbird
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

extension WebConsole {
    /// `/console/orders`: search; `/console/orders/{id}`: one order, with customer care's actions.
    func addOrders(to router: Router<BasicRequestContext>) {
        router.get("/console/orders") { request, _ in
            try await asOperator(request) { signedIn, format in try await orderSearch(request, signedIn, format) }
        }
        router.get("/console/orders/:id") { request, context in
            try await asOperator(request) { signedIn, format in
                try await orderPage(try orderID(context), request, signedIn, format)
            }
        }
        router.post("/console/orders/:id/cancel") { request, context in
            try await asOperator(request, role: .care) { signedIn, format in
                try await cancel(try orderID(context), request, signedIn, format)
            }
        }
        router.post("/console/orders/:id/return") { request, context in
            try await asOperator(request, role: .care) { signedIn, format in
                try await takeBack(try orderID(context), request, signedIn, format)
            }
        }
        router.post("/console/orders/:id/exchange") { request, context in
            try await asOperator(request, role: .care) { signedIn, format in
                try await exchange(try orderID(context), request, signedIn, format)
            }
        }
        router.post("/console/orders/:id/note") { request, context in
            try await asOperator(request, role: .care) { signedIn, _ in
                let id = try orderID(context)
                let fields = try await form(request, session: signedIn.session)
                guard let text = fields["text"], text.count <= 2000 else {
                    throw ConsoleRefusal.badRequest("A note needs text, at most 2,000 characters.")
                }
                let by = signedIn.name
                try await onOwnThread { try store.care.addNote(orderID: id, text: text, by: by, at: now()) }
                return redirect("/console/orders/\(id)")
            }
        }
        router.get("/console/documents/:id") { request, context in
            try await asOperator(request) { _, _ in
                guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
                    throw ConsoleRefusal.notFound("That document")
                }
                guard
                    let (document, bytes) = try await onOwnThread({
                        try store.transfers.writtenDocument(id: id, destinations: nil)
                    })
                else { throw ConsoleRefusal.notFound("Document \(id)") }
                return download(name: (document.path as NSString).lastPathComponent, bytes: bytes)
            }
        }
    }

    private func orderID(_ context: BasicRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw ConsoleRefusal.notFound("That order")
        }
        return id
    }

    private func orderSearch(
        _ request: Request, _ signedIn: (session: ConsoleSession, name: String, role: Configuration.Console.Role),
        _ format: ConsoleFormat
    ) async throws -> Response {
        let query = FormFields(request.uri.query ?? "")
        let status = query["status"].flatMap(OrderStatus.init(rawValue:))
        let day = query["date"].flatMap { $0.count == 10 && $0.allSatisfy { $0.isNumber || $0 == "-" } ? $0 : nil }
        let pageNumber = max(1, min(query["page"].flatMap { Int($0) } ?? 1, 10_000))
        let criteria = OrderQuery(text: query["q"], status: status, channel: query["channel"], placedOn: day)
        let (orders, channels) = try await onOwnThread {
            (
                try store.orders.search(criteria, limit: Self.pageSize + 1, offset: (pageNumber - 1) * Self.pageSize),
                try store.orders.channels()
            )
        }
        // One exact order number goes straight to its page.
        if let text = criteria.text, orders.count == 1, orders[0].externalID == text, pageNumber == 1 {
            return redirect("/console/orders/\(orders[0].id)")
        }
        var model = frame("Orders", signedIn, request, section: "orders")
        model["q"] = criteria.text ?? ""
        model["date"] = day ?? ""
        model["statuses"] = OrderStatus.allCases.map { ["value": $0.rawValue, "selected": $0 == status] }
        model["channels"] = channels.map { ["value": $0, "selected": $0 == criteria.channel] }
        model["orders"] = orders.prefix(Self.pageSize).map { order in
            [
                "id": String(order.id), "channel": order.channel, "number": order.externalID,
                "placed": format.time(order.placedAt), "customer": order.customerName ?? "–",
                "country": order.shipToCountry ?? "–", "lines": format.count(order.lines),
                "units": format.count(order.units), "status": order.status.rawValue,
            ]
        }
        model["none"] = orders.isEmpty
        var base: [String] = []
        for (name, value) in [
            ("q", criteria.text), ("status", status?.rawValue), ("channel", criteria.channel), ("date", day),
        ] {
            if let value {
                base.append(name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
        }
        let link = { (page: Int) in "/console/orders?" + (base + ["page=\(page)"]).joined(separator: "&") }
        if pageNumber > 1 { model["previous"] = link(pageNumber - 1) }
        if orders.count > Self.pageSize { model["next"] = link(pageNumber + 1) }
        model["page"] = pageNumber
        return page("orders", model)
    }

    private func orderPage(
        _ id: Int64, _ request: Request,
        _ signedIn: (session: ConsoleSession, name: String, role: Configuration.Console.Role), _ format: ConsoleFormat
    ) async throws -> Response {
        let sourcing = OrderSourcing(configuration: configuration, store: store)
        let facts = try await onOwnThread { () -> OrderFacts? in
            guard let stored = try store.orders.matching(String(id)).first else { return nil }
            return OrderFacts(
                stored: stored, lines: try store.care.lines(orderID: id),
                reservations: try store.stock.reservations(orderID: id),
                documents: try store.outbox.documents(orderID: id), refunds: try store.refunds.refunds(orderID: id),
                history: try store.care.history(orderID: id),
                explanation: stored.status == .sourced || stored.status == .open
                    ? try sourcing?.explain(stored, at: now()) : nil)
        }
        guard let facts else { throw ConsoleRefusal.notFound("Order \(id)") }
        let order = facts.stored.order
        var model = frame("Order \(order.externalID)", signedIn, request, section: "orders")
        model["id"] = String(id)
        model["number"] = order.externalID
        model["channel"] = order.channel
        model["status"] = facts.stored.status.rawValue
        model["placed"] = format.time(order.placedAt.description)
        model["customer"] = order.customer.name ?? "–"
        model["email"] = order.customer.email ?? ""
        model["shipTo"] = [
            order.shipTo?.name, order.shipTo?.line1, order.shipTo?.postalCode, order.shipTo?.city,
            order.shipTo?.country,
        ]
        .compactMap { $0 }.joined(separator: ", ")
        model["delivery"] = order.delivery.method.rawValue
        model["lines"] = facts.lines.map { line in
            let ordered = order.lines.first { $0.lineID == line.lineID }
            return [
                "position": line.position, "lineID": line.lineID, "sku": line.sku, "title": ordered?.title ?? "",
                "price": ordered.map { format.amount($0.unitPrice.description, order.currency.code) } ?? "",
                "ordered": line.ordered, "waiting": line.waiting, "reserved": line.reserved,
                "handedOver": line.handedOver, "shipped": line.shipped, "returned": line.returned,
                "cancelled": line.cancelled,
                "open": line.waiting + line.reserved + line.handedOver,
            ] as [String: Any]
        }
        model["cancellable"] = facts.lines.contains { $0.waiting + $0.reserved + $0.handedOver > 0 }
        model["returnable"] = facts.lines.contains { $0.shipped > $0.returned }
        model["nodes"] = configuration.network.nodes.filter { $0.type != .dropship }.map {
            ["id": $0.id, "name": $0.name]
        }
        model["reservations"] = facts.reservations.map {
            ["position": $0.position, "node": $0.node, "sku": $0.sku, "units": format.count($0.quantity)]
                as [String: Any]
        }
        if let explanation = facts.explanation {
            model["explanation"] =
                [
                    "parcels": explanation.parcels.map { parcel in
                        [
                            "node": parcel.node, "lines": parcel.lines.joined(separator: ", "), "units": parcel.units,
                            "km": parcel.distanceKm.map { format.count(Int($0.rounded())) } ?? "?",
                            "unitCosts": parcel.unitCosts, "handling": parcel.handling, "shipping": parcel.shipping,
                        ] as [String: Any]
                    },
                    "total": explanation.total, "splitPenalty": explanation.splitPenalty,
                    "unfilled": explanation.unfilledUnits, "unfilledPenalty": explanation.unfilledPenalty,
                    "alternatives": explanation.alternatives.map {
                        ["node": $0.node, "cost": $0.cost ?? "–", "reason": $0.reason]
                    },
                ] as [String: Any]
        }
        model["documents"] = facts.documents.map { document in
            [
                "id": String(document.id), "kind": document.kind.rawValue, "number": document.number,
                "destination": document.destination, "name": (document.path as NSString).lastPathComponent,
                "created": format.time(document.createdAt), "written": document.status == .written,
            ] as [String: Any]
        }
        model["refunds"] = facts.refunds.map { refund in
            [
                "cause": refund.cause.replacingOccurrences(of: "_", with: " "), "reference": refund.reference,
                "amount": format.amount(refund.amount.description, refund.currency),
                "at": format.time(refund.createdAt),
            ]
        }
        model["history"] = facts.history.reversed().map { event in
            [
                "at": format.time(event.at), "event": event.event.replacingOccurrences(of: "_", with: " "),
                "detail": event.detail,
            ]
        }
        return page("order", model)
    }

    /// The page that asks before a change to an order: the form again, with `confirmed=yes`.
    func confirmation(
        _ title: String, id: Int64, action: String,
        _ signedIn: (session: ConsoleSession, name: String, role: Configuration.Console.Role), _ request: Request,
        question: String, consequence: String, button: String, fields: [String: String]
    ) -> Response {
        var model = frame(title, signedIn, request, section: "orders")
        model["action"] = "/console/orders/\(id)/\(action)"
        model["back"] = "/console/orders/\(id)"
        model["question"] = question
        model["consequence"] = consequence
        model["button"] = button
        model["fields"] = fields.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        return page("confirm", model)
    }

    /// What the order page shows, read in one go.
    struct OrderFacts: Sendable {
        var stored: StoredOrder
        var lines: [OrderCare.LineProgress]
        var reservations: [Reservation]
        var documents: [OutboundDocument]
        var refunds: [RefundLedger.Refund]
        var history: [OrderCare.Event]
        var explanation: SourcingExplanation?
    }

    /// Cancels open units of a line, or of the whole order, after a confirmation page.
    private func cancel(
        _ id: Int64, _ request: Request,
        _ signedIn: (session: ConsoleSession, name: String, role: Configuration.Console.Role), _ format: ConsoleFormat
    ) async throws -> Response {
        let fields = try await form(request, session: signedIn.session)
        guard let reason = fields["reason"], reason.count <= 500 else {
            throw ConsoleRefusal.badRequest("Say why the units are cancelled: the channel and the customer are told.")
        }
        let quantity = try fields["qty"].map { text -> Int in
            guard let units = Int(text), units >= 1, units <= 1_000_000 else {
                throw ConsoleRefusal.badRequest("The number of units '\(text)' is not a whole number from 1.")
            }
            return units
        }
        guard let stored = try await onOwnThread({ try store.orders.matching(String(id)).first }) else {
            throw ConsoleRefusal.notFound("Order \(id)")
        }
        let line = try fields["line"].map { lineID -> OrderLine in
            guard let line = stored.order.lines.first(where: { $0.lineID == lineID }) else {
                throw ConsoleRefusal.badRequest("Order \(stored.order.externalID) has no line '\(lineID)'.")
            }
            return line
        }
        guard fields["confirmed"] == "yes" else {
            let what =
                line.map { "\(quantity.map(String.init) ?? "every open") unit(s) of line \($0.lineID) (\($0.sku))" }
                ?? "every open unit of the order"
            return confirmation(
                "Cancel units of \(stored.order.externalID)", id: id, action: "cancel", signedIn, request,
                question: "Cancel \(what) of order \(stored.order.externalID), because “\(reason)”?",
                consequence: "Reserved stock is released, the refund is booked, and the node, the channel and the "
                    + "customer are told with the next run.",
                button: "Yes, cancel",
                fields: ["line": line?.lineID ?? "", "qty": quantity.map(String.init) ?? "", "reason": reason])
        }
        let by = signedIn.name
        let documentLines = line.map { [DocumentLine(lineID: $0.lineID, quantity: quantity)] } ?? []
        let outcome: CancellationOutcome
        do {
            outcome = try await onOwnThread {
                try store.care.cancel(orderID: id, lines: documentLines, reason: reason, by: by, at: now())
            }
        } catch let error as StoreError where error.code == .refused {
            throw ConsoleRefusal.badRequest("Nothing was cancelled: \(error.message)")
        }
        switch outcome {
        case .cancelled(let units, _, _, let refunded, _):
            logger.notice(
                "console: \(by) cancelled \(units) unit(s) of order \(stored.order.externalID); refund \(refunded)",
                metadata: ["order": "\(id)", "operator": "\(by)"])
            return redirect("/console/orders/\(id)")
        case .unknownOrder:
            throw ConsoleRefusal.notFound("Order \(id)")
        }
    }

    /// Takes back shipped units of a line, after a confirmation page, and issues their credit note.
    private func takeBack(
        _ id: Int64, _ request: Request,
        _ signedIn: (session: ConsoleSession, name: String, role: Configuration.Console.Role), _ format: ConsoleFormat
    ) async throws -> Response {
        let fields = try await form(request, session: signedIn.session)
        guard let lineID = fields["line"] else {
            throw ConsoleRefusal.badRequest("Choose the line the units belong to.")
        }
        guard let text = fields["qty"], let units = Int(text), units >= 1, units <= 1_000_000 else {
            throw ConsoleRefusal.badRequest("Say how many units came back: a whole number from 1.")
        }
        let node = fields["store"]
        if let node, configuration.network.node(node) == nil {
            throw ConsoleRefusal.badRequest("'\(node)' is not a node of the network.")
        }
        let condition = fields["condition"]
        let reason = fields["reason"]
        guard let stored = try await onOwnThread({ try store.orders.matching(String(id)).first }) else {
            throw ConsoleRefusal.notFound("Order \(id)")
        }
        guard let position = stored.order.lines.firstIndex(where: { $0.lineID == lineID }).map({ $0 + 1 }) else {
            throw ConsoleRefusal.badRequest("Order \(stored.order.externalID) has no line '\(lineID)'.")
        }
        guard fields["confirmed"] == "yes" else {
            return confirmation(
                "Take back units of \(stored.order.externalID)", id: id, action: "return", signedIn, request,
                question: "Take back \(units) unit(s) of line \(lineID) of order \(stored.order.externalID)"
                    + (node.map { " at \($0)" } ?? " by mail") + (condition.map { ", \($0)" } ?? "") + "?",
                consequence: "Resellable units go back into stock; the credit note is issued now and the refund "
                    + "goes out with it.",
                button: "Yes, take back",
                fields: [
                    "line": lineID, "qty": String(units), "store": node ?? "", "condition": condition ?? "",
                    "reason": reason ?? "",
                ])
        }
        let by = signedIn.name
        let time = now()
        let resellable = configuration.resellableConditions
        let emitter = OutboxEmitter(configuration: configuration, store: store, logger: logger)
        let hasFinance = configuration.finance != nil
        do {
            try await onOwnThread {
                let outcome = try store.care.receiveReturn(
                    orderID: id,
                    lines: [DocumentLine(lineID: lineID, quantity: units, reason: reason, condition: condition)],
                    node: node, by: by, at: time, resellable: resellable)
                guard case .received(let received, _, let returns) = outcome else { return }
                if hasFinance {
                    _ = try emitter.issueCreditNote(
                        orderID: id, units: [position: received], reason: reason ?? "returned", returns: returns,
                        at: time)
                }
            }
        } catch let error as StoreError where error.code == .refused {
            throw ConsoleRefusal.badRequest("Nothing was taken back: \(error.message)")
        }
        logger.notice(
            "console: \(by) took back \(units) unit(s) of order \(stored.order.externalID)",
            metadata: ["order": "\(id)", "operator": "\(by)"])
        return redirect("/console/orders/\(id)")
    }

    /// Exchanges units of a line for another article, after a confirmation page.
    private func exchange(
        _ id: Int64, _ request: Request,
        _ signedIn: (session: ConsoleSession, name: String, role: Configuration.Console.Role), _ format: ConsoleFormat
    ) async throws -> Response {
        let fields = try await form(request, session: signedIn.session)
        guard let lineID = fields["line"] else { throw ConsoleRefusal.badRequest("Choose the line to exchange.") }
        guard let sku = fields["sku"], sku.count <= 100 else {
            throw ConsoleRefusal.badRequest("Name the article the customer gets instead.")
        }
        guard let text = fields["qty"], let units = Int(text), units >= 1, units <= 1_000_000 else {
            throw ConsoleRefusal.badRequest("Say how many units: a whole number from 1.")
        }
        let price = try fields["price"].map { text -> Amount in
            guard let amount = Amount(parsing: text), amount >= .zero else {
                throw ConsoleRefusal.badRequest("The price '\(text)' is not an amount of at least 0, e.g. 59.90.")
            }
            return amount
        }
        let returned = fields["returned"] == "yes"
        let node = returned ? fields["store"] : nil
        let condition = returned ? fields["condition"] : nil
        if let node, configuration.network.node(node) == nil {
            throw ConsoleRefusal.badRequest("'\(node)' is not a node of the network.")
        }
        let reason = fields["reason"]
        guard let stored = try await onOwnThread({ try store.orders.matching(String(id)).first }) else {
            throw ConsoleRefusal.notFound("Order \(id)")
        }
        guard let position = stored.order.lines.firstIndex(where: { $0.lineID == lineID }).map({ $0 + 1 }) else {
            throw ConsoleRefusal.badRequest("Order \(stored.order.externalID) has no line '\(lineID)'.")
        }
        guard fields["confirmed"] == "yes" else {
            let old = stored.order.lines[position - 1].sku
            return confirmation(
                "Exchange units of \(stored.order.externalID)", id: id, action: "exchange", signedIn, request,
                question: "Exchange \(units) × \(old) of order \(stored.order.externalID) for \(sku)"
                    + (price.map { " at \(format.amount($0.description, stored.order.currency.code)) a unit" } ?? "")
                    + (returned ? ", the old units came back" + (node.map { " at \($0)" } ?? " by mail") : "") + "?",
                consequence: returned
                    ? "The old units are credited now; the new article goes out in a replacement order."
                    : "The old units are cancelled; the new article goes out in a replacement order.",
                button: "Yes, exchange",
                fields: [
                    "line": lineID, "qty": String(units), "sku": sku, "price": price?.description ?? "",
                    "returned": returned ? "yes" : "", "store": node ?? "", "condition": condition ?? "",
                    "reason": reason ?? "",
                ])
        }
        let by = signedIn.name
        let exchanger = OrderExchanger(configuration: configuration, store: store, logger: logger)
        let time = now()
        let done: OrderExchanger.Exchanged
        do {
            done = try await onOwnThread {
                try exchanger.exchange(
                    orderID: id, position: position, units: units, sku: sku, unitPrice: price, returned: returned,
                    node: node, condition: condition, reason: reason, by: by, at: time)
            }
        } catch let error as StoreError where error.code == .refused {
            throw ConsoleRefusal.badRequest("Nothing was exchanged: \(error.message)")
        }
        for failure in done.failures { logger.warning("console: \(failure)") }
        let replacement = done.exchange.replacement.externalID
        logger.notice(
            "console: \(by) exchanged \(units) unit(s) of order \(stored.order.externalID) for \(sku): replacement \(replacement)",
            metadata: ["order": "\(id)", "operator": "\(by)"])
        return redirect("/console/orders/\(done.exchange.replacementID)")
    }
}
