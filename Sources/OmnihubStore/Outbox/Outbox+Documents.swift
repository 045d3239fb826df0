import Foundation
import GRDB
package import OmnihubCore

extension Outbox {
    /// When the latest outbound document was recorded (ISO 8601), or `nil` before the first.
    package func latestDocumentTime() throws -> String? {
        try read { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT created_at FROM outbound_documents ORDER BY id DESC LIMIT 1"))
        }
    }

    /// Documents recorded but not written yet (after an interruption), with their bytes.
    package func pendingDocuments() throws -> [(OutboundDocument, [UInt8])] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    // The status as a literal, so SQLite reads the pending ones through their
                    // partial index (v34) rather than every document the store holds.
                    sql: """
                        SELECT d.*, c.content, c.compression FROM outbound_documents d
                        JOIN outbound_document_contents c ON c.document_id = d.id
                        WHERE d.status = 'pending' ORDER BY d.id
                        """)
            ).map { row in
                let document = try OutboundDocument(row: row)
                return (document, try StoredContent.content(of: row, id: document.id, store: db.filePath))
            }
        }
    }

    /// Marks documents as written to their paths, in one transaction.
    package func markWritten(_ ids: [Int64], at time: Timestamp) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            for id in ids {
                try db.cachedStatement(
                    sql: "UPDATE outbound_documents SET status = ?, written_at = ? WHERE id = ?"
                ).execute(arguments: [OutboundDocument.Status.written, time, id])
            }
        }
    }

    /// Outbound documents, newest first; only those of `kind`, for `destination` or with `status`
    /// when given.
    package func documents(
        limit: Int = 100, kind: OutboundDocumentKind? = nil, destination: String? = nil,
        status: OutboundDocument.Status? = nil
    ) throws -> [OutboundDocument] {
        try read { db in
            try OutboundDocument.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, kind, destination, number, path, status, created_at, written_at FROM outbound_documents
                        WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR destination = ?2) AND (?3 IS NULL OR status = ?3)
                        ORDER BY id DESC LIMIT ?4
                        """), arguments: [kind, destination, status, limit])
        }
    }

    /// Outbound documents that carried an order.
    package func documents(orderID: Int64) throws -> [OutboundDocument] {
        try read { db in
            try OutboundDocument.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, kind, destination, number, path, status, created_at, written_at
                        FROM outbound_documents WHERE id IN (
                            SELECT document_id FROM fulfilment_lines WHERE order_id = ?1
                            UNION SELECT document_id FROM fulfilment_cancellations WHERE order_id = ?1
                            UNION SELECT confirmation_document_id FROM shipments WHERE order_id = ?1
                            UNION SELECT acknowledgement_document_id FROM orders WHERE id = ?1
                            UNION SELECT document_id FROM finance_documents WHERE order_id = ?1
                            UNION SELECT bookings_document_id FROM finance_documents WHERE order_id = ?1
                            UNION SELECT document_id FROM seller_cancellations WHERE order_id = ?1
                            UNION SELECT document_id FROM customer_notifications WHERE order_id = ?1
                        ) ORDER BY id
                        """), arguments: [orderID])
        }
    }
}
