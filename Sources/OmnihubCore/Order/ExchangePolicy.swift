/// An exchange: units of an order line swapped for another article (another size or colour).
///
/// The old units are cancelled when they have not shipped, or taken back when they have; the new
/// article goes to the customer in a replacement order of its own, `<order>-X<n>`, which is sourced,
/// reserved, shipped and invoiced like any order but never told to the channel. The replacement is
/// priced at what the customer paid for the old units unless another price is given, so a size
/// swap costs nothing; a different price is the difference the customer pays or gets back.
public enum ExchangePolicy {
    /// The payment method of a replacement order for an order paid up front: paid with what the
    /// exchanged units were worth (the payment side settles the difference).
    public static let paymentMethod = "exchange"

    /// The channel's number of the `number`th replacement of `order`.
    public static func externalID(of order: Order, number: Int) -> String {
        "\(order.externalID)-X\(number)"
    }

    /// The replacement order for `units` units of line `index` of `order`, for the customer, the
    /// address and the delivery of `order`, carrying `sku` instead. `worth` is what the old units
    /// were paid, in minor units on the order's price basis (``OrderSettlement/value(line:units:)``);
    /// without `unitPrice` the new line costs exactly that (the old unit price less the
    /// difference as a line discount), with it, `unitPrice` a unit. A replacement has no shipping
    /// charge and no order discount: those stay with the original order.
    public static func replacement(
        for order: Order, line index: Int, units: Int, worth: Int64, sku: String, unitPrice: Amount?, number: Int,
        at time: Timestamp
    ) -> Order {
        let old = order.lines[index]
        var line = OrderLine(
            lineID: old.lineID, sku: sku, quantity: units, unitPrice: unitPrice ?? old.unitPrice, taxRate: old.taxRate)
        if unitPrice == nil {
            let paid = Amount(units: worth, scale: order.currency.minorUnits)
            let list = old.unitPrice * units
            if list > paid { line.discounts = [Discount(code: "exchange", amount: (list - paid).normalized)] }
        }
        var replacement = Order(
            channel: order.channel, externalID: externalID(of: order, number: number), placedAt: time,
            currency: order.currency, customer: order.customer, shipTo: order.shipTo, billTo: order.billTo,
            delivery: order.delivery, lines: [line], shipping: nil, discounts: [],
            payment: order.isPaidUpFront
                ? Payment(method: paymentMethod, reference: order.externalID, amount: nil) : order.payment,
            source: nil)
        replacement.prices = order.prices
        return replacement
    }
}
