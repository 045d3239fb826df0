/// Whether an order's prices include VAT: `gross` (what a consumer sees, the default) or `net`
/// (a business order, such as a B2B order in UBL). Totals, invoices and credit notes follow it:
/// a net order's invoices carry its net prices as they are and add VAT per rate.
public enum PriceBasis: String, Sendable, Hashable, Codable, CaseIterable {
    case gross
    case net
}
