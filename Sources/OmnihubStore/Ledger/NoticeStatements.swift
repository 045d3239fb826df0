import GRDB
import GRDBSQLite

/// The statements a file of notices runs once per record (a shipment report books every parcel
/// with them), prepared once per file and bound through SQLite's C API: GRDB's argument boxing,
/// row decoding and statement-cache lookup by SQL text cost as much as SQLite's own work here.
struct NoticeStatements {
    let findNotice: SQLiteStatement
    let insertNotice: SQLiteStatement
    let findOrder: SQLiteStatement
    let shippedLines: SQLiteStatement
    let insertRelease: SQLiteStatement
    let addShipped: SQLiteStatement
    let insertShipment: SQLiteStatement
    let setOrderStatus: SQLiteStatement
    let latestSnapshot: SQLiteStatement
    let onHand: SQLiteStatement
    let setOnHand: SQLiteStatement
    let insertMovement: SQLiteStatement

    init(_ db: Database) throws {
        let path = db.filePath
        findNotice = try SQLiteStatement(
            db,
            """
            SELECT id, document FROM notices WHERE kind = ? AND COALESCE(channel, '') = ?
                AND COALESCE(node, '') = ? AND reference = ?
            """, path: path)
        insertNotice = try SQLiteStatement(
            db,
            """
            INSERT INTO notices (kind, channel, external_id, node, reference, occurred_at, document, file_id,
                record, line, imported_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, path: path)
        findOrder = try SQLiteStatement(
            db, "SELECT id, channel, delivery_method FROM orders WHERE channel = ? AND external_id = ?", path: path)
        shippedLines = try SQLiteStatement(
            db,
            """
            SELECT l.position, l.line_id, l.sku, l.quantity, l.cancelled + l.shipped,
                (SELECT SUM(CASE r.kind WHEN 'reserve' THEN r.quantity ELSE -r.quantity END) FROM reservations r
                 WHERE r.order_id = l.order_id AND r.position = l.position AND r.node = ?)
            FROM order_lines l WHERE l.order_id = ? ORDER BY l.position
            """, path: path)
        insertRelease = try SQLiteStatement(
            db,
            """
            INSERT INTO reservations (node, sku, order_id, position, quantity, kind, run_at)
            VALUES (?, ?, ?, ?, ?, 'release', ?)
            """, path: path)
        addShipped = try SQLiteStatement(
            db, "UPDATE order_lines SET shipped = shipped + ? WHERE order_id = ? AND position = ?", path: path)
        insertShipment = try SQLiteStatement(
            db,
            """
            INSERT INTO shipments (order_id, position, node, sku, quantity, carrier, service, tracking_number,
                                   shipped_at, file_id, record, channel, awaits_pickup, on_shelf)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, path: path)
        setOrderStatus = try SQLiteStatement(db, "UPDATE orders SET status = ? WHERE id = ?", path: path)
        latestSnapshot = try SQLiteStatement(db, "SELECT as_of FROM stock_snapshots WHERE node = ?", path: path)
        onHand = try SQLiteStatement(db, "SELECT on_hand FROM stock_levels WHERE node = ? AND sku = ?", path: path)
        setOnHand = try SQLiteStatement(
            db,
            """
            INSERT INTO stock_levels (node, sku, on_hand, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (node, sku) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at
            """, path: path)
        insertMovement = try SQLiteStatement(
            db,
            """
            INSERT INTO stock_movements (node, sku, kind, quantity, on_hand_after, as_of, file_id, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, path: path)
    }
}
