import OmnihubCore
import Testing

@Suite("Customer notifications due: a confirmation per order, a message per parcel")
struct NotificationDueTests {
    static func order(_ method: DeliveryMethod, pickup: String? = nil) -> Order {
        decisionOrder(delivery: Delivery(method: method, pickupNode: pickup))
    }

    static func shipment(_ id: Int64, order: Int64, node: String, tracking: String?, file: Int64 = 1)
        -> NotifiedShipment
    {
        NotifiedShipment(
            id: id, orderID: order, position: 1, node: node, sku: "A", quantity: 1, carrier: nil,
            trackingNumber: tracking, fileID: file)
    }

    @Test("shipments with one tracking number are one parcel; without one, one per node and file")
    func parcels() {
        let due = NotificationRequest.due(
            confirming: [1],
            shipments: [
                Self.shipment(1, order: 1, node: "DC", tracking: "T1"),
                Self.shipment(2, order: 1, node: "DC", tracking: "T1"),
                Self.shipment(3, order: 1, node: "DC", tracking: nil, file: 4),
                Self.shipment(4, order: 1, node: "DC", tracking: nil, file: 5),
            ], orders: [1: Self.order(.ship)])
        #expect(due.map(\.event) == [.orderConfirmed, .shipped, .shipped, .shipped])
        #expect(due.map(\.reference) == ["", "T1", "DC-4", "DC-5"])
        #expect(due[1].shipments.map(\.id) == [1, 2])
    }

    @Test("the pickup store booking a click & collect parcel makes it ready for pickup; another node ships it there")
    func pickup() {
        let order = Self.order(.collect, pickup: "STORE-9")
        let due = NotificationRequest.due(
            confirming: [],
            shipments: [
                Self.shipment(1, order: 1, node: "STORE-9", tracking: nil),
                Self.shipment(2, order: 1, node: "DC", tracking: "T2"),
            ], orders: [1: order])
        #expect(due.map(\.event) == [.readyForPickup, .shipped])
    }

    @Test("an order the store no longer has is left out")
    func missingOrder() {
        #expect(NotificationRequest.due(confirming: [9], shipments: [], orders: [:]).isEmpty)
    }
}
