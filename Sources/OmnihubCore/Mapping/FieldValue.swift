/// A source value converted to the kind its canonical field needs.
enum FieldValue {
    case text(String)
    case int(Int)
    case amount(Amount)
    case timestamp(Timestamp)
    case currency(Currency)
    case deliveryMethod(DeliveryMethod)

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }
    var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }
    var amount: Amount? {
        if case .amount(let value) = self { return value }
        return nil
    }
    var timestamp: Timestamp? {
        if case .timestamp(let value) = self { return value }
        return nil
    }
    var currency: Currency? {
        if case .currency(let value) = self { return value }
        return nil
    }
    var deliveryMethod: DeliveryMethod? {
        if case .deliveryMethod(let value) = self { return value }
        return nil
    }
}
