import Testing

@testable import OmnihubCore

@Suite("Field slots match the schemas")
struct FieldSlotTests {
    @Test("order slots name the order schema's fields")
    func orderSlots() {
        let header = DocumentSchema.of(.order).header.map(\.name)
        #expect(header.count == OrderSlot.count)
        #expect(header[OrderSlot.channel] == "channel")
        #expect(header[OrderSlot.externalID] == "external_id")
        #expect(header[OrderSlot.placedAt] == "placed_at")
        #expect(header[OrderSlot.currency] == "currency")
        #expect(header[OrderSlot.customerName] == "customer.name")
        #expect(header[OrderSlot.customerPhone] == "customer.phone")
        #expect(header[OrderSlot.shipTo] == "ship_to.name")
        #expect(header[OrderSlot.shipTo + 7] == "ship_to.country")
        #expect(header[OrderSlot.billTo] == "bill_to.name")
        #expect(header[OrderSlot.billTo + 7] == "bill_to.country")
        #expect(header[OrderSlot.deliveryMethod] == "delivery.method")
        #expect(header[OrderSlot.deliveryPickupNode] == "delivery.pickup_node")
        #expect(header[OrderSlot.shippingAmount] == "shipping.amount")
        #expect(header[OrderSlot.shippingTaxRate] == "shipping.tax_rate")
        #expect(header[OrderSlot.paymentMethod] == "payment.method")
        #expect(header[OrderSlot.paymentAmount] == "payment.amount")
        #expect(header[OrderSlot.deliveryPromisedBy] == "delivery.promised_by")
        let lines = DocumentSchema.of(.order).lines.map(\.name)
        #expect(lines == ["line_id", "sku", "gtin", "title", "quantity", "unit_price", "line_total", "tax_rate"])
        #expect(lines.count == OrderLineSlot.count)
        #expect(lines[OrderLineSlot.unitPrice] == "unit_price")
        #expect(lines[OrderLineSlot.lineTotal] == "line_total")
    }

    @Test(
        "notice slots name every notice schema's fields",
        arguments: DocumentKind.allCases.filter { $0 != .order })
    func noticeSlots(kind: DocumentKind) {
        let schema = DocumentSchema.of(kind)
        #expect(schema.header.count == NoticeSlot.count)
        #expect(schema.header[NoticeSlot.externalID].name == "external_id")
        #expect(schema.header[NoticeSlot.node].name == "node")
        #expect(schema.header[NoticeSlot.time].kind == .datetime)
        #expect(schema.header[NoticeSlot.trackingURL].name == "tracking_url")
        #expect(schema.header[NoticeSlot.reason].name == "reason")
        #expect(schema.lines.map(\.name) == ["line_id", "sku", "gtin", "quantity", "reason", "condition"])
    }
}
