import Foundation
import GRDB
package import OmnihubCore

extension TransferLog {
    /// Which of `destination`'s written documents (`d`) have not reached `endpoint`; the
    /// arguments are the destination and the endpoint.
    private static let waitingFor = """
        d.destination = ? AND d.status = 'written'
          AND NOT EXISTS (SELECT 1 FROM deliveries v WHERE v.document_id = d.id AND v.endpoint = ?)
        """

    /// The documents written for `destination` and not yet delivered to `endpoint`, oldest first,
    /// with their bytes.
    package func undelivered(destination: String, endpoint: String, limit: Int) throws -> [(
        OutboundDocument, [UInt8]
    )] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.*, c.content, c.compression FROM outbound_documents d
                        JOIN outbound_document_contents c ON c.document_id = d.id
                        WHERE \(TransferLog.waitingFor) ORDER BY d.id LIMIT ?
                        """),
                arguments: [destination, endpoint, limit]
            ).map { row in
                let document = try OutboundDocument(row: row)
                return (document, try StoredContent.content(of: row, id: document.id, store: db.filePath))
            }
        }
    }

    /// The same documents without their bytes, for a listing.
    package func waitingDocuments(destination: String, endpoint: String, limit: Int) throws -> [OutboundDocument] {
        try read { db in
            try OutboundDocument.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.id, d.kind, d.destination, d.number, d.path, d.status, d.created_at, d.written_at
                        FROM outbound_documents d WHERE \(TransferLog.waitingFor) ORDER BY d.id LIMIT ?
                        """),
                arguments: [destination, endpoint, limit])
        }
    }

    /// Records that the document is at the endpoint under `remoteName`: after the rename succeeded.
    package func recordDelivery(documentID: Int64, endpoint: String, remoteName: String, at time: Timestamp) throws {
        try write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO deliveries (document_id, endpoint, remote_name, delivered_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (document_id, endpoint) DO NOTHING
                    """
            ).execute(arguments: [documentID, endpoint, remoteName, time])
        }
    }

    /// How many documents wait for `endpoint`.
    package func backlog(destination: String, endpoint: String) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM outbound_documents d WHERE \(TransferLog.waitingFor)"),
                arguments: [destination, endpoint]) ?? 0
        }
    }
}

extension TransferLog {
    /// A written document with its bytes, when it is one of `destinations`' (any, when `nil`).
    package func writtenDocument(id: Int64, destinations: [String]?) throws -> (OutboundDocument, [UInt8])? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT d.*, c.content, c.compression FROM outbound_documents d
                            JOIN outbound_document_contents c ON c.document_id = d.id
                            WHERE d.id = ? AND d.status = 'written'
                            """),
                    arguments: [id])
            else { return nil }
            let document = try OutboundDocument(row: row)
            guard destinations?.contains(document.destination) ?? true else { return nil }
            return (document, try StoredContent.content(of: row, id: document.id, store: db.filePath))
        }
    }
}
