/// What the payment side (a payment provider, or the ERP's payments) is told of money going
/// back to a customer: one document per refund, for a cancellation before shipment or a credit
/// note, with the payment it goes back to.
public struct RefundInstruction: FormattedDocument {
    public var type: String { "refund" }
    /// `RF-<refund id>`.
    public var number: String
    public var destination: String
    public var wave: Timestamp
    public var order: Order
    /// `cancellation` or `credit_note`.
    public var cause: String
    /// The cancellation it pays back, or the credit note's number.
    public var reference: String
    public var amount: Amount
    /// The replacement order of an exchange the refund pays for, and what it costs: the payment
    /// side pays out only the difference (``payOut``).
    public var exchangeOrder: String?
    public var exchangeAmount: Amount?
    public var lineCount: Int { 1 }

    /// What goes to the customer's payment: the amount, less a replacement order it pays for;
    /// negative when the customer owes the difference.
    public var payOut: Amount { exchangeAmount.map { amount - $0 } ?? amount }

    /// A refund instruction.
    public init(
        number: String, destination: String, wave: Timestamp, order: Order, cause: String, reference: String,
        amount: Amount
    ) {
        self.number = number
        self.destination = destination
        self.wave = wave
        self.order = order
        self.cause = cause
        self.reference = reference
        self.amount = amount
    }

    public func value(_ name: String, line index: Int) -> String? {
        switch name {
        case "document_type": return type
        case "number": return number
        case "created_at": return wave.description
        case "channel": return order.channel
        case "order": return order.externalID
        case "cause": return cause
        case "reference": return reference
        case "amount": return amount.description
        case "exchange_order": return exchangeOrder
        case "exchange_amount": return exchangeAmount?.description
        case "pay_out": return payOut.description
        case "currency": return order.currency.code
        case "payment_method": return order.payment?.method
        case "payment_reference": return order.payment?.reference
        case "customer_name": return order.customer.name
        case "customer_email": return order.customer.email
        default: return nil
        }
    }

    /// Every name ``value(_:line:)`` knows.
    public static let fieldNames = [
        "document_type", "number", "created_at", "channel", "order", "cause", "reference", "amount", "exchange_order",
        "exchange_amount", "pay_out", "currency", "payment_method", "payment_reference", "customer_name",
        "customer_email",
    ]

    public static let amountFields: Set<String> = ["amount", "exchange_amount", "pay_out"]
}
