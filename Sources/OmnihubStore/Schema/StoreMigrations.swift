import GRDB

/// The store's schema, one migration per version; a migration once shipped is never edited. A new
/// version is registered after the last one (`registerVersions29On`, or a file of its own range).
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        registerVersions1To14(&migrator)
        registerVersions15To28(&migrator)
        registerVersions29On(&migrator)
        return migrator
    }

    /// v1 to v14: files, orders, stock and reservations, fulfilment, shipments, what the channels
    /// were told, invoices.
    private static func registerVersions1To14(_ migrator: inout DatabaseMigrator) {
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
    }
}
