extension DocumentMapper {
    /// Builds and validates a stock report or order event from mapped values.
    static func notice(
        _ kind: DocumentKind, _ values: [String: FieldValue], lines: [LineValues], source: SourceLocation
    )
        -> Result<InboundNotice, Violations>
    {
        let timeField = DocumentSchema.of(kind).header.first { $0.kind == .datetime }?.name
        var violations: [OrderViolation] = []
        var noticeLines: [DocumentLine] = []
        for (index, line) in lines.enumerated() {
            let field = "lines[\(index + 1)]"
            let documentLine = DocumentLine(
                lineID: line.values["line_id"]?.text, sku: line.values["sku"]?.text, gtin: line.values["gtin"]?.text,
                quantity: line.values["quantity"]?.int, reason: line.values["reason"]?.text,
                condition: line.values["condition"]?.text)
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
                kind: kind, channel: values["channel"]?.text, externalID: values["external_id"]?.text,
                reference: values["reference"]?.text, node: values["node"]?.text,
                occurredAt: timeField.flatMap { values[$0]?.timestamp }, carrier: values["carrier"]?.text,
                service: values["service"]?.text, trackingNumber: values["tracking_number"]?.text,
                trackingURL: values["tracking_url"]?.text, reason: values["reason"]?.text, lines: noticeLines,
                source: source))
    }
}
