import GRDB

extension StoreMigrations {
    /// v29 on: what the web console and the partner portal read.
    static func registerVersions29On(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v29: the orders handed to a node, newest first, for its partner's portal") { db in
            try db.execute(sql: "CREATE INDEX fulfilment_lines_by_node ON fulfilment_lines(node, order_id)")
        }
    }
}
