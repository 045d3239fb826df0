extension DocumentMapper {
    /// Builds and validates a stock report or order event from mapped values.
    static func notice(_ kind: DocumentKind, _ values: FieldValues, lines: [LineValues], source: SourceLocation)
        -> Result<InboundNotice, Violations>
    {
        var violations: [OrderViolation] = []
        var noticeLines: [DocumentLine] = []
        for (index, line) in lines.enumerated() {
            let field = "lines[\(index + 1)]"
            let documentLine = DocumentLine(
                lineID: line.values[NoticeLineSlot.lineID]?.text, sku: line.values[NoticeLineSlot.sku]?.text,
                gtin: line.values[NoticeLineSlot.gtin]?.text, quantity: line.values[NoticeLineSlot.quantity]?.int,
                reason: line.values[NoticeLineSlot.reason]?.text, condition: line.values[NoticeLineSlot.condition]?.text
            )
            if documentLine.lineID == nil && documentLine.sku == nil && documentLine.gtin == nil {
                if documentLine.quantity == nil { continue }  // an empty row of a header-only notice
                violations.append(
                    OrderViolation(
                        .missingField, field: "\(field).sku", value: nil,
                        "a line needs a sku, gtin or line_id to say which article it concerns"))
            }
            if let quantity = documentLine.quantity {
                switch kind {
                case .stockSnapshot where quantity < 0:
                    violations.append(
                        OrderViolation(
                            .quantityBelowOne, field: "\(field).quantity", value: String(quantity),
                            "on-hand stock in a snapshot cannot be negative"))
                case .stockSnapshot, .stockDelta:
                    break
                default:
                    if quantity < 1 {
                        violations.append(
                            OrderViolation(
                                .quantityBelowOne, field: "\(field).quantity", value: String(quantity),
                                "quantity must be at least 1"))
                    }
                }
            }
            noticeLines.append(documentLine)
        }
        if DocumentSchema.of(kind).needsLines && noticeLines.isEmpty && violations.isEmpty {
            violations.append(OrderViolation(.noLines, field: "lines", value: nil, "the \(kind.rawValue) has no lines"))
        }
        guard violations.isEmpty else { return .failure(Violations(all: violations)) }
        return .success(
            InboundNotice(
                kind: kind, channel: values[NoticeSlot.channel]?.text, externalID: values[NoticeSlot.externalID]?.text,
                reference: values[NoticeSlot.reference]?.text, node: values[NoticeSlot.node]?.text,
                occurredAt: values[NoticeSlot.time]?.timestamp, carrier: values[NoticeSlot.carrier]?.text,
                service: values[NoticeSlot.service]?.text, trackingNumber: values[NoticeSlot.trackingNumber]?.text,
                trackingURL: values[NoticeSlot.trackingURL]?.text, reason: values[NoticeSlot.reason]?.text,
                lines: noticeLines, source: source))
    }
}
