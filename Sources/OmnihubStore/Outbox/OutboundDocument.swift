import Foundation
import GRDB
package import OmnihubCore

/// A file omnihub emits, as the outbox ledger keeps it.
package struct OutboundDocument: Sendable, Hashable, Codable, FetchableRecord {
    /// Whether the file is in its place yet.
    package enum Status: String, Sendable, Hashable, Codable {
        /// Recorded with its bytes, not written yet (or written and not marked: the next run sees).
        case pending
        /// Written to its path.
        case written
    }

    package var id: Int64
    package var kind: OutboundDocumentKind
    package var destination: String
    package var number: String
    package var path: String
    package var status: Status
    package var createdAt: String
    package var writtenAt: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, destination, number, path, status
        case createdAt = "created_at"
        case writtenAt = "written_at"
    }
}

/// A document to record: where it goes and its bytes.
package struct RenderedDocument: Sendable {
    package let number: String
    package let path: String
    package let content: [UInt8]

    /// A rendered document.
    package init(number: String, path: String, content: [UInt8]) {
        self.number = number
        self.path = path
        self.content = content
    }
}

/// A rendered document with the facts it tells its destination of, to record in one transaction.
package struct DocumentToRecord<Covered: Sendable>: Sendable {
    /// Whom it goes to: a node, a channel, the ERP.
    package let destination: String
    package let rendered: RenderedDocument
    /// What it covers: order ids, shipment ids, cancellation ids, levels.
    package let covers: Covered

    /// A document to record.
    package init(destination: String, rendered: RenderedDocument, covers: Covered) {
        self.destination = destination
        self.rendered = rendered
        self.covers = covers
    }
}

extension Outbox {
    /// Records a rendered document as `pending`, with its bytes, in the caller's transaction.
    static func recordPending(
        _ db: Database, kind: OutboundDocumentKind, destination: String, _ rendered: RenderedDocument,
        at time: Timestamp
    ) throws -> OutboundDocument {
        try recordPending(
            kind: kind, destination: destination, rendered, at: time, with: try SQLiteStatement(db, insertPending))
    }

    /// Records a rendered document as pending with `insert` (prepared from ``insertPending``): a
    /// part's documents share one statement, bound through SQLite's C API.
    static func recordPending(
        kind: OutboundDocumentKind, destination: String, _ rendered: RenderedDocument, at time: Timestamp,
        with insert: SQLiteStatement
    ) throws -> OutboundDocument {
        let createdAt = time.description
        try insert.bind(1, kind.rawValue)
        try insert.bind(2, destination)
        try insert.bind(3, rendered.number)
        try insert.bind(4, rendered.path)
        try insert.bind(5, blob: rendered.content)
        try insert.bind(6, OutboundDocument.Status.pending.rawValue)
        try insert.bind(7, createdAt)
        try insert.execute()
        return OutboundDocument(
            id: insert.lastInsertedRowID, kind: kind, destination: destination, number: rendered.number,
            path: rendered.path, status: .pending, createdAt: createdAt, writtenAt: nil)
    }

    /// The statement ``recordPending(kind:destination:_:at:with:)`` runs.
    static let insertPending = """
        INSERT INTO outbound_documents (kind, destination, number, path, content, status, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
}
