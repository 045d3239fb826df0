import GRDB
package import OmnihubCore

/// An order as `omnihub orders list` shows it: the key facts, without lines.
package struct OrderSummary: Sendable, Hashable, Codable, FetchableRecord {
    package var id: Int64
    package var channel: String
    package var externalID: String
    package var placedAt: String
    package var currency: String
    package var customerName: String?
    package var shipToCountry: String?
    package var deliveryMethod: String
    package var status: OrderStatus
    package var lines: Int
    package var units: Int
    package var importedAt: String

    enum CodingKeys: String, CodingKey {
        case id, channel, currency, status, lines, units
        case externalID = "external_id"
        case placedAt = "placed_at"
        case customerName = "customer_name"
        case shipToCountry = "ship_to_country"
        case deliveryMethod = "delivery_method"
        case importedAt = "imported_at"
    }
}

/// A stored order with its canonical document.
package struct StoredOrder: Sendable, Hashable {
    /// omnihub's id for the order.
    package var id: Int64
    /// Where the order stands.
    package var status: OrderStatus
    /// When it was imported.
    package var importedAt: String
    /// The canonical order, with its source location.
    package var order: Order
}

/// One file and record that carried an order, as `omnihub trace order` shows it.
package struct LineageEntry: Sendable, Hashable, Codable, FetchableRecord {
    /// The file's ledger id.
    package var fileID: Int64
    /// The partner that sent it.
    package var partner: String
    /// The file's name.
    package var file: String
    /// Where the original bytes are kept now.
    package var storedPath: String
    /// When the file was received.
    package var receivedAt: String
    /// The record in the file, from 1.
    package var record: Int
    /// The line in the file, from 1.
    package var line: Int?
    /// `imported`, `identical_resend` or `changed_resend`.
    package var outcome: String

    enum CodingKeys: String, CodingKey {
        case partner, file, record, line, outcome
        case fileID = "file_id"
        case storedPath = "stored_path"
        case receivedAt = "received_at"
    }
}
