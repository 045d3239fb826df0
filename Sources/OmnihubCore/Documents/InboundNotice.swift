import Foundation

/// A stock report or an event about an order, from a WMS, a store, a dropshipper or a channel.
///
/// One shape for the six kinds that are not orders, so that one mapping language and one store
/// table carry them all; each kind uses the fields its meaning needs (see `docs/mapping.md`).
public struct InboundNotice: Sendable, Hashable, Codable {
    /// Which kind of notice.
    public var kind: DocumentKind
    /// The channel of the order it concerns (events about orders).
    public var channel: String?
    /// The order number it concerns (events about orders).
    public var externalID: String?
    /// The partner's own id of the document: shipment, return or stock report number.
    public var reference: String?
    /// The node (DC, store, dropshipper) that reports.
    public var node: String?
    /// When it happened, or the as-of time of a stock snapshot.
    public var occurredAt: Timestamp?
    /// Carrier, for shipments.
    public var carrier: String?
    /// Carrier service, for shipments.
    public var service: String?
    /// Tracking number, for shipments.
    public var trackingNumber: String?
    /// Tracking link, for shipments.
    public var trackingURL: String?
    /// Why, for rejections and cancellations.
    public var reason: String?
    /// The articles concerned; for a cancellation none means the whole order.
    public var lines: [DocumentLine]
    /// The file and record it came from.
    public var source: SourceLocation?

    /// A notice; see each property.
    public init(
        kind: DocumentKind, channel: String? = nil, externalID: String? = nil, reference: String? = nil,
        node: String? = nil, occurredAt: Timestamp? = nil, carrier: String? = nil, service: String? = nil,
        trackingNumber: String? = nil, trackingURL: String? = nil, reason: String? = nil, lines: [DocumentLine] = [],
        source: SourceLocation? = nil
    ) {
        self.kind = kind
        self.channel = channel
        self.externalID = externalID
        self.reference = reference
        self.node = node
        self.occurredAt = occurredAt
        self.carrier = carrier
        self.service = service
        self.trackingNumber = trackingNumber
        self.trackingURL = trackingURL
        self.reason = reason
        self.lines = lines
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case kind, channel, reference, node, carrier, service, reason, lines, source
        case externalID = "external_id"
        case occurredAt = "occurred_at"
        case trackingNumber = "tracking_number"
        case trackingURL = "tracking_url"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(channel, forKey: .channel)
        try container.encode(externalID, forKey: .externalID)
        try container.encode(reference, forKey: .reference)
        try container.encode(node, forKey: .node)
        try container.encode(occurredAt, forKey: .occurredAt)
        try container.encode(carrier, forKey: .carrier)
        try container.encode(service, forKey: .service)
        try container.encode(trackingNumber, forKey: .trackingNumber)
        try container.encode(trackingURL, forKey: .trackingURL)
        try container.encode(reason, forKey: .reason)
        try container.encode(lines, forKey: .lines)
        try container.encode(source, forKey: .source)
    }
}

/// An inbound document after mapping: an order, or a notice.
public enum CanonicalDocument: Sendable, Hashable {
    /// A customer order.
    case order(Order)
    /// A stock report or an event about an order.
    case notice(InboundNotice)

    /// What kind of document.
    public var kind: DocumentKind {
        switch self {
        case .order: .order
        case .notice(let notice): notice.kind
        }
    }

    /// Where it came from.
    public var source: SourceLocation? {
        switch self {
        case .order(let order): order.source
        case .notice(let notice): notice.source
        }
    }
}

extension CanonicalDocument: Encodable {
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .order(let order): try order.encode(to: encoder)
        case .notice(let notice): try notice.encode(to: encoder)
        }
    }
}

extension CanonicalDocument {
    /// The document's canonical JSON on one line, keys sorted, as `omnihub map` prints it.
    public func canonicalJSON() throws -> [UInt8] {
        switch self {
        case .order(let order):
            return order.canonicalJSON()
        case .notice(let notice):
            return notice.canonicalJSON()
        }
    }
}
