/// The value of a mapping expression while it is evaluated.
public enum ExpressionValue: Sendable, Hashable {
    /// No value: an empty or missing source field.
    case null
    /// Text.
    case text(String)
    /// An exact decimal.
    case number(Amount)
    /// The result of a comparison.
    case bool(Bool)

    /// The value as the text a field converts: numbers keep their scale, booleans are `true`/`false`.
    public var text: String? {
        switch self {
        case .null: nil
        case .text(let text): text
        case .number(let amount): amount.description
        case .bool(let flag): flag ? "true" : "false"
        }
    }

    /// The value as a number, reading text with `.` as the decimal separator.
    func number(_ context: String) throws(ConversionFailure) -> Amount? {
        switch self {
        case .null: return nil
        case .number(let amount): return amount
        case .bool: throw ConversionFailure("\(context): a comparison is not a number")
        case .text(let text):
            guard let amount = Amount(parsing: text.trimmingSpaces) else {
                throw ConversionFailure("\(context): '\(text)' is not a number")
            }
            return amount
        }
    }

    /// Truth for conditions: false, null, empty text and zero are false.
    var isTrue: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .text(let text): !text.isEmpty && text != "false"
        case .number(let amount): !amount.isZero
        }
    }
}
