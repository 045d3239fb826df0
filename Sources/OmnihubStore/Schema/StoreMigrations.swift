import GRDB

/// The store's schema, one migration per version; a migration once shipped is never edited.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: file ledger, orders, lines, import errors, lineage") { db in
            try db.execute(
                sql: """
                    CREATE TABLE files (
                        id INTEGER PRIMARY KEY,
                        partner TEXT NOT NULL,
                        feed TEXT NOT NULL,
                        name TEXT NOT NULL,
                        inbox_path TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        modified_at TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('importing', 'imported', 'quarantined', 'duplicate')),
                        received_at TEXT NOT NULL,
                        stored_path TEXT NOT NULL,
                        duplicate_of INTEGER REFERENCES files(id),
                        records INTEGER NOT NULL DEFAULT 0,
                        orders_imported INTEGER NOT NULL DEFAULT 0,
                        orders_already_known INTEGER NOT NULL DEFAULT 0,
                        orders_rejected INTEGER NOT NULL DEFAULT 0,
                        errors INTEGER NOT NULL DEFAULT 0
                    );
                    -- The same bytes are imported once; a duplicate is recorded beside the original.
                    CREATE UNIQUE INDEX files_by_content ON files(sha256) WHERE status != 'duplicate';
                    CREATE INDEX files_by_partner ON files(partner, received_at);

                    CREATE TABLE orders (
                        id INTEGER PRIMARY KEY,
                        channel TEXT NOT NULL,
                        external_id TEXT NOT NULL,
                        placed_at TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        customer_name TEXT,
                        ship_to_country TEXT,
                        delivery_method TEXT NOT NULL,
                        status TEXT NOT NULL DEFAULT 'open',
                        -- The canonical order without its source and without null fields; a re-send is
                        -- compared with it.
                        document TEXT NOT NULL,
                        file_id INTEGER NOT NULL REFERENCES files(id),
                        record INTEGER NOT NULL,
                        line INTEGER,
                        imported_at TEXT NOT NULL,
                        UNIQUE (channel, external_id)
                    );

                    CREATE TABLE order_lines (
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        position INTEGER NOT NULL,
                        line_id TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        gtin TEXT,
                        title TEXT,
                        quantity INTEGER NOT NULL CHECK (quantity >= 1),
                        unit_price TEXT NOT NULL,
                        tax_rate TEXT,
                        PRIMARY KEY (order_id, position)
                    ) WITHOUT ROWID;

                    CREATE TABLE import_errors (
                        id INTEGER PRIMARY KEY,
                        file_id INTEGER NOT NULL REFERENCES files(id),
                        code TEXT NOT NULL,
                        record INTEGER,
                        line INTEGER,
                        "column" INTEGER,
                        field TEXT,
                        source TEXT,
                        value TEXT,
                        message TEXT NOT NULL
                    );
                    CREATE INDEX import_errors_by_file ON import_errors(file_id);

                    -- Every later file and record that carried an order already imported (its first file
                    -- and record are on the order itself).
                    CREATE TABLE order_lineage (
                        id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        file_id INTEGER NOT NULL REFERENCES files(id),
                        record INTEGER NOT NULL,
                        line INTEGER,
                        outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'identical_resend', 'changed_resend'))
                    );
                    CREATE INDEX order_lineage_by_order ON order_lineage(order_id);
                    """)
        }
        migrator.registerMigration("v2: inbound notices (stock reports, shipments, rejections, returns, cancellations)")
        { db in
            try db.execute(
                sql: """
                    CREATE TABLE notices (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        channel TEXT,
                        external_id TEXT,
                        node TEXT,
                        reference TEXT,
                        occurred_at TEXT,
                        status TEXT NOT NULL DEFAULT 'received',
                        document TEXT NOT NULL,
                        file_id INTEGER NOT NULL REFERENCES files(id),
                        record INTEGER NOT NULL,
                        line INTEGER,
                        imported_at TEXT NOT NULL
                    );
                    -- A partner's document number (shipment, return, stock report) is taken once.
                    CREATE UNIQUE INDEX notices_by_reference
                        ON notices(kind, COALESCE(channel, ''), COALESCE(node, ''), reference)
                        WHERE reference IS NOT NULL;
                    CREATE INDEX notices_by_order ON notices(channel, external_id);
                    CREATE INDEX notices_by_kind ON notices(kind, status);
                    """)
        }
        migrator.registerMigration("v3: when a quarantined file was mapped again") { db in
            try db.execute(sql: "ALTER TABLE files ADD COLUMN reprocessed_at TEXT")
        }
        migrator.registerMigration("v4: on-hand stock per node and SKU, with its movements") { db in
            try db.execute(
                sql: """
                    -- What each node has on hand, as its last snapshot and the deltas since say.
                    CREATE TABLE stock_levels (
                        node TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        on_hand INTEGER NOT NULL,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (node, sku)
                    ) WITHOUT ROWID;
                    CREATE INDEX stock_levels_by_sku ON stock_levels(sku);

                    -- The as-of time of each node's latest snapshot: older snapshots and deltas are
                    -- already in it.
                    CREATE TABLE stock_snapshots (
                        node TEXT PRIMARY KEY,
                        as_of TEXT NOT NULL,
                        file_id INTEGER NOT NULL REFERENCES files(id)
                    );

                    -- Every change to on-hand, append-only.
                    CREATE TABLE stock_movements (
                        id INTEGER PRIMARY KEY,
                        node TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('snapshot', 'delta')),
                        quantity INTEGER NOT NULL,
                        on_hand_after INTEGER NOT NULL,
                        as_of TEXT,
                        file_id INTEGER NOT NULL REFERENCES files(id),
                        record INTEGER NOT NULL
                    );
                    CREATE INDEX stock_movements_by_sku ON stock_movements(sku, node);
                    """)
        }
        migrator.registerMigration("v5: reservations of stock for order lines") { db in
            try db.execute(
                sql: """
                    -- Append-only: a reservation is undone by a release of the same quantity.
                    CREATE TABLE reservations (
                        id INTEGER PRIMARY KEY,
                        node TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        position INTEGER NOT NULL,
                        quantity INTEGER NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('reserve', 'release')),
                        run_at TEXT NOT NULL
                    );
                    CREATE INDEX reservations_by_stock ON reservations(sku, node);
                    CREATE INDEX reservations_by_line ON reservations(order_id, position);
                    """)
        }
        migrator.registerMigration("v6: nodes that rejected an order line") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sourcing_exclusions (
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        node TEXT NOT NULL,
                        file_id INTEGER NOT NULL REFERENCES files(id),
                        PRIMARY KEY (order_id, node)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v7: cancelled units per order line") { db in
            try db.execute(sql: "ALTER TABLE order_lines ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v8: outbound documents and the reservations each fulfilment order released") { db in
            try db.execute(
                sql: """
                    -- Every file omnihub emits: recorded with its bytes before it is written, so a crash
                    -- between the two writes the same bytes later, never different ones, never twice.
                    CREATE TABLE outbound_documents (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        destination TEXT NOT NULL,
                        number TEXT NOT NULL UNIQUE,
                        path TEXT NOT NULL UNIQUE,
                        content BLOB NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'written')),
                        created_at TEXT NOT NULL,
                        written_at TEXT
                    );
                    CREATE TABLE fulfilment_lines (
                        document_id INTEGER NOT NULL REFERENCES outbound_documents(id),
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        position INTEGER NOT NULL,
                        node TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        quantity INTEGER NOT NULL
                    );
                    CREATE INDEX fulfilment_lines_by_order ON fulfilment_lines(order_id, position, node);
                    """)
        }
        migrator.registerMigration("v9: cancellations of units already handed to a node") { db in
            try db.execute(
                sql: """
                    -- Units a cancellation took back after a fulfilment order had handed them to the node:
                    -- the node must be told. document_id is set once a fulfilment cancellation carries them.
                    CREATE TABLE fulfilment_cancellations (
                        id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        position INTEGER NOT NULL,
                        node TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        reason TEXT,
                        requested_at TEXT NOT NULL,
                        document_id INTEGER REFERENCES outbound_documents(id)
                    );
                    CREATE INDEX fulfilment_cancellations_by_order ON fulfilment_cancellations(order_id, position, node);
                    """)
        }
        migrator.registerMigration("v10: shipped units per order line, and each shipment with its tracking") { db in
            try db.execute(
                sql: """
                    ALTER TABLE order_lines ADD COLUMN shipped INTEGER NOT NULL DEFAULT 0;
                    -- What a node confirmed as shipped, per order line: consumed its reservation and
                    -- left the node's stock; carrier and tracking go on to the marketplace.
                    CREATE TABLE shipments (
                        id INTEGER PRIMARY KEY,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        position INTEGER NOT NULL,
                        node TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        carrier TEXT,
                        tracking_number TEXT,
                        shipped_at TEXT NOT NULL,
                        file_id INTEGER NOT NULL REFERENCES files(id),
                        record INTEGER NOT NULL
                    );
                    CREATE INDEX shipments_by_order ON shipments(order_id, position);
                    """)
        }
        migrator.registerMigration("v11: the shipping confirmation that told the channel of a shipment") { db in
            try db.execute(
                sql: """
                    ALTER TABLE shipments ADD COLUMN service TEXT;
                    ALTER TABLE shipments ADD COLUMN confirmation_document_id INTEGER REFERENCES outbound_documents(id);
                    """)
        }
        migrator.registerMigration("v12: the quantity each channel was last told it may sell, per SKU") { db in
            try db.execute(
                sql: """
                    CREATE TABLE inventory_feed_levels (
                        channel TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        quantity INTEGER NOT NULL,
                        document_id INTEGER NOT NULL REFERENCES outbound_documents(id),
                        PRIMARY KEY (channel, sku)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v13: the acknowledgement that told the channel omnihub has an order") { db in
            try db.execute(
                sql:
                    "ALTER TABLE orders ADD COLUMN acknowledgement_document_id INTEGER REFERENCES outbound_documents(id)"
            )
        }
        migrator.registerMigration("v14: invoices and credit notes, with the units of each order line they cover") {
            db in
            try db.execute(
                sql: """
                    CREATE TABLE finance_documents (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
                        number TEXT NOT NULL UNIQUE,
                        order_id INTEGER NOT NULL REFERENCES orders(id),
                        issued_at TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        payable TEXT NOT NULL,
                        with_shipping INTEGER NOT NULL,
                        invoice_reference TEXT,
                        reason TEXT,
                        document_id INTEGER REFERENCES outbound_documents(id),
                        bookings_document_id INTEGER REFERENCES outbound_documents(id)
                    );
                    CREATE INDEX finance_documents_by_order ON finance_documents(order_id);
                    CREATE TABLE finance_lines (
                        finance_document_id INTEGER NOT NULL REFERENCES finance_documents(id),
                        position INTEGER NOT NULL,
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        value_minor INTEGER NOT NULL,
                        PRIMARY KEY (finance_document_id, position)
                    ) WITHOUT ROWID;
                    ALTER TABLE shipments ADD COLUMN invoice_id INTEGER REFERENCES finance_documents(id);
                    """)
        }
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
        return migrator
    }
}
