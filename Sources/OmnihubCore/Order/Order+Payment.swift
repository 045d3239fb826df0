extension Order {
    /// Payment methods (lower-cased) with which the customer pays after the invoice: on account,
    /// cash on delivery, at the store's counter.
    public static let methodsPaidLater: Set<String> = [
        "invoice", "on_account", "bank_transfer", "cash_on_delivery", "cod", "pay_at_counter", "cash",
    ]

    /// Whether the customer paid when ordering: the order names a payment method that does not
    /// pay later, and it is not reserved in a store (paid at the counter when collected). Only
    /// then do cancelled units give money back.
    public var isPaidUpFront: Bool {
        guard delivery.method != .reserve, let method = payment?.method else { return false }
        return !Self.methodsPaidLater.contains(method.lowercasedQuickly)
    }
}
