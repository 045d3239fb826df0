/// What every unit of an order is worth to the customer once every discount is taken off, so
/// that invoices, credit notes and refunds for any part of the order add up, to the cent, to what
/// the customer paid.
///
/// Order discounts are spread over the lines in proportion to what each line costs after its own
/// discounts (largest remainder, so the shares add up exactly). Within a line, the first `k` of its
/// `n` units are worth `round(payable × k / n)`: an invoice for units `a..<b` charges the
/// difference of two such values, so however a line is shipped, its invoices add up to the line's
/// payable amount. Units cancelled before they ship are refunded from the top (the last units),
/// so shipped and cancelled parts meet without a cent left over.
public struct OrderSettlement: Sendable {
    public let currency: Currency
    /// Per line, in minor units: what the customer pays for all its units after every discount.
    public let linePayable: [Int64]
    /// Per line: units ordered.
    public let quantities: [Int]
    /// Per line: the VAT rate in percent (the line's, or the default).
    public let taxRates: [Amount]
    /// The shipping charge in minor units.
    public let shipping: Int64
    /// Whether the amounts exclude VAT (a net-priced order, ``PriceBasis/net``): then every
    /// value here is net, and VAT is added per rate on each document.
    public let netPrices: Bool
    /// The shipping charge by VAT rate, in minor units: all at its own rate when the feed gives
    /// one, else split over the rates of the order's lines in proportion to what the customer
    /// pays for the goods at each rate (shipping follows the goods it carries).
    public let shippingShares: [(rate: Amount, gross: Int64)]

    /// The settlement of `order`; lines without a VAT rate are taxed at `defaultTaxRate`.
    public init(order: Order, defaultTaxRate: Amount) {
        let minor = order.currency.minorUnits
        func cents(_ amount: Amount) -> Int64 { amount.rounded(toScale: minor).units }
        currency = order.currency
        netPrices = order.prices == .net
        quantities = order.lines.map(\.quantity)
        taxRates = order.lines.map { $0.taxRate ?? defaultTaxRate }
        let afterLineDiscounts = order.lines.map { line in
            max(0, cents(line.grossTotal) - line.discounts.reduce(0) { $0 + cents($1.amount) })
        }
        let base = afterLineDiscounts.reduce(0, +)
        let orderDiscount = min(base, order.discounts.reduce(0) { $0 + cents($1.amount) })
        let shares = Self.spread(orderDiscount, over: afterLineDiscounts)
        linePayable = zip(afterLineDiscounts, shares).map { $0 - $1 }
        shipping = order.shipping.map { max(0, cents($0.amount) - ($0.discount.map(cents) ?? 0)) } ?? 0
        let payable = linePayable
        let lineRates = taxRates
        if let rate = order.shipping?.taxRate {
            shippingShares = [(rate, shipping)]
        } else {
            let rates = Set(lineRates).sorted()
            let goods = rates.map { rate in
                lineRates.indices.filter { lineRates[$0] == rate }.reduce(Int64(0)) { $0 + payable[$1] }
            }
            if goods.reduce(0, +) == 0 {
                shippingShares = [(rates.last ?? defaultTaxRate, shipping)]
            } else {
                shippingShares = Array(zip(rates, Self.spread(shipping, over: goods)))
            }
        }
    }

    /// What the customer pays for the whole order, in minor units: for a net-priced order, the
    /// net amounts plus VAT on each rate's net total.
    public var total: Int64 {
        let value = linePayable.reduce(shipping, +)
        guard netPrices else { return value }
        var byRate: [Amount: Int64] = [:]
        for (index, payable) in linePayable.enumerated() { byRate[taxRates[index], default: 0] += payable }
        for share in shippingShares { byRate[share.rate, default: 0] += share.gross }
        return byRate.reduce(value) { $0 + Self.tax(onNet: $1.value, rate: $1.key) }
    }

    /// What the first `units` units of line `index` are worth, in minor units.
    public func value(line index: Int, units: Int) -> Int64 {
        let quantity = Int64(quantities[index])
        let units = Int64(min(max(units, 0), quantities[index]))
        // In 128 bits: payable × units reaches 10^19 within the validated bounds.
        let twice = 2 * Int128(linePayable[index]) * Int128(units)
        return Int64((twice + Int128(quantity)) / (2 * Int128(quantity)))
    }

