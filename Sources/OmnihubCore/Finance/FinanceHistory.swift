/// What an order has been invoiced and credited so far.
public struct FinanceHistory: Sendable, Hashable {
    /// Per order line position: units on invoices.
    public var invoicedUnits: [Int: Int] = [:]
    /// Per order line position: units on credit notes.
    public var creditedUnits: [Int: Int] = [:]
    /// Per order line position: units cancelled before they shipped.
    public var cancelledUnits: [Int: Int] = [:]
    /// Whether an invoice carried the shipping charge.
    public var shippingInvoiced = false
    /// Whether a credit note gave the shipping charge back.
    public var shippingCredited = false
    /// The order's latest invoice, which a credit note refers to.
    public var lastInvoiceNumber: String?
    /// Gross totals of every invoice and credit note, as issued.
    public var invoicedTotal = Amount.zero
    public var creditedTotal = Amount.zero

    /// An empty history.
    public init() {}

    /// Why crediting `units` (position → units) of `order` is refused, or `nil` when each line
    /// has that many invoiced units not credited yet.
    public func refusal(crediting units: [Int: Int], of order: Order) -> String? {
        guard !units.isEmpty else { return "a credit note needs at least one line with units" }
        for (position, quantity) in units.sorted(by: { $0.key < $1.key }) {
            let open = (invoicedUnits[position] ?? 0) - (creditedUnits[position] ?? 0)
            guard quantity > 0, quantity <= open else {
                return "order \(order.externalID) line \(position) has \(open) invoiced units not credited yet, so "
                    + "a credit note cannot take \(quantity); credit only invoiced units"
            }
        }
        return nil
    }

    /// Whether crediting `units` gives back everything the customer received, with nothing left
    /// to ship: then the shipping charge is refunded too (as on a withdrawal from the purchase).
    public func givesEverythingBack(_ order: Order, crediting units: [Int: Int]) -> Bool {
        guard shippingInvoiced, !shippingCredited else { return false }
        return order.lines.indices.allSatisfy { index in
            let position = index + 1
            let invoiced = invoicedUnits[position] ?? 0
            let credited = (creditedUnits[position] ?? 0) + (units[position] ?? 0)
            return credited == invoiced && invoiced + (cancelledUnits[position] ?? 0) == order.lines[index].quantity
        }
    }
}

extension Invoice {
    /// The document number of the `sequence`th document of a kind: `<prefix>` and at least six digits.
    public static func number(prefix: String, sequence: Int) -> String {
        let digits = String(sequence)
        return prefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The invoice (or credit note) for `units` (position → units) of `order`, priced with the
    /// order's ``OrderSettlement`` and counted on from the units `history` already invoiced (or
    /// credited). An invoice carries the shipping charge when no invoice did before; a credit
    /// note gives it back when it gives everything back, and refers to the latest invoice.
    public static func issue(
        _ kind: Kind, number: String, destination: String, at time: Timestamp, order: Order, units: [Int: Int],
        history: FinanceHistory, defaultTaxRate: Amount
    ) -> Invoice {
        let settlement = OrderSettlement(order: order, defaultTaxRate: defaultTaxRate)
        let before = kind == .invoice ? history.invoicedUnits : history.creditedUnits
        let parts = units.sorted { $0.key < $1.key }.map { position, quantity in
            let from = before[position] ?? 0
            return Invoice.Units(
                orderLine: position, quantity: quantity,
                value: settlement.shipped(line: position - 1, from: from, to: from + quantity))
        }
        return Invoice(
            kind: kind, number: number, destination: destination, issuedAt: time, order: order,
            settlement: settlement, units: parts,
            withShipping: kind == .invoice
                ? !history.shippingInvoiced : history.givesEverythingBack(order, crediting: units),
            invoiceReference: kind == .creditNote ? history.lastInvoiceNumber : nil)
    }
}
