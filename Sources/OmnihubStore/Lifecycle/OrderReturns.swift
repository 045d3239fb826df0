import GRDB
package import OmnihubCore

/// Where a return came from: a partner's file, or customer care on the command line.
package enum EventOrigin: Sendable, Hashable {
    /// Record `record` of file `fileID`.
    case file(id: Int64, record: Int)
    /// Entered by someone (`omnihub order return`, `omnihub order cancel`).
    case enteredBy(String)

    var fileID: Int64? {
        if case .file(let id, _) = self { id } else { nil }
    }
    var record: Int? {
        if case .file(_, let record) = self { record } else { nil }
    }
    var enteredBy: String? {
        if case .enteredBy(let who) = self { who } else { nil }
    }
}

/// What became of a return.
package enum ReturnOutcome: Sendable, Hashable {
    /// The units came back; `restocked` of them went back into the receiving node's stock.
    /// `returns` are the parts booked, to be credited.
    case received(units: Int, restocked: Int, returns: [Int64])
    /// A return with this reference was booked for the order before: nothing changes.
    case alreadyReceived(reference: String)
    /// No stored order has that channel and number.
    case unknownOrder
    /// The return does not fit the order (``ReturnPolicy``): nothing was booked.
    case refused(String)
}

/// Books returns in the caller's transaction: shared by return notices in files and by customer care.
enum OrderReturns {
    /// What each line of `orderID` shipped and got back.
    static func lineStates(_ db: Database, orderID: Int64) throws -> [ReturnPolicy.LineState] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT shipped, returned FROM order_lines WHERE order_id = ? ORDER BY position"),
            arguments: [orderID]
        ).map { row in
            ReturnPolicy.LineState(
                shipped: try row.decode(forColumn: "shipped"), returned: try row.decode(forColumn: "returned"))
        }
    }

    /// Books the return of `lines` of an order at `node` (the receiving node, when known): the
    /// units are marked returned on their lines, resellable ones go back into the node's stock
    /// (unless a later snapshot of the node already counts them), and each part is recorded to
    /// be credited. A return whose `reference` was booked for the order before changes nothing.
    static func receive(
        _ db: Database, orderID: Int64, order: Order, lines: [DocumentLine], node: String?, reference: String?,
        at time: String, origin: EventOrigin, resellable: Set<String>, toCredit: Bool = true
    ) throws -> ReturnOutcome {
        if let reference,
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM returns WHERE order_id = ? AND reference = ?)"),
                arguments: [orderID, reference]) == true
        {
            return .alreadyReceived(reference: reference)
        }
        let states = try lineStates(db, orderID: orderID)
        let decision = ReturnPolicy.receive(lines, of: order, states: states, resellable: resellable)
        guard case .accepted(let parts) = decision else {
            if case .refused(let message) = decision { return .refused(message) }
            return .refused("the return of order \(order.externalID) was not booked")
        }
        var units = 0
        var restocked = 0
        var ids: [Int64] = []
        for part in parts {
            let sku = order.lines[part.position - 1].sku
            let backInStock =
                try node.map {
                    part.restock
                        ? try StockLedger.addReturned(
                            db, node: $0, sku: sku, units: part.units, at: time, origin: origin) : false
                } ?? false
            try db.cachedStatement(
                sql: "UPDATE order_lines SET returned = returned + ? WHERE order_id = ? AND position = ?"
            ).execute(arguments: [part.units, orderID, part.position])
            try db.cachedStatement(
                sql: """
                    INSERT INTO returns (order_id, position, node, sku, quantity, condition, restocked, reason, reference,
                                         received_at, file_id, record, entered_by, to_credit)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                orderID, part.position, node, sku, part.units, part.condition, part.restock && node != nil,
                part.reason, reference, time, origin.fileID, origin.record, origin.enteredBy, toCredit,
            ])
            ids.append(db.lastInsertedRowID)
            units += part.units
            if backInStock { restocked += part.units }
        }
        return .received(units: units, restocked: restocked, returns: ids)
    }
}

extension StockLedger {
    /// Puts `units` returned goods back into `node`'s stock at `time`, in the caller's
    /// transaction; `false` when the node's latest snapshot is from after `time` and already
    /// counts them.
    static func addReturned(
        _ db: Database, node: String, sku: String, units: Int, at time: String, origin: EventOrigin
    ) throws -> Bool {
        if let latest = try String.fetchOne(
            db.cachedStatement(sql: "SELECT as_of FROM stock_snapshots WHERE node = ?"), arguments: [node]),
            time <= latest
        {
            return false
        }
        let current =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT on_hand FROM stock_levels WHERE node = ? AND sku = ?"),
                arguments: [node, sku]) ?? 0
        let after = current + units
        try db.cachedStatement(
            sql: """
                INSERT INTO stock_levels (node, sku, on_hand, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (node, sku) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at
                """
        ).execute(arguments: [node, sku, after, time])
        try db.cachedStatement(
            sql: """
                INSERT INTO stock_movements (node, sku, kind, quantity, on_hand_after, as_of, file_id, record)
                VALUES (?, ?, 'return', ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [node, sku, units, after, time, origin.fileID, origin.record])
        return true
    }
}

extension FileImport {
    /// Books a return notice from a file, in the file's transaction (see ``OrderReturns``).
    package func applyReturn(_ notice: InboundNotice, resellable: Set<String>) throws -> ReturnOutcome {
        guard let (orderID, order) = try noticedOrder(notice) else { return .unknownOrder }
        return try OrderReturns.receive(
            db, orderID: orderID, order: order, lines: notice.lines, node: notice.node, reference: notice.reference,
            at: notice.occurredAt?.description ?? importedAt,
            origin: .file(id: fileID, record: notice.source?.record ?? 0), resellable: resellable)
    }
}
