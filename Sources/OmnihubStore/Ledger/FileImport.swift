import Foundation
import GRDB
public import OmnihubCore

/// One file's import, inside the single transaction that records the file, its orders, its errors
/// and their lineage together: either all of it is committed or none of it.
public struct FileImport {
    let db: Database
    /// The file's id in the ledger.
    public let fileID: Int64
    let importedAt: String
    private let encoder: JSONEncoder

    init(db: Database, fileID: Int64, importedAt: String) {
        self.db = db
        self.fileID = fileID
        self.importedAt = importedAt
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// What became of an order offered to the store.
    public enum OrderOutcome: Sendable, Hashable {
        /// New: stored under this id.
        case imported(Int64)
        /// Already stored with the same content (a re-send): nothing changed.
        case identicalResend(Int64)
        /// Already stored with other content: the stored order stays, the re-send is reported.
        case changedResend(Int64)
    }

    /// Stores a notice (stock report, shipment, rejection, pickup, return, cancellation) for the
    /// steps that give it meaning; one with a partner reference already stored is not stored again.
    public func add(_ notice: InboundNotice) throws -> OrderOutcome {
        var content = notice
        content.source = nil
        let document = String(decoding: try encoder.encode(content), as: UTF8.self)
        if let reference = notice.reference,
            let existing = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, document FROM notices WHERE kind = ? AND COALESCE(channel, '') = ?
                        AND COALESCE(node, '') = ? AND reference = ?
                    """,
                arguments: [notice.kind.rawValue, notice.channel ?? "", notice.node ?? "", reference])
        {
            let id: Int64 = existing["id"]
            return (existing["document"] as String) == document ? .identicalResend(id) : .changedResend(id)
        }
        try db.execute(
            sql: """
                INSERT INTO notices (kind, channel, external_id, node, reference, occurred_at, document, file_id,
                    record, line, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                notice.kind.rawValue, notice.channel, notice.externalID, notice.node, notice.reference,
                notice.occurredAt?.description, document, fileID, notice.source?.record ?? 0, notice.source?.line,
                importedAt,
            ])
        return .imported(db.lastInsertedRowID)
    }

    /// Stores `order` unless an order with its channel and external id exists; records lineage either way.
    public func add(_ order: Order) throws -> OrderOutcome {
        var content = order
        content.source = nil
        let document = try encoder.encode(content)
        let hash = SHA256.hex(of: document)
        let record = order.source?.record ?? 0
        let line = order.source?.line
        if let existing = try Row.fetchOne(
            db, sql: "SELECT id, content_sha256 FROM orders WHERE channel = ? AND external_id = ?",
            arguments: [order.channel, order.externalID])
        {
            let id: Int64 = existing["id"]
            let identical = (existing["content_sha256"] as String) == hash
            try db.execute(
                sql: "INSERT INTO order_lineage (order_id, file_id, record, line, outcome) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, fileID, record, line, identical ? "identical_resend" : "changed_resend"])
            return identical ? .identicalResend(id) : .changedResend(id)
        }
        try db.execute(
            sql: """
                INSERT INTO orders (channel, external_id, placed_at, currency, customer_name, ship_to_country,
                    delivery_method, content_sha256, document, file_id, record, line, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                order.channel, order.externalID, order.placedAt.description, order.currency.code,
                order.customer.name, order.shipTo?.country, order.delivery.method.rawValue, hash,
                String(decoding: document, as: UTF8.self), fileID, record, line, importedAt,
            ])
        let orderID = db.lastInsertedRowID
        let insertLine = try db.cachedStatement(
            sql: """
                INSERT INTO order_lines (order_id, position, line_id, sku, gtin, title, quantity, unit_price, tax_rate)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (index, orderLine) in order.lines.enumerated() {
            try insertLine.execute(arguments: [
                orderID, index + 1, orderLine.lineID, orderLine.sku, orderLine.gtin, orderLine.title,
                orderLine.quantity, orderLine.unitPrice.description, orderLine.taxRate?.description,
            ])
        }
        try db.execute(
            sql: "INSERT INTO order_lineage (order_id, file_id, record, line, outcome) VALUES (?, ?, ?, ?, 'imported')",
            arguments: [orderID, fileID, record, line])
        return .imported(orderID)
    }

    /// Records issues against the file.
    public func report(_ issues: [MappingIssue]) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO import_errors (file_id, code, record, line, "column", field, source, value, message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for issue in issues {
            try insert.execute(arguments: [
                fileID, issue.code.rawValue, issue.record, issue.line, issue.column, issue.field, issue.source,
                issue.value, issue.message,
            ])
        }
    }

    /// Runs `work` so that everything it stores can be undone, for files that are all-or-nothing.
    ///
    /// - Returns: whether the work was kept.
    public func undoable(_ work: () throws -> Bool) throws -> Bool {
        var kept = false
        try db.inSavepoint {
            kept = try work()
            return kept ? .commit : .rollback
        }
        return kept
    }
}

/// The counts a finished import writes into the ledger.
public struct FileImportCounts: Sendable, Hashable, Codable {
    public var records = 0
    public var ordersImported = 0
    public var ordersAlreadyKnown = 0
    public var ordersRejected = 0
    public var errors = 0

    /// Zero counts.
    public init() {}
}
