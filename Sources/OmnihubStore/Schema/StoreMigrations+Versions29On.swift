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
    }
}
