import GRDB
package import OmnihubCore

extension FileImport {
    /// What became of a stock report.
    package enum StockOutcome: Sendable, Hashable {
        /// On-hand was replaced (snapshot) or changed (delta); the count of SKUs touched.
        case applied(Int)
        /// A snapshot older than the node's latest one: the newer one already says more.
        case staleSnapshot(latest: String)
        /// A delta from before the node's latest snapshot, which already contains it.
        case deltaBeforeSnapshot(latest: String)
        /// A delta that would take the node's on-hand of `sku` past what can be counted: nothing of
        /// it was applied.
        case beyondCounting(sku: String, onHand: Int, change: Int)
    }

    /// Applies a stock snapshot or delta to on-hand, in the file's transaction.
    ///
    /// A snapshot replaces everything the node had on hand (SKUs it does not list are 0) unless
    /// the node has a newer snapshot. A delta adds to on-hand unless it is dated before the node's
    /// latest snapshot, which then already reflects it. Every change is a movement in the ledger.
    package func applyStock(_ notice: InboundNotice) throws -> StockOutcome {
        guard let node = notice.node else { return .applied(0) }
        let asOf = notice.occurredAt?.description
        let statements = try noticeStatements()
        var latest: String?
        try statements.latestSnapshot.bind(1, node)
        try statements.latestSnapshot.query { row in
            latest = SQLiteStatement.text(row, 0)
            return false
        }
        let record = notice.source?.record ?? 0
        switch notice.kind {
        case .stockSnapshot:
            guard let asOf else { return .applied(0) }
            if let latest, latest >= asOf { return .staleSnapshot(latest: latest) }
            var quantities: [String: Int] = [:]
            for line in notice.lines {
                guard let sku = line.sku else { continue }
                quantities[sku, default: 0] += line.quantity ?? 0
            }
            let previous = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT sku, on_hand FROM stock_levels WHERE node = ?"), arguments: [node])
            for row in previous where quantities[try row.decode(forColumn: "sku")] == nil {
                quantities[try row.decode(forColumn: "sku")] = 0
            }
            try db.cachedStatement(sql: "DELETE FROM stock_levels WHERE node = ?").execute(arguments: [node])
            for (sku, quantity) in quantities.sorted(by: { $0.key < $1.key }) {
                if quantity != 0 {
                    try db.cachedStatement(
                        sql: "INSERT INTO stock_levels (node, sku, on_hand, updated_at) VALUES (?, ?, ?, ?)"
                    ).execute(arguments: [node, sku, quantity, asOf])
                }
                try movement(
                    node: node, sku: sku, kind: "snapshot", quantity: quantity, after: quantity, asOf: asOf,
                    record: record)
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO stock_snapshots (node, as_of, file_id) VALUES (?, ?, ?)
                    ON CONFLICT (node) DO UPDATE SET as_of = excluded.as_of, file_id = excluded.file_id
                    """
            ).execute(arguments: [node, asOf, fileID])
            return .applied(quantities.count)
        case .stockDelta:
            if let latest, let asOf, asOf <= latest { return .deltaBeforeSnapshot(latest: latest) }
            // Every line's on-hand after it first, so a delta that cannot be counted changes nothing.
            var planned: [(sku: String, change: Int, after: Int)] = []
            var running: [String: Int] = [:]
            for line in notice.lines {
                guard let sku = line.sku, let change = line.quantity, change != 0 else { continue }
                var current = 0
                if let known = running[sku] {
                    current = known
                } else {
                    try statements.onHand.bind(1, node)
                    try statements.onHand.bind(2, sku)
                    try statements.onHand.query { row in
                        current = SQLiteStatement.int(row, 0)
                        return false
                    }
                }
                let (after, overflow) = current.addingReportingOverflow(change)
                guard !overflow else { return .beyondCounting(sku: sku, onHand: current, change: change) }
                running[sku] = after
                planned.append((sku, change, after))
            }
            for (sku, change, after) in planned {
                let setOnHand = statements.setOnHand
                try setOnHand.bind(1, node)
                try setOnHand.bind(2, sku)
                try setOnHand.bind(3, after)
                try setOnHand.bind(4, asOf ?? importedAt)
                try setOnHand.execute()
                try movement(
                    node: node, sku: sku, kind: "delta", quantity: change, after: after, asOf: asOf, record: record)
            }
            let touched = planned.count
            return .applied(touched)
        default:
            return .applied(0)
        }
    }

    private func movement(
        node: String, sku: String, kind: String, quantity: Int, after: Int, asOf: String?, record: Int
    )
        throws
    {
        let insert = try noticeStatements().insertMovement
        try insert.bind(1, node)
        try insert.bind(2, sku)
        try insert.bind(3, kind)
        try insert.bind(4, quantity)
        try insert.bind(5, after)
        try insert.bind(6, asOf)
        try insert.bind(7, fileID)
        try insert.bind(8, record)
        try insert.execute()
    }
}
