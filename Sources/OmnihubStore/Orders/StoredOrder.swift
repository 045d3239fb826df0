public import OmnihubCore

/// An order as `omnihub orders list` shows it: the key facts, without lines.
public struct OrderSummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var channel: String
    public var externalID: String
    public var placedAt: String
    public var currency: String
    public var customerName: String?
    public var shipToCountry: String?
    public var deliveryMethod: String
    public var status: OrderStatus
    public var lines: Int
    public var units: Int
    public var importedAt: String

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
public struct StoredOrder: Sendable, Hashable {
    /// omnihub's id for the order.
    public var id: Int64
    /// Where the order stands.
    public var status: OrderStatus
    /// When it was imported.
    public var importedAt: String
    /// The canonical order, with its source location.
    public var order: Order
}

/// One file and record that carried an order, as `omnihub trace order` shows it.
public struct LineageEntry: Sendable, Hashable, Codable {
    /// The file's ledger id.
    public var fileID: Int64
    /// The partner that sent it.
    public var partner: String
    /// The file's name.
    public var file: String
    /// Where the original bytes are kept now.
    public var storedPath: String
    /// When the file was received.
    public var receivedAt: String
    /// The record in the file, from 1.
    public var record: Int
    /// The line in the file, from 1.
    public var line: Int?
    /// `imported`, `identical_resend` or `changed_resend`.
    public var outcome: String

    enum CodingKeys: String, CodingKey {
        case partner, file, record, line, outcome
        case fileID = "file_id"
        case storedPath = "stored_path"
        case receivedAt = "received_at"
    }
}
