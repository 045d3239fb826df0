import GRDB

extension StoreMigrations {
    /// v29 on: what the web console and the partner portal read.
    static func registerVersions29On(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v29: orders by day, channel and status; the orders handed to a node") { db in
            try db.execute(
                sql: """
                    -- How many orders imported on a day (UTC) are in each status, per channel: the
                    -- console's dashboard reads a handful of rows instead of a peak day's orders.
                    -- Kept by the triggers below in the transaction that changes an order.
                    CREATE TABLE order_counts (
                        day TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        status TEXT NOT NULL,
                        orders INTEGER NOT NULL,
                        PRIMARY KEY (day, channel, status)
                    ) WITHOUT ROWID;
                    INSERT INTO order_counts (day, channel, status, orders)
                        SELECT substr(imported_at, 1, 10), channel, status, COUNT(*) FROM orders GROUP BY 1, 2, 3;
                    CREATE TRIGGER order_counts_on_insert AFTER INSERT ON orders BEGIN
                        INSERT INTO order_counts (day, channel, status, orders)
                            VALUES (substr(NEW.imported_at, 1, 10), NEW.channel, NEW.status, 1)
                            ON CONFLICT (day, channel, status) DO UPDATE SET orders = orders + 1;
                    END;
                    CREATE TRIGGER order_counts_on_update AFTER UPDATE OF status, channel, imported_at ON orders
                        WHEN OLD.status IS NOT NEW.status OR OLD.channel IS NOT NEW.channel
                            OR substr(OLD.imported_at, 1, 10) IS NOT substr(NEW.imported_at, 1, 10)
                    BEGIN
                        UPDATE order_counts SET orders = orders - 1
                            WHERE day = substr(OLD.imported_at, 1, 10) AND channel = OLD.channel AND status = OLD.status;
                        INSERT INTO order_counts (day, channel, status, orders)
                            VALUES (substr(NEW.imported_at, 1, 10), NEW.channel, NEW.status, 1)
                            ON CONFLICT (day, channel, status) DO UPDATE SET orders = orders + 1;
                    END;
                    CREATE TRIGGER order_counts_on_delete AFTER DELETE ON orders BEGIN
                        UPDATE order_counts SET orders = orders - 1
                            WHERE day = substr(OLD.imported_at, 1, 10) AND channel = OLD.channel AND status = OLD.status;
                    END;
                    CREATE INDEX fulfilment_lines_by_node ON fulfilment_lines(node, order_id);
                    """)
        }
    }
}
