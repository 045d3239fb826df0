extension InboundNotice {
    /// The notice's JSON on one line, keys sorted and every field written (null when absent): byte
    /// for byte what `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` writes, which
    /// the store keeps to compare a re-sent notice with, at a fraction of its cost.
    public func canonicalJSON() -> [UInt8] {
        var json = JSONWriter(capacity: 256 + lines.count * 96)
        json.beginObject()
        json.key("carrier")
        json.string(carrier)
        json.key("channel")
        json.string(channel)
        json.key("external_id")
        json.string(externalID)
        json.key("kind")
        json.string(kind.rawValue)
        json.key("lines")
        json.beginArray()
        for line in lines {
            json.beginObject()
            json.key("condition")
            json.string(line.condition)
            json.key("gtin")
            json.string(line.gtin)
            json.key("line_id")
            json.string(line.lineID)
            json.key("quantity")
            json.integer(line.quantity)
            json.key("reason")
            json.string(line.reason)
            json.key("sku")
            json.string(line.sku)
            json.endObject()
        }
        json.endArray()
        json.key("node")
        json.string(node)
        json.key("occurred_at")
        json.string(occurredAt?.description)
        json.key("reason")
        json.string(reason)
        json.key("reference")
        json.string(reference)
        json.key("service")
        json.string(service)
        json.key("source")
        json.source(source)
        json.key("tracking_number")
        json.string(trackingNumber)
        json.key("tracking_url")
        json.string(trackingURL)
        json.endObject()
        return json.bytes
    }
}
