import Foundation
import GRDB
import GRDBSQLite
package import OmnihubCore

/// One file's import, inside the single transaction that records the file, its orders, its errors
/// and their lineage together: either all of it is committed or none of it.
package struct FileImport {
    let db: Database
    /// The file's id in the ledger.
    package let fileID: Int64
    let importedAt: String

    let cache = StatementCache()

    init(db: Database, fileID: Int64, importedAt: String) {
        self.db = db
        self.fileID = fileID
        self.importedAt = importedAt
    }

    /// What became of an order offered to the store.
    package enum OrderOutcome: Sendable, Hashable {
        /// New: stored under this id.
        case imported(Int64)
        /// Already stored with the same content (a re-send): nothing changed.
        case identicalResend(Int64)
        /// Already stored with other content: the stored order stays, the re-send is reported.
        case changedResend(Int64)
    }

    /// Stores a notice (stock report, shipment, rejection, pickup, return, cancellation) for the
    /// steps that give it meaning; one with a partner reference already stored is not stored again.
    package func add(_ notice: InboundNotice) throws -> OrderOutcome {
        var content = notice
        content.source = nil
        let document = content.canonicalJSON()
        let statements = try noticeStatements()
        if let reference = notice.reference {
            let find = statements.findNotice
            try find.bind(1, notice.kind.rawValue)
            try find.bind(2, notice.channel ?? "")
            try find.bind(3, notice.node ?? "")
            try find.bind(4, reference)
            var existing: (id: Int64, identical: Bool)?
            try find.query { row in
                existing = (
                    sqlite3_column_int64(row, 0), SQLiteStatement.text(row, 1)?.utf8.elementsEqual(document) == true
                )
                return false
            }
            if let existing { return existing.identical ? .identicalResend(existing.id) : .changedResend(existing.id) }
        }
        let insert = statements.insertNotice
        try insert.bind(1, notice.kind.rawValue)
        try insert.bind(2, notice.channel)
        try insert.bind(3, notice.externalID)
        try insert.bind(4, notice.node)
        try insert.bind(5, notice.reference)
        try insert.bind(6, notice.occurredAt?.description)
        try insert.bind(7, bytes: document)
        try insert.bind(8, fileID)
        try insert.bind(9, Int64(notice.source?.record ?? 0))
        try insert.bind(10, notice.source?.line.map(Int64.init))
        try insert.bind(11, importedAt)
        try insert.execute()
        return .imported(insert.lastInsertedRowID)
    }

    /// Stores `order` unless an order with its channel and external id exists; a re-send is
    /// recorded in the order's lineage, as identical or changed.
    package func add(_ order: Order) throws -> OrderOutcome {
        try add(StorableOrder(order))
    }

    /// Stores an order whose stored form was rendered beforehand, on another thread.
    package func add(_ storable: StorableOrder) throws -> OrderOutcome {
        let order = storable.order
        let document = storable.document
        let statements = try self.statements()
        let insert = statements.insertOrder
        try insert.bind(1, order.channel)
        try insert.bind(2, order.externalID)
        try insert.bind(3, order.placedAt.description)
        try insert.bind(4, order.currency.code)
        try insert.bind(5, order.customer.name)
        try insert.bind(6, order.shipTo?.country)
        try insert.bind(7, order.delivery.method.rawValue)
        if storable.compressed {
            try insert.bind(8, blob: storable.stored)
        } else {
            try insert.bind(8, bytes: storable.stored)
        }
        try insert.bind(9, fileID)
        try insert.bind(10, Int64(order.source?.record ?? 0))
        try insert.bind(11, order.source?.line.map(Int64.init))
        try insert.bind(12, importedAt)
        try insert.execute()
        guard insert.changes == 1 else { return try resent(order, document: document, statements: statements) }
        let orderID = insert.lastInsertedRowID
        let insertLine = statements.insertLine
        for (index, line) in order.lines.enumerated() {
            try insertLine.bind(1, orderID)
            try insertLine.bind(2, Int64(index + 1))
            try insertLine.bind(3, line.lineID)
            try insertLine.bind(4, line.sku)
            try insertLine.bind(5, line.gtin)
            try insertLine.bind(6, line.title)
            try insertLine.bind(7, Int64(line.quantity))
            try insertLine.bind(8, line.unitPrice.description)
            try insertLine.bind(9, line.taxRate?.description)
            try insertLine.execute()
        }
        return .imported(orderID)
    }

    private func resent(_ order: Order, document: [UInt8], statements: BulkStatements) throws -> OrderOutcome {
        // A stored document that cannot be read back is not the same as this one.
        var existing: (id: Int64, document: [UInt8]?, fileID: Int64)?
        try statements.findOrder.bind(1, order.channel)
        try statements.findOrder.bind(2, order.externalID)
        try statements.findOrder.query { row in
            existing = (
                sqlite3_column_int64(row, 0), try? SQLiteStatement.storedDocument(row, 1), sqlite3_column_int64(row, 2)
            )
            return false
        }
        guard let existing else {
            throw StoreError(
                .database, path: db.filePath, message: "order \(order.externalID) conflicted but cannot be found")
        }
        let identical = existing.document == document
        // The same file mapped again (after a fix) meets the orders it imported the first time.
        if existing.fileID == fileID && identical { return .identicalResend(existing.id) }
        let lineage = statements.insertLineage
        try lineage.bind(1, existing.id)
        try lineage.bind(2, fileID)
        try lineage.bind(3, Int64(order.source?.record ?? 0))
        try lineage.bind(4, order.source?.line.map(Int64.init))
        try lineage.bind(5, identical ? "identical_resend" : "changed_resend")
        try lineage.execute()
        return identical ? .identicalResend(existing.id) : .changedResend(existing.id)
    }

    private func statements() throws -> BulkStatements {
        if let prepared = cache.statements { return prepared }
        let prepared = BulkStatements(
            insertOrder: try SQLiteStatement(
                db,
                """
                INSERT INTO orders (channel, external_id, placed_at, currency, customer_name, ship_to_country,
                    delivery_method, document, file_id, record, line, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel, external_id) DO NOTHING
                """, path: db.filePath),
            insertLine: try SQLiteStatement(
                db,
                """
                INSERT INTO order_lines (order_id, position, line_id, sku, gtin, title, quantity, unit_price, tax_rate)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, path: db.filePath),
            findOrder: try SQLiteStatement(
                db, "SELECT id, document, file_id FROM orders WHERE channel = ? AND external_id = ?", path: db.filePath),
            insertLineage: try SQLiteStatement(
                db, "INSERT INTO order_lineage (order_id, file_id, record, line, outcome) VALUES (?, ?, ?, ?, ?)",
                path: db.filePath))
        cache.statements = prepared
        return prepared
    }

    /// The statements of notices, prepared on the file's first notice.
    func noticeStatements() throws -> NoticeStatements {
        if let prepared = cache.notices { return prepared }
        let prepared = try NoticeStatements(db)
        cache.notices = prepared
        return prepared
    }

    /// Records issues against the file.
    package func report(_ issues: [MappingIssue]) throws {
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
}

/// The counts a finished import writes into the ledger.
package struct FileImportCounts: Sendable, Hashable, Codable {
    package var records = 0
    package var ordersImported = 0
    package var ordersAlreadyKnown = 0
    package var ordersRejected = 0
    package var errors = 0

    /// Zero counts.
    package init() {}
}

/// The prepared statements of one file's import.
struct BulkStatements {
    let insertOrder: SQLiteStatement
    let insertLine: SQLiteStatement
    let findOrder: SQLiteStatement
    let insertLineage: SQLiteStatement
}

/// Holds the statements once prepared, for the value-typed ``FileImport``.
final class StatementCache {
    var statements: BulkStatements?
    var notices: NoticeStatements?
    /// The sales channels of the stored orders, read once per file for notices that name none.
    var channels: [String]?
}

/// An order with the compact document the store keeps, rendered and compressed where there is a
/// core to spare.
///
/// A class: handing one from the mapping thread to the store copies a reference, where copying the
/// value retained each of the order's strings and arrays, and dropping it released each again.
package final class StorableOrder: Sendable {
    /// The order.
    package let order: Order
    /// Its canonical JSON without source and nulls.
    package let document: [UInt8]
    /// The document as `orders.document` keeps it (``StoredOrderDocument``).
    let stored: [UInt8]
    /// Whether ``stored`` is compressed (a blob) or the JSON itself (text).
    let compressed: Bool

    /// Renders the stored form of `order`.
    package init(_ order: Order) {
        self.order = order
        self.document = order.canonicalJSON(includingSource: false, compact: true)
        (stored, compressed) = StoredOrderDocument.stored(document)
    }
}
