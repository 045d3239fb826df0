import OmnihubCore

/// A web order for the decision tests: one line per `(sku, quantity, price)`, line ids from 1.
func decisionOrder(
    _ number: String = "W-1", delivery: Delivery = Delivery(method: .ship),
    lines: [(sku: String, quantity: Int, price: String)] = [("A", 3, "1")]
) -> Order {
    Order(
        channel: "web", externalID: number, placedAt: Timestamp(millisecondsSince1970: 0),
        currency: Currency(code: "EUR")!, customer: Customer(name: "Erika"), shipTo: Address(country: "DE"),
        billTo: nil, delivery: delivery,
        lines: lines.enumerated().map { index, line in
            OrderLine(
                lineID: String(index + 1), sku: line.sku, quantity: line.quantity,
                unitPrice: Amount(parsing: line.price)!)
        }, shipping: nil, discounts: [], payment: nil, source: nil)
}
