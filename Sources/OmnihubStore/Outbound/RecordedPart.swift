import GRDB

/// What one part of a run recorded: its documents, the orders left out with the reason (tried
/// again next run), and the last order id looked at (`nil` when there was none: the run is done).
public struct RecordedPart {
    public var documents: [OutboundDocument] = []
    public var refused: [(order: String, reason: any Error)] = []
    public var last: Int64?

    /// Runs `body` for one order in a savepoint and adds the document it recorded: when it throws,
    /// nothing of it stays and the order is refused with the reason; a failing database still ends
    /// the whole part.
    mutating func attempt(_ db: Database, order: String, _ body: () throws -> OutboundDocument?) throws {
        do {
            var document: OutboundDocument?
            try db.inSavepoint {
                document = try body()
                return .commit
            }
            if let document { documents.append(document) }
        } catch let error as DatabaseError {
            throw error
        } catch {
            refused.append((order, error))
        }
    }
}
