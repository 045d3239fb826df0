import Foundation
import GRDB
public import OmnihubCore

extension OrderStore {
    /// Records a channel's inventory feed when any SKU's sellable quantity differs from what the
    /// channel was last told, in one transaction with the new "last told" levels. `quantities` is
    /// the sellable quantity per SKU now; a SKU told before and missing now is sent as 0. With
    /// `full`, `render` gets every SKU, else only the changed ones. Nothing changed: no document.
    public func recordInventoryFeed(
        channel: String, quantities: [String: Int], full: Bool, at time: Timestamp,
        render: (_ lines: [(sku: String, quantity: Int)]) throws -> RenderedDocument?
    ) throws -> OutboundDocument? {
        try write { db in
            var told: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT sku, quantity FROM inventory_feed_levels WHERE channel = ?", arguments: [channel])
            {
                told[row["sku"]] = row["quantity"]
            }
            var now = quantities
            for sku in told.keys where now[sku] == nil { now[sku] = 0 }
            let changed = now.filter { told[$0.key] != $0.value }
            guard !changed.isEmpty else { return nil }
            let lines = (full ? now : changed).sorted { $0.key < $1.key }.map { (sku: $0.key, quantity: $0.value) }
            guard let rendered = try render(lines) else { return nil }
            let document = try Self.recordPending(db, kind: "inventory_feed", destination: channel, rendered, at: time)
            for (sku, quantity) in changed {
                try db.execute(
                    sql: """
                        INSERT INTO inventory_feed_levels (channel, sku, quantity, document_id) VALUES (?, ?, ?, ?)
                        ON CONFLICT (channel, sku) DO UPDATE SET quantity = excluded.quantity,
                            document_id = excluded.document_id
                        """, arguments: [channel, sku, quantity, document.id])
            }
            return document
        }
    }
}
