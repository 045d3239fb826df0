import GRDB
import GRDBSQLite
import OmnihubCore

/// The statements recording a part's customer notifications runs once per message (is it told
/// already, record it and its file, point its shipments at it), prepared once per part and bound
/// through SQLite's C API.
struct NotificationStatements {
    let find: SQLiteStatement
    let insert: SQLiteStatement
    let insertPending: PendingDocumentStatements
    let coverShipment: SQLiteStatement

    init(_ db: Database) throws {
        find = try SQLiteStatement(
            db, "SELECT id FROM customer_notifications WHERE order_id = ? AND event = ? AND reference = ?")
        insert = try SQLiteStatement(
            db,
            """
            INSERT INTO customer_notifications (order_id, event, reference, document_id, created_at)
            VALUES (?, ?, ?, ?, ?)
            """)
        insertPending = try PendingDocumentStatements(db)
        coverShipment = try SQLiteStatement(
            db, "UPDATE shipments SET notification_id = ? WHERE id = ? AND notification_id IS NULL")
    }

    /// The id of the notification recorded for the request's order, event and reference, if any.
    func recorded(_ request: NotificationRequest) throws -> Int64? {
        try find.bind(1, request.orderID)
        try find.bind(2, request.event.rawValue)
        try find.bind(3, request.reference)
        var id: Int64?
        try find.query { row in
            id = sqlite3_column_int64(row, 0)
            return false
        }
        return id
    }

    /// Records the notification (with `shared`, or its own file when it has one) unless the same
    /// order, event and reference is recorded already; returns its id and its own file.
    func record(
        _ request: NotificationRequest, _ rendered: RenderedDocument?, to destination: String, at time: Timestamp,
        in shared: OutboundDocument?
    ) throws -> (id: Int64, document: OutboundDocument?) {
        if let existing = try recorded(request) { return (existing, nil) }
        let document = try rendered.map {
            try shared
                ?? Outbox.recordPending(
                    kind: .customerNotification, destination: destination, $0, at: time, with: insertPending)
        }
        try insert.bind(1, request.orderID)
        try insert.bind(2, request.event.rawValue)
        try insert.bind(3, request.reference)
        try insert.bind(4, document?.id)
        try insert.bind(5, time.description)
        try insert.execute()
        return (insert.lastInsertedRowID, document)
    }

    /// Points shipment `id` at notification `notification`; false when another run told of it.
    func cover(shipment id: Int64, with notification: Int64) throws -> Bool {
        try coverShipment.bind(1, notification)
        try coverShipment.bind(2, id)
        try coverShipment.execute()
        return coverShipment.changes == 1
    }
}
