import Foundation
import GRDB
package import OmnihubCore

/// What customer care and store staff do to an order from the command line: cancel units, take
/// returns, write notes; and everything that happened to it, in time order.
package struct OrderCare: StoreTopic {
    let database: StoreDatabase

    /// One thing that happened to an order.
    package struct Event: Sendable, Hashable, Encodable {
        /// When, in UTC.
        package let at: String
        /// What kind: `imported`, `reserved`, `released`, `document`, `shipment_confirmation`,
        /// `return`, `cancelled`, `invoice`, `credit_note`, `refund`, `notification`, `note`, …
        package let event: String
        /// What happened, in words.
        package let detail: String
    }

    /// Where the units of one order line are, by state.
    package struct LineProgress: Sendable, Hashable, Encodable {
        package let position: Int
        package let lineID: String
        package let sku: String
        package let ordered: Int
        /// Waiting for stock (or for sourcing).
        package let waiting: Int
        /// Reserved at a node, not handed to it yet.
        package let reserved: Int
        /// In a node's fulfilment order, not shipped yet.
        package let handedOver: Int
        /// Shipped, or booked on the pickup shelf (picked up and returned units included).
        package let shipped: Int
        package let pickedUp: Int
        package let returned: Int
        package let cancelled: Int

        enum CodingKeys: String, CodingKey {
            case position, sku, ordered, waiting, reserved, shipped, returned, cancelled
            case lineID = "line_id"
            case handedOver = "handed_over"
            case pickedUp = "picked_up"
        }
    }

    /// Where the units of each line of an order are now.
    package func lines(orderID: Int64) throws -> [LineProgress] {
        try read { db in
            let order = try Self.order(db, orderID, path: path)
            return try order.lines.enumerated().map { index, line in
                let position = index + 1
                let counts = try Row.fetchOne(
                    db.cachedStatement(
                        sql:
                            "SELECT cancelled, shipped, picked_up, returned FROM order_lines WHERE order_id = ? AND position = ?"
                    ),
                    arguments: [orderID, position])
                let cancelled: Int = try counts?.decode(forColumn: "cancelled") ?? 0
                let shipped: Int = try counts?.decode(forColumn: "shipped") ?? 0
                var reserved = 0
                var handed = 0
                for row in try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT node, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END) AS held
                            FROM reservations WHERE order_id = ? AND position = ? GROUP BY node
                            """), arguments: [orderID, position])
                {
                    let node: String = try row.decode(forColumn: "node")
                    let held = max(0, try row.decode(forColumn: "held") as Int)
                    let shippedThere =
                        try Int.fetchOne(
                            db.cachedStatement(
                                sql:
                                    "SELECT SUM(quantity) FROM shipments WHERE order_id = ? AND position = ? AND node = ?"
                            ),
                            arguments: [orderID, position, node]) ?? 0
                    let handedThere = min(
                        held,
                        max(
                            0,
                            try Outbox.unitsHandedOver(db, orderID: orderID, position: position, node: node)
                                - shippedThere))
                    handed += handedThere
                    reserved += held - handedThere
                }
                return LineProgress(
                    position: position, lineID: line.lineID, sku: line.sku, ordered: line.quantity,
                    waiting: max(0, line.quantity - cancelled - shipped - reserved - handed), reserved: reserved,
                    handedOver: handed, shipped: shipped, pickedUp: try counts?.decode(forColumn: "picked_up") ?? 0,
                    returned: try counts?.decode(forColumn: "returned") ?? 0, cancelled: cancelled)
            }
        }
    }

    /// Cancels `lines` of an order (every open unit when none), for customer care `by`: the
    /// units' reservations are released, the refund recorded, and the channel told.
    ///
    /// - Throws: ``StoreError/Code/refused`` when the lines do not have the units open; nothing changes.
    package func cancel(orderID: Int64, lines: [DocumentLine], reason: String, by: String, at time: Timestamp)
        throws -> CancellationOutcome
    {
        try write { db in
            let order = try Self.order(db, orderID, path: path)
            let counts = try Self.lineCounts(db, orderID: orderID)
            if let refusal = CancellationPolicy.refusal(
                cancelling: lines, of: order, cancelled: counts.cancelled, shipped: counts.shipped)
            {
                throw StoreError(.refused, path: path, message: refusal)
            }
            let request = InboundNotice(
                kind: .cancellationRequest, channel: order.channel, externalID: order.externalID, occurredAt: time,
                reason: reason, lines: lines)
            return try OrderCancellations.cancel(
                db, orderID: orderID, order: order, request, requestedBy: "care:\(by)",
                reference: "care \(by) \(time)", at: time.description)
        }
    }

    /// Books units that came back (at `node`, a store or DC, when given), for customer care or
    /// store staff `by` (see ``ReturnPolicy``).
    ///
    /// - Throws: ``StoreError/Code/refused`` when the return does not fit the order; nothing changes.
    package func receiveReturn(
        orderID: Int64, lines: [DocumentLine], node: String?, by: String, at time: Timestamp,
        resellable: Set<String>
    ) throws -> ReturnOutcome {
        try write { db in
            let order = try Self.order(db, orderID, path: path)
            let outcome = try OrderReturns.receive(
                db, orderID: orderID, order: order, lines: lines, node: node, reference: nil, at: time.description,
                origin: .enteredBy(by), resellable: resellable)
            if case .refused(let message) = outcome { throw StoreError(.refused, path: path, message: message) }
            return outcome
        }
    }

    /// Adds a note to an order's history.
    package func addNote(orderID: Int64, text: String, by: String, at time: Timestamp) throws {
        try write { db in
            _ = try Self.order(db, orderID, path: path)
            try db.cachedStatement(
                sql: "INSERT INTO order_notes (order_id, text, author, created_at) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [orderID, text, by, time])
        }
    }

    /// Everything that happened to an order, oldest first: its import, reservations, documents
    /// to nodes and channels, shipments, cancellations, returns, invoices, credit notes, refunds,
    /// messages to the customer and notes.
    package func history(orderID: Int64) throws -> [Event] {
        try read { db in
            let order = try Self.order(db, orderID, path: path)
            var events: [Event] = []
            func add(_ sql: String, _ arguments: StatementArguments, _ make: (Row) throws -> Event) throws {
                events += try Row.fetchAll(db, sql: sql, arguments: arguments).map(make)
            }
            let sku = { (position: Int) in
                position >= 1 && position <= order.lines.count ? order.lines[position - 1].sku : "line \(position)"
            }
            try add(
                """
                SELECT o.imported_at AS at, f.partner || '/' || f.name AS file, o.record FROM orders o
                JOIN files f ON f.id = o.file_id WHERE o.id = ?
                """, [orderID]
            ) { row in
                Event(
                    at: try row.decode(forColumn: "at"), event: "imported",
                    detail:
                        "from \(try row.decode(forColumn: "file") as String), record \(try row.decode(forColumn: "record") as Int)"
                )
            }
            try add(
                """
                SELECT r.id, r.imported_at AS at, r.external_id AS replacement, r.exchange_position AS position,
                    r.document
                FROM orders r WHERE r.exchange_of = ? ORDER BY r.id
                """, [orderID]
            ) { row in
                let replacement = try OrderBook.order(
                    try row.decode(forColumn: "document"), id: try row.decode(forColumn: "id"), store: path)
                let units = replacement.lines.first.map { "\($0.quantity) × \($0.sku)" } ?? "units"
                return Event(
                    at: try row.decode(forColumn: "at"), event: "exchanged",
                    detail:
                        "\(sku(try row.decode(forColumn: "position"))) for \(units) in replacement order "
                        + (try row.decode(forColumn: "replacement") as String))
            }
            try add(
                """
                SELECT r.imported_at AS at, o.external_id AS original, r.exchange_position AS position FROM orders r
                JOIN orders o ON o.id = r.exchange_of WHERE r.id = ?
                """, [orderID]
            ) { row in
                Event(
                    at: try row.decode(forColumn: "at"), event: "exchange",
                    detail:
                        "replaces line \(try row.decode(forColumn: "position") as Int) of order "
                        + (try row.decode(forColumn: "original") as String))
            }
            try add(
                """
                SELECT f.received_at AS at, f.partner || '/' || f.name AS file, l.outcome FROM order_lineage l
                JOIN files f ON f.id = l.file_id WHERE l.order_id = ? ORDER BY l.id
                """, [orderID]
            ) { row in
                Event(
                    at: try row.decode(forColumn: "at"),
                    event: try row.decode(forColumn: "outcome") == "changed_resend" ? "changed_resend" : "resent",
                    detail: "from \(try row.decode(forColumn: "file") as String)")
            }
            try add(
                """
                SELECT run_at, kind, node, position, SUM(quantity) AS units FROM reservations WHERE order_id = ?
                GROUP BY run_at, kind, node, position ORDER BY MIN(id)
                """, [orderID]
            ) { row in
                let kind: String = try row.decode(forColumn: "kind")
                return Event(
                    at: try row.decode(forColumn: "run_at"), event: kind == "reserve" ? "reserved" : "released",
                    detail:
                        "\(try row.decode(forColumn: "units") as Int) × \(sku(try row.decode(forColumn: "position"))) "
                        + "at \(try row.decode(forColumn: "node") as String)")
            }
            try add(
                """
                SELECT kind, node, reference, occurred_at, imported_at FROM notices
                WHERE (channel = ? OR channel IS NULL) AND external_id = ? AND kind NOT IN ('stock_snapshot', 'stock_delta')
                ORDER BY id
                """, [order.channel, order.externalID]
            ) { row in
                let node: String? = try row.decode(forColumn: "node")
                let reference: String? = try row.decode(forColumn: "reference")
                return Event(
                    at: try row.decode(forColumn: "occurred_at") ?? row.decode(forColumn: "imported_at"),
                    event: try row.decode(forColumn: "kind"),
                    detail: [node.map { "from \($0)" }, reference.map { "reference \($0)" }].compactMap { $0 }
                        .joined(separator: ", "))
            }
            try add(
                """
                SELECT d.created_at, d.kind, d.number, d.destination FROM outbound_documents d
                WHERE d.id IN (SELECT document_id FROM fulfilment_lines WHERE order_id = ?1
                               UNION SELECT confirmation_document_id FROM shipments WHERE order_id = ?1
                               UNION SELECT document_id FROM seller_cancellations WHERE order_id = ?1
                               UNION SELECT document_id FROM fulfilment_cancellations WHERE order_id = ?1
                               UNION SELECT acknowledgement_document_id FROM orders WHERE id = ?1)
                ORDER BY d.id
                """, [orderID]
            ) { row in
                Event(
                    at: try row.decode(forColumn: "created_at"), event: try row.decode(forColumn: "kind"),
                    detail:
                        "\(try row.decode(forColumn: "number") as String) to \(try row.decode(forColumn: "destination") as String)"
                )
            }
            try add(
                """
                SELECT shipped_at, node, position, quantity, carrier, tracking_number FROM shipments
                WHERE order_id = ? ORDER BY id
                """, [orderID]
            ) { row in
                let carrier: String? = try row.decode(forColumn: "carrier")
                let tracking: String? = try row.decode(forColumn: "tracking_number")
                return Event(
                    at: try row.decode(forColumn: "shipped_at"), event: "shipped",
                    detail:
                        "\(try row.decode(forColumn: "quantity") as Int) × \(sku(try row.decode(forColumn: "position"))) "
                        + "from \(try row.decode(forColumn: "node") as String)"
                        + (carrier.map { " with \($0)" } ?? "") + (tracking.map { " (\($0))" } ?? ""))
            }
            try add(
                """
                SELECT picked_up_at, node, position, quantity FROM shipments
                WHERE order_id = ? AND picked_up_at IS NOT NULL ORDER BY id
                """, [orderID]
            ) { row in
                Event(
                    at: try row.decode(forColumn: "picked_up_at"), event: "picked_up",
                    detail:
                        "\(try row.decode(forColumn: "quantity") as Int) × \(sku(try row.decode(forColumn: "position"))) "
                        + "at \(try row.decode(forColumn: "node") as String)")
            }
            try add(
                """
                SELECT requested_at, requested_by, position, quantity, reason FROM seller_cancellations
                WHERE order_id = ? ORDER BY id
                """, [orderID]
            ) { row in
                let reason: String? = try row.decode(forColumn: "reason")
                return Event(
                    at: try row.decode(forColumn: "requested_at"), event: "cancelled",
                    detail:
                        "\(try row.decode(forColumn: "quantity") as Int) × \(sku(try row.decode(forColumn: "position"))) "
                        + "by \(try row.decode(forColumn: "requested_by") as String)" + (reason.map { ": \($0)" } ?? "")
                )
            }
            try add(
                """
                SELECT received_at, node, position, quantity, condition, restocked, entered_by FROM returns
                WHERE order_id = ? ORDER BY id
                """, [orderID]
            ) { row in
                let node: String? = try row.decode(forColumn: "node")
                let condition: String? = try row.decode(forColumn: "condition")
                let by: String? = try row.decode(forColumn: "entered_by")
                return Event(
                    at: try row.decode(forColumn: "received_at"), event: "returned",
                    detail:
                        "\(try row.decode(forColumn: "quantity") as Int) × \(sku(try row.decode(forColumn: "position")))"
                        + (node.map { " at \($0)" } ?? "") + (condition.map { ", \($0)" } ?? "")
                        + (try row.decode(forColumn: "restocked") as Bool ? ", back in stock" : ", booked out")
                        + (by.map { ", entered by \($0)" } ?? ""))
            }
            try add(
                "SELECT issued_at, kind, number, payable, currency FROM finance_documents WHERE order_id = ? ORDER BY id",
                [orderID]
            ) { row in
                Event(
                    at: try row.decode(forColumn: "issued_at"), event: try row.decode(forColumn: "kind"),
                    detail:
                        "\(try row.decode(forColumn: "number") as String): \(try row.decode(forColumn: "payable") as String) "
                        + (try row.decode(forColumn: "currency") as String))
            }
            try add(
                "SELECT created_at, cause, amount, currency, reference FROM refunds WHERE order_id = ? ORDER BY id",
                [orderID]
            ) { row in
                Event(
                    at: try row.decode(forColumn: "created_at"), event: "refund",
                    detail:
                        "\(try row.decode(forColumn: "amount") as String) \(try row.decode(forColumn: "currency") as String) "
                        + "for \((try row.decode(forColumn: "cause") as String).replacingOccurrences(of: "_", with: " ")) "
                        + (try row.decode(forColumn: "reference") as String))
            }
            try add(
                "SELECT created_at, event FROM customer_notifications WHERE order_id = ? ORDER BY id", [orderID]
            ) { row in
                Event(
                    at: try row.decode(forColumn: "created_at"), event: "notification",
                    detail: (try row.decode(forColumn: "event") as String).replacingOccurrences(of: "_", with: " "))
            }
            try add("SELECT created_at, author, text FROM order_notes WHERE order_id = ? ORDER BY id", [orderID]) {
                row in
                Event(
                    at: try row.decode(forColumn: "created_at"), event: "note",
                    detail:
                        "\(try row.decode(forColumn: "author") as String): \(try row.decode(forColumn: "text") as String)"
                )
            }
            // Stable: events of one moment keep the order they were gathered in.
            return events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        }
    }

    /// Units of each line (by position) of an order cancelled, shipped and returned so far.
    static func lineCounts(_ db: Database, orderID: Int64) throws -> (
        cancelled: [Int: Int], shipped: [Int: Int], returned: [Int: Int]
    ) {
        var counts: (cancelled: [Int: Int], shipped: [Int: Int], returned: [Int: Int]) = ([:], [:], [:])
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT position, cancelled, shipped, returned FROM order_lines WHERE order_id = ?"),
            arguments: [orderID])
        {
            let position: Int = try row.decode(forColumn: "position")
            counts.cancelled[position] = try row.decode(forColumn: "cancelled")
            counts.shipped[position] = try row.decode(forColumn: "shipped")
            counts.returned[position] = try row.decode(forColumn: "returned")
        }
        return counts
    }

    static func order(_ db: Database, _ orderID: Int64, path: String) throws -> Order {
        guard let stored = try OrderBook.storedOrder(db, id: orderID) else {
            throw StoreError(.refused, path: path, message: "there is no order \(orderID); see omnihub orders list")
        }
        return stored.order
    }
}
