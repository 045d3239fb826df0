import GRDB

extension StoreMigrations {
    /// v15 to v28: customer notifications, seller cancellations, document numbers, indexes for
    /// what is still to be told, files in hand, stale-decision counters, partners' servers,
    /// returns, refunds and notes, exchanges, open orders, and the prices an order was sourced at.
    static func registerVersions15To28(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15: customer notifications, once per order event") { db in
            try db.execute(
                sql: """
                    CREATE TABLE customer_notifications (
                        id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        event TEXT NOT NULL,
                        reference TEXT NOT NULL,
                        document_id INTEGER REFERENCES outbound_documents(id),
                        created_at TEXT NOT NULL,
                        UNIQUE (order_id, event, reference)
                    );
                    ALTER TABLE shipments ADD COLUMN notification_id INTEGER REFERENCES customer_notifications(id);
                    """)
        }
        migrator.registerMigration("v16: units the seller cancelled, to be told to the sales channel") { db in
            try db.execute(
                sql: """
                    CREATE TABLE seller_cancellations (
                        id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        position INTEGER NOT NULL,
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        reason TEXT,
                        requested_by TEXT NOT NULL,
                        requested_at TEXT NOT NULL,
                        document_id INTEGER REFERENCES outbound_documents(id)
                    );
                    CREATE INDEX seller_cancellations_untold ON seller_cancellations(document_id) WHERE document_id IS NULL;
                    """)
        }
        migrator.registerMigration("v17: find what is still to be told without reading every order") { db in
            try db.execute(
                sql: """
                    CREATE INDEX orders_unacknowledged ON orders(channel) WHERE acknowledgement_document_id IS NULL;
                    CREATE INDEX orders_by_import ON orders(imported_at);
                    CREATE INDEX shipments_unconfirmed ON shipments(id) WHERE confirmation_document_id IS NULL;
                    CREATE INDEX shipments_uninvoiced ON shipments(id) WHERE invoice_id IS NULL;
                    CREATE INDEX shipments_unnotified ON shipments(order_id, id) WHERE notification_id IS NULL;
                    """)
        }
        migrator.registerMigration("v18: the last number of each numbered document kind") { db in
            try db.execute(
                sql: """
                    CREATE TABLE document_sequences (kind TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;
                    INSERT INTO document_sequences (kind, last)
                        SELECT kind, COUNT(*) FROM finance_documents GROUP BY kind;
                    """)
        }
        migrator.registerMigration("v19: find an order by its number alone, for notices that name no channel") { db in
            try db.execute(sql: "CREATE INDEX orders_by_external_id ON orders(external_id)")
        }
        migrator.registerMigration("v20: no index on the order number alone; it slowed every order import") { db in
            // Notices without a channel now try each channel through the (channel, number) index.
            try db.execute(sql: "DROP INDEX IF EXISTS orders_by_external_id")
        }
        migrator.registerMigration("v21: each shipment's channel, to find a channel's unconfirmed shipments alone") {
            db in
            try db.execute(
                sql: """
                    ALTER TABLE shipments ADD COLUMN channel TEXT;
                    UPDATE shipments SET channel = (SELECT channel FROM orders WHERE orders.id = shipments.order_id);
                    DROP INDEX shipments_unconfirmed;
                    CREATE INDEX shipments_unconfirmed ON shipments(channel, id) WHERE confirmation_document_id IS NULL;
                    """)
        }
        migrator.registerMigration("v22: files in hand, so a file the process died on twice is not tried again") { db in
            try db.execute(
                sql: """
                    CREATE TABLE files_in_hand (
                        sha256 TEXT PRIMARY KEY,
                        partner TEXT NOT NULL,
                        inbox_path TEXT NOT NULL,
                        attempts INTEGER NOT NULL,
                        last_started_at TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v23: count changes to what sourcing decides on, so a stale decision is refused") {
            db in
            // New orders are seen by the newest order id; everything else sourcing reads bumps
            // this count, so reservations decided on an older state are not recorded.
            var sql = """
                CREATE TABLE stock_revision (id INTEGER PRIMARY KEY CHECK (id = 1), changes INTEGER NOT NULL);
                INSERT INTO stock_revision (id, changes) VALUES (1, 0);
                """
            let changes = [
                ("stock_levels_inserted", "AFTER INSERT ON stock_levels"),
                ("stock_levels_updated", "AFTER UPDATE ON stock_levels"),
                ("stock_levels_deleted", "AFTER DELETE ON stock_levels"),
                ("reservations_inserted", "AFTER INSERT ON reservations"),
                ("sourcing_exclusions_inserted", "AFTER INSERT ON sourcing_exclusions"),
                ("orders_status_updated", "AFTER UPDATE OF status, document ON orders"),
                ("order_lines_updated", "AFTER UPDATE OF quantity, cancelled, shipped ON order_lines"),
            ]
            for (name, event) in changes {
                sql += """

                    CREATE TRIGGER stock_revision_\(name) \(event)
                    BEGIN UPDATE stock_revision SET changes = changes + 1 WHERE id = 1; END;
                    """
            }
            try db.execute(sql: sql)
        }
        migrator.registerMigration(
            "v24: partners' servers: files seen and fetched, deliveries, endpoint health, switches"
        ) {
            db in
            try db.execute(
                sql: """
                    CREATE TABLE remote_files (
                        endpoint TEXT NOT NULL,
                        name TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        modified INTEGER NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        listings INTEGER NOT NULL,
                        sha256 TEXT,
                        fetched_at TEXT,
                        inbox_path TEXT,
                        settled_at TEXT,
                        PRIMARY KEY (endpoint, name, size, modified)
                    ) WITHOUT ROWID;
                    CREATE INDEX remote_files_unsettled ON remote_files(endpoint) WHERE settled_at IS NULL;
                    CREATE TABLE deliveries (
                        document_id INTEGER NOT NULL REFERENCES outbound_documents(id),
                        endpoint TEXT NOT NULL,
                        remote_name TEXT NOT NULL,
                        delivered_at TEXT NOT NULL,
                        PRIMARY KEY (document_id, endpoint)
                    ) WITHOUT ROWID;
                    CREATE TABLE endpoints (
                        endpoint TEXT PRIMARY KEY,
                        partner TEXT NOT NULL,
                        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
                        last_poll_at TEXT,
                        last_success_at TEXT,
                        last_file_at TEXT,
                        last_error TEXT,
                        last_error_code TEXT,
                        last_error_at TEXT,
                        failures_in_row INTEGER NOT NULL DEFAULT 0,
                        retry_at TEXT,
                        stopped_because TEXT,
                        files INTEGER NOT NULL DEFAULT 0,
                        bytes INTEGER NOT NULL DEFAULT 0,
                        etag TEXT,
                        last_modified TEXT
                    );
                    CREATE TABLE partner_switches (
                        partner TEXT NOT NULL,
                        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
                        state TEXT NOT NULL CHECK (state IN ('on', 'paused', 'disabled', 'dry_run')),
                        changed_at TEXT NOT NULL,
                        PRIMARY KEY (partner, direction)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v25: returns, refunds and notes; stock movements without a file") { db in
            try db.execute(
                sql: """
                    ALTER TABLE order_lines ADD COLUMN returned INTEGER NOT NULL DEFAULT 0;
                    -- Click & collect and reserve: units the customer collected at the pickup store.
                    ALTER TABLE order_lines ADD COLUMN picked_up INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE shipments ADD COLUMN picked_up_at TEXT;
                    ALTER TABLE shipments ADD COLUMN expired_at TEXT;
                    -- A reserve order's units on the pickup shelf: invoiced when they are collected.
                    ALTER TABLE shipments ADD COLUMN awaits_pickup INTEGER NOT NULL DEFAULT 0;
                    -- Units a pickup store booked for its own click & collect or reserve order, until
                    -- they are collected or expire: what each run's pickup check reads, by index.
                    ALTER TABLE shipments ADD COLUMN on_shelf INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE shipments ADD COLUMN collected INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX shipments_on_shelf ON shipments(order_id) WHERE on_shelf = 1;

                    -- Units that came back, from a return notice (file_id) or customer care (entered_by).
                    CREATE TABLE returns (
                        id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        position INTEGER NOT NULL,
                        node TEXT,
                        sku TEXT NOT NULL,
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        condition TEXT,
                        restocked INTEGER NOT NULL CHECK (restocked IN (0, 1)),
                        reason TEXT,
                        reference TEXT,
                        received_at TEXT NOT NULL,
                        file_id INTEGER REFERENCES files(id),
                        record INTEGER,
                        entered_by TEXT,
                        -- Whether the units were invoiced and so are credited (a reserve order that
                        -- was never collected was never invoiced).
                        to_credit INTEGER NOT NULL DEFAULT 1 CHECK (to_credit IN (0, 1)),
                        credit_note_id INTEGER REFERENCES finance_documents(id)
                    );
                    CREATE INDEX returns_by_order ON returns(order_id, position);
                    CREATE INDEX returns_uncredited ON returns(order_id) WHERE credit_note_id IS NULL AND to_credit = 1;

                    -- Money going back to the customer: for units cancelled before they shipped, or a
                    -- credit note's total (returned units, or a credit note issued by hand).
                    CREATE TABLE refunds (
                        id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        cause TEXT NOT NULL CHECK (cause IN ('cancellation', 'credit_note')),
                        reference TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        amount TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        notification_id INTEGER REFERENCES customer_notifications(id),
                        -- The refund document for the payment side (finance.refund_format).
                        document_id INTEGER REFERENCES outbound_documents(id),
                        UNIQUE (order_id, cause, reference)
                    );

                    CREATE INDEX refunds_untold ON refunds(id) WHERE document_id IS NULL;
                    CREATE INDEX refunds_untold_customers ON refunds(id)
                        WHERE cause = 'cancellation' AND notification_id IS NULL;

                    CREATE TABLE order_notes (
                        id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        text TEXT NOT NULL,
                        author TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );

                    -- Care's events have no file: file_id and record may be null, and returns are a kind.
                    CREATE TABLE stock_movements_v25 (
                        id INTEGER PRIMARY KEY,
                        node TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('snapshot', 'delta', 'return')),
                        quantity INTEGER NOT NULL,
                        on_hand_after INTEGER NOT NULL,
                        as_of TEXT,
                        file_id INTEGER REFERENCES files(id),
                        record INTEGER
                    );
                    INSERT INTO stock_movements_v25 SELECT id, node, sku, kind, quantity, on_hand_after, as_of, file_id, record
                        FROM stock_movements;
                    DROP TABLE stock_movements;
                    ALTER TABLE stock_movements_v25 RENAME TO stock_movements;
                    CREATE INDEX stock_movements_by_sku ON stock_movements(sku, node);
                    """)
        }
        migrator.registerMigration(
            "v26: exchanges (replacement orders, the refunds that pay for them); return and cancellation messages"
        ) { db in
            try db.execute(
                sql: """
                    -- A replacement order (`omnihub order exchange`) names the order and line it replaces;
                    -- the channel is never told of it.
                    ALTER TABLE orders ADD COLUMN exchange_of INTEGER REFERENCES orders(id);
                    ALTER TABLE orders ADD COLUMN exchange_position INTEGER;
                    CREATE INDEX orders_exchanges ON orders(exchange_of) WHERE exchange_of IS NOT NULL;
                    -- The replacement order a refund pays for: the payment side settles the difference.
                    ALTER TABLE refunds ADD COLUMN exchange_order_id INTEGER REFERENCES orders(id);
                    -- The customer's return_received message.
                    ALTER TABLE returns ADD COLUMN notification_id INTEGER REFERENCES customer_notifications(id);
                    CREATE INDEX returns_untold ON returns(id) WHERE notification_id IS NULL;
                    -- The channel's return document (partners' return_format).
                    ALTER TABLE returns ADD COLUMN channel_document_id INTEGER REFERENCES outbound_documents(id);
                    CREATE INDEX returns_untold_channels ON returns(id) WHERE channel_document_id IS NULL;
                    -- Every cancellation that took units, for the customer's order_cancelled message
                    -- (with what it refunded, if anything); an exchange's is told by the exchange.
                    CREATE TABLE cancellations (
                        id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        reference TEXT NOT NULL,
                        requested_by TEXT,
                        -- JSON: {"<position>": units, ...}
                        lines TEXT NOT NULL,
                        refunded TEXT NOT NULL,
                        exchange INTEGER NOT NULL DEFAULT 0 CHECK (exchange IN (0, 1)),
                        created_at TEXT NOT NULL,
                        notification_id INTEGER REFERENCES customer_notifications(id)
                    );
                    CREATE INDEX cancellations_untold ON cancellations(id)
                        WHERE notification_id IS NULL AND exchange = 0;
                    """)
        }
        migrator.registerMigration("v27: the open orders, which sourcing reads a batch at a time") { db in
            try db.execute(sql: "CREATE INDEX orders_open ON orders(id) WHERE status = 'open'")
        }
        migrator.registerMigration("v28: the prices of scarce stock and capacity an order was sourced at") { db in
            try db.execute(
                sql: """
                    -- The optimizer's surcharges that concerned an order when it was last sourced, for
                    -- `explain order`: per unit of a SKU at a node, or per parcel from a node (no SKU).
                    CREATE TABLE scarcity_prices (
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        node TEXT NOT NULL,
                        sku TEXT,
                        -- in ten-thousandths of the currency unit
                        surcharge INTEGER NOT NULL CHECK (surcharge > 0),
                        decided_at TEXT NOT NULL
                    );
                    CREATE INDEX scarcity_prices_by_order ON scarcity_prices(order_id);
                    """)
        }
    }
}
