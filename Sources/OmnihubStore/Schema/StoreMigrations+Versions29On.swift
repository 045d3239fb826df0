import GRDB

extension StoreMigrations {
    /// v29 on: what the web console and the partner portal read.
    static func registerVersions29On(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v29: orders by import time with channel and status; the orders handed to a node") {
            db in
            try db.execute(
                sql: """
                    -- The console's dashboard counts the day's orders by channel and status from this
                    -- index alone, without reading the orders; it serves what the narrower index did.
                    DROP INDEX orders_by_import;
                    CREATE INDEX orders_by_import ON orders(imported_at, channel, status);
                    CREATE INDEX fulfilment_lines_by_node ON fulfilment_lines(node, order_id);
                    """)
        }
        migrator.registerMigration("v30: an outbound document's bytes in a table of their own") { db in
            try db.execute(
                sql: """
                    -- Marking a document written changed the length of its row, and SQLite rewrote
                    -- the whole row with it: every invoice's bytes were written to the store twice.
                    CREATE TABLE outbound_document_contents (
                        document_id INTEGER PRIMARY KEY REFERENCES outbound_documents(id),
                        content BLOB NOT NULL
                    );
                    INSERT INTO outbound_document_contents (document_id, content)
                        SELECT id, content FROM outbound_documents;
                    ALTER TABLE outbound_documents DROP COLUMN content;
                    """)
        }
        migrator.registerMigration("v31: reserved units by node and SKU, kept as reservations are written") { db in
            try db.execute(
                sql: """
                    -- Sourcing and the inventory feed added up every reservation the store ever
                    -- held, in every cycle: a third of an idle cycle on a million-order store.
                    CREATE TABLE reserved_stock (
                        node TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        units INTEGER NOT NULL,
                        PRIMARY KEY (node, sku)
                    ) WITHOUT ROWID;
                    INSERT INTO reserved_stock (node, sku, units)
                        SELECT node, sku, SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END)
                        FROM reservations GROUP BY node, sku;
                    CREATE TRIGGER reserved_stock_inserted AFTER INSERT ON reservations
                    BEGIN
                        INSERT INTO reserved_stock (node, sku, units)
                        VALUES (NEW.node, NEW.sku, CASE NEW.kind WHEN 'reserve' THEN NEW.quantity ELSE -NEW.quantity END)
                        ON CONFLICT (node, sku) DO UPDATE SET units = units + excluded.units;
                    END;
                    CREATE TRIGGER reserved_stock_deleted AFTER DELETE ON reservations
                    BEGIN
                        UPDATE reserved_stock
                        SET units = units - CASE OLD.kind WHEN 'reserve' THEN OLD.quantity ELSE -OLD.quantity END
                        WHERE node = OLD.node AND sku = OLD.sku;
                    END;
                    CREATE TRIGGER reserved_stock_updated AFTER UPDATE OF node, sku, quantity, kind ON reservations
                    BEGIN
                        UPDATE reserved_stock
                        SET units = units - CASE OLD.kind WHEN 'reserve' THEN OLD.quantity ELSE -OLD.quantity END
                        WHERE node = OLD.node AND sku = OLD.sku;
                        INSERT INTO reserved_stock (node, sku, units)
                        VALUES (NEW.node, NEW.sku, CASE NEW.kind WHEN 'reserve' THEN NEW.quantity ELSE -NEW.quantity END)
                        ON CONFLICT (node, sku) DO UPDATE SET units = units + excluded.units;
                    END;
                    """)
        }
        migrator.registerMigration("v32: the orders whose fulfilment is settled, so a cycle plans only the rest") {
            db in
            // The fulfilment plan read every order with reservations in every cycle: most of an
            // idle cycle on a large store. `through`: every order up to it had nothing to hand over
            // when last planned. A change that can give an order units to hand over again lowers
            // it below that order and counts in `changes`, which a run compares before it moves
            // `through` on. Hand-overs themselves (fulfilment lines inserted), releases and what
            // only marks a cancellation as told leave it as it is.
            var sql = """
                CREATE TABLE fulfilment_settled (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    through INTEGER NOT NULL,
                    changes INTEGER NOT NULL
                );
                INSERT INTO fulfilment_settled (id, through, changes) VALUES (1, 0, 0);
                """
            let unsettling = [
                ("reservation_reserved", "AFTER INSERT ON reservations WHEN NEW.kind = 'reserve'", "NEW.order_id"),
                ("reservation_deleted", "AFTER DELETE ON reservations", "OLD.order_id"),
                (
                    "reservation_updated",
                    "AFTER UPDATE OF order_id, position, node, sku, quantity, kind ON reservations",
                    "MIN(OLD.order_id, NEW.order_id)"
                ),
                ("hand_over_deleted", "AFTER DELETE ON fulfilment_lines", "OLD.order_id"),
                (
                    "hand_over_updated", "AFTER UPDATE OF order_id, position, node, sku, quantity ON fulfilment_lines",
                    "MIN(OLD.order_id, NEW.order_id)"
                ),
                ("cancellation_inserted", "AFTER INSERT ON fulfilment_cancellations", "NEW.order_id"),
                ("cancellation_deleted", "AFTER DELETE ON fulfilment_cancellations", "OLD.order_id"),
                (
                    "cancellation_updated",
                    "AFTER UPDATE OF order_id, position, node, sku, quantity ON fulfilment_cancellations",
                    "MIN(OLD.order_id, NEW.order_id)"
                ),
            ]
            for (name, event, order) in unsettling {
                sql += """

                    CREATE TRIGGER fulfilment_unsettled_by_\(name) \(event)
                    BEGIN
                        UPDATE fulfilment_settled SET through = MIN(through, \(order) - 1), changes = changes + 1
                        WHERE id = 1;
                    END;
                    """
            }
            try db.execute(sql: sql)
        }
        migrator.registerMigration("v33: the orders whose confirmation is settled, so a cycle looks only at newer ones")
        {
            db in
            // Every cycle looked at each order of the confirmation window (24 hours by default)
            // for a confirmation not sent yet: a peak day's every order, in every idle cycle.
            try db.execute(
                sql: """
                    CREATE TABLE confirmations_settled (id INTEGER PRIMARY KEY CHECK (id = 1), through INTEGER NOT NULL);
                    INSERT INTO confirmations_settled (id, through) VALUES (1, 0);
                    """)
        }
        migrator.registerMigration("v34: the documents still to write and the shipments still to invoice, indexed") {
            db in
            // Every cycle looked for both by reading every outbound document and every shipment
            // the store held; these hold only the few that are still open.
            try db.execute(
                sql: """
                    CREATE INDEX outbound_documents_pending ON outbound_documents(id) WHERE status = 'pending';
                    CREATE INDEX shipments_to_invoice ON shipments(order_id) WHERE invoice_id IS NULL AND awaits_pickup = 0;
                    """)
        }
        migrator.registerMigration("v35: an outbound document's bytes may be kept compressed") { db in
            // A peak day's invoices were most of what the store wrote; Zstandard keeps about a
            // third of them (StoredContent). The bytes recorded before stay as they are.
            try db.execute(sql: "ALTER TABLE outbound_document_contents ADD COLUMN compression TEXT")
        }
    }
}
