/// A shipment a customer notification is about.
public struct NotifiedShipment: Sendable, Hashable {
    public let id: Int64
    public let orderID: Int64
    public let position: Int
    public let node: String
    public let sku: String
    public let quantity: Int
    public let carrier: String?
    public let trackingNumber: String?
    /// The file that booked it: a handover without a tracking number is one parcel per node and file.
    public let fileID: Int64

    /// A shipment.
    public init(
        id: Int64, orderID: Int64, position: Int, node: String, sku: String, quantity: Int, carrier: String?,
        trackingNumber: String?, fileID: Int64
    ) {
        self.id = id
        self.orderID = orderID
        self.position = position
        self.node = node
        self.sku = sku
        self.quantity = quantity
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.fileID = fileID
    }
}

/// One customer notification to make: the order, the event, what it is about.
public struct NotificationRequest: Sendable {
    /// omnihub's id of the order.
    public let orderID: Int64
    public let order: Order
    public let event: CustomerNotification.Event
    /// What makes it one of a kind for the order: the parcel's tracking number, the credit note's
    /// number, or empty for the order confirmation.
    public let reference: String
    /// The shipments it tells of (shipped, ready for pickup).
    public let shipments: [NotifiedShipment]
    /// The refunded amount (refund issued).
    public var amount: Amount?

    /// A request.
    public init(
        orderID: Int64, order: Order, event: CustomerNotification.Event, reference: String,
        shipments: [NotifiedShipment], amount: Amount? = nil
    ) {
        self.orderID = orderID
        self.order = order
        self.event = event
        self.reference = reference
        self.shipments = shipments
        self.amount = amount
    }

    /// The notifications due: an order confirmation for each of `confirming` (oldest first),
    /// then one message per parcel among `shipments` (sorted by order): a parcel is its tracking
    /// number, or, without one (the pickup shelf), the shipments of one node in one file. The
    /// message is `ready_for_pickup` when the pickup store itself booked a click & collect or
    /// reserve order's parcel, else `shipped`. For the replacement orders of exchanges
    /// (`exchanges`), the confirmation is `order_exchanged` and a parcel `exchange_shipped`. Orders
    /// missing from `orders` are left out.
    public static func due(
        confirming: [Int64], shipments: [NotifiedShipment], orders: [Int64: Order], exchanges: Set<Int64> = []
    ) -> [NotificationRequest] {
        var requests: [NotificationRequest] = confirming.compactMap { id in
            orders[id].map {
                NotificationRequest(
                    orderID: id, order: $0, event: exchanges.contains(id) ? .orderExchanged : .orderConfirmed,
                    reference: "", shipments: [])
            }
        }
        struct Parcel: Hashable {
            let orderID: Int64
            let reference: String
        }
        var parcels: [Parcel: [NotifiedShipment]] = [:]
        var inOrder: [Parcel] = []
        for shipment in shipments {
            let parcel = Parcel(
                orderID: shipment.orderID, reference: shipment.trackingNumber ?? "\(shipment.node)-\(shipment.fileID)")
            if parcels[parcel] == nil { inOrder.append(parcel) }
            parcels[parcel, default: []].append(shipment)
        }
        for parcel in inOrder {
            guard let order = orders[parcel.orderID], let shipped = parcels[parcel] else { continue }
            let delivery = order.delivery
            let atPickupStore = delivery.method != .ship && shipped[0].node == delivery.pickupNode
            requests.append(
                NotificationRequest(
                    orderID: parcel.orderID, order: order,
                    event: atPickupStore
                        ? .readyForPickup : exchanges.contains(parcel.orderID) ? .exchangeShipped : .shipped,
                    reference: parcel.reference, shipments: shipped))
        }
        return requests
    }
}
