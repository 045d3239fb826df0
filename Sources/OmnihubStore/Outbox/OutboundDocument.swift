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
    /// The content as the store keeps it, when made beforehand (``readyForStore()``); otherwise
    /// it is made as the document is recorded.
    let stored: StoredContent?

    /// A rendered document.
    package init(number: String, path: String, content: [UInt8]) {
        self.init(number: number, path: path, content: content, stored: nil)
    }

    private init(number: String, path: String, content: [UInt8], stored: StoredContent?) {
        self.number = number
        self.path = path
        self.content = content
        self.stored = stored
    }

    /// The document with its content compressed for the store now, on the calling thread: the
    /// threads that render a part's invoices side by side compress them too, rather than the one
    /// thread that records them.
    package func readyForStore() -> RenderedDocument {
        stored == nil
            ? RenderedDocument(number: number, path: path, content: content, stored: StoredContent(content)) : self
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
            kind: kind, destination: destination, rendered, at: time, with: try PendingDocumentStatements(db))
    }

    /// Records a rendered document as pending with `insert`: a part's documents share its
    /// statements, bound through SQLite's C API.
    static func recordPending(
        kind: OutboundDocumentKind, destination: String, _ rendered: RenderedDocument, at time: Timestamp,
        with insert: PendingDocumentStatements
    ) throws -> OutboundDocument {
        let createdAt = time.description
        let document = insert.document
        try document.bind(1, kind.rawValue)
        try document.bind(2, destination)
        try document.bind(3, rendered.number)
        try document.bind(4, rendered.path)
        try document.bind(5, OutboundDocument.Status.pending.rawValue)
        try document.bind(6, createdAt)
        try document.execute()
        let id = document.lastInsertedRowID
        let stored = rendered.stored ?? StoredContent(rendered.content)
        try insert.content.bind(1, id)
        try insert.content.bind(2, blob: stored.bytes)
        try insert.content.bind(3, stored.compression)
        try insert.content.execute()
        return OutboundDocument(
            id: id, kind: kind, destination: destination, number: rendered.number, path: rendered.path,
            status: .pending, createdAt: createdAt, writtenAt: nil)
    }
}

/// The two statements that record a pending document: the document, and its bytes in a table of
/// their own, so that marking the document written rewrites a short row, not its bytes.
struct PendingDocumentStatements {
    let document: SQLiteStatement
    let content: SQLiteStatement

    init(_ db: Database) throws {
        document = try SQLiteStatement(
            db,
            """
            INSERT INTO outbound_documents (kind, destination, number, path, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        content = try SQLiteStatement(
            db, "INSERT INTO outbound_document_contents (document_id, content, compression) VALUES (?, ?, ?)")
    }
}