    /// What units `from..<to` of line `index` are worth when they ship or come back (counted from
    /// the first unit).
    public func shipped(line index: Int, from: Int, to: Int) -> Int64 {
        value(line: index, units: to) - value(line: index, units: from)
    }

    /// What is refunded when the line's cancelled units go from `from` to `to` before they ship
    /// (counted from the last unit).
    public func cancelled(line index: Int, from: Int, to: Int) -> Int64 {
        let quantity = quantities[index]
        return value(line: index, units: quantity - from) - value(line: index, units: quantity - to)
    }

    /// What goes back to the customer, in minor units, when `units` more units of each line
    /// (position → units) are cancelled before they ship, `cancelledBefore` (position → units)
    /// having been cancelled already. The shipping charge comes back too when the order ends with
    /// every unit cancelled and none shipped (`nothingShippedAndAllCancelled`). For a net-priced
    /// order, the VAT on those amounts comes back with them, per rate.
    public func refund(
        cancelling units: [Int: Int], cancelledBefore: [Int: Int], nothingShippedAndAllCancelled: Bool
    ) -> Int64 {
        var byRate: [Amount: Int64] = [:]
        for (position, count) in units {
            let before = cancelledBefore[position] ?? 0
            byRate[taxRates[position - 1], default: 0] += cancelled(
                line: position - 1, from: before, to: before + count)
        }
        if nothingShippedAndAllCancelled {
            for share in shippingShares { byRate[share.rate, default: 0] += share.gross }
        }
        return byRate.reduce(Int64(0)) { sum, entry in
            sum + entry.value + (netPrices ? Self.tax(onNet: entry.value, rate: entry.key) : 0)
        }
    }

    /// The amount as an ``Amount`` in the order's currency.
    public func amount(_ minorUnits: Int64) -> Amount {
        Amount(units: minorUnits, scale: currency.minorUnits)
    }

    /// `total` split in proportion to `weights`, the shares adding up to exactly `total`; the
    /// largest remainders get the leftover units, earlier entries first on ties.
    static func spread(_ total: Int64, over weights: [Int64]) -> [Int64] {
        let sum = weights.reduce(0, +)
        guard sum > 0, total != 0 else { return weights.map { _ in 0 } }
        // Products in 128 bits: a total times a weight exceeds 64 bits for large orders.
        var shares = weights.map { Int64(Int128(total) * Int128($0) / Int128(sum)) }
        let remainders = weights.map { Int128(total) * Int128($0) % Int128(sum) }
        var left = total - shares.reduce(0, +)
        for index in remainders.indices.sorted(by: {
            remainders[$0] > remainders[$1] || (remainders[$0] == remainders[$1] && $0 < $1)
        })
        where left > 0 {
            shares[index] += 1
            left -= 1
        }
        return shares
    }

    /// The VAT on `net` (minor units) at `rate` percent, rounded half up.
    public static func tax(onNet net: Int64, rate: Amount) -> Int64 {
        // In 128 bits: a rate may carry up to 12 decimals.
        let numerator = Int128(net) * Int128(rate.units)
        let denominator = 100 * Amount.widePowerOfTen(rate.scale)
        let sign: Int128 = numerator < 0 ? -1 : 1
        return Int64(sign * ((2 * Swift.abs(numerator) + denominator) / (2 * denominator)))
    }

    /// The VAT contained in `gross` (minor units) at `rate` percent, rounded half up.
    public static func tax(inGross gross: Int64, rate: Amount) -> Int64 {
        // In 128 bits: a rate may carry up to 12 decimals, so gross × rate exceeds 64 bits.
        let numerator = Int128(gross) * Int128(rate.units)
        let denominator = 100 * Amount.widePowerOfTen(rate.scale) + Int128(rate.units)
        let sign: Int128 = numerator < 0 ? -1 : 1
        return Int64(sign * ((2 * Swift.abs(numerator) + denominator) / (2 * denominator)))
    }
}
