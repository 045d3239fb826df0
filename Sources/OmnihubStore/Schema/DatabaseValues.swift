import Foundation
// A conformance of Core's public types cannot be narrower than public, so GRDB is imported
// publicly here, for these conformances alone; nothing of the store is public API.
public import GRDB
public import OmnihubCore

/// How the domain's values are kept in SQLite: statuses and kinds as their names, times as
/// ISO 8601 text in UTC (`2026-11-27T09:15:00.000Z`), which sorts as time does.
extension OrderStatus: DatabaseValueConvertible {}
extension OutboundDocumentKind: DatabaseValueConvertible {}
extension OutboundDocument.Status: DatabaseValueConvertible {}
extension Invoice.Kind: DatabaseValueConvertible {}
extension IssueCode: DatabaseValueConvertible {}
extension FileStatus: DatabaseValueConvertible {}

extension Timestamp: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> Timestamp? {
        String.fromDatabaseValue(value).flatMap { try? DateTimeFormat.iso8601.parse($0, zone: nil) }
    }
}
