public import Foundation

/// How one canonical field gets its value from a source record.
///
/// The value comes from a `path` in the record or is a `constant`; it is transformed, falls back
/// to `default` when empty, must be present when `required`, and is converted to the field's kind
/// (numbers with `decimal_separator`, date-times with `formats` and `zone`, money rounded to
/// `scale` when one is given).
public struct FieldSpec: Sendable, Hashable {
    /// Where the value comes from.
    public enum Origin: Sendable, Hashable {
        /// A column name or number (CSV), later an XML or JSON path.
        case path(String)
        /// The same text for every record.
        case constant(String)
    }

    /// How a field over several rows of one order becomes one value.
    public enum Aggregate: String, Sendable, Hashable, CaseIterable {
        /// The value of the order's first row.
        case first
        /// The sum over all the order's rows (money and decimals).
        case sum
    }

    /// A text transform applied before conversion, in the order written.
    public enum Transform: String, Sendable, Hashable, CaseIterable {
        /// Removes leading and trailing whitespace.
        case trim
        /// Upper case.
        case upper
        /// Lower case.
        case lower
    }

    public var origin: Origin
    public var transforms: [Transform]
    public var defaultValue: String?
    public var required: Bool
    public var formats: [DateTimeFormat]
    public var zone: TimeZone?
    public var decimalSeparator: Character
    public var scale: Int?
    public var rounding: RoundingRule
    public var aggregate: Aggregate

    /// A field spec; only the origin is needed, the rest have the defaults a plain feed wants.
    public init(
        origin: Origin, transforms: [Transform] = [], defaultValue: String? = nil, required: Bool = false,
        formats: [DateTimeFormat] = [.iso8601], zone: TimeZone? = nil, decimalSeparator: Character = ".",
        scale: Int? = nil, rounding: RoundingRule = .halfUp, aggregate: Aggregate = .first
    ) {
        self.origin = origin
        self.transforms = transforms
        self.defaultValue = defaultValue
        self.required = required
        self.formats = formats
        self.zone = zone
        self.decimalSeparator = decimalSeparator
        self.scale = scale
        self.rounding = rounding
        self.aggregate = aggregate
    }

    /// The source path, when the value is read from the record.
    public var path: String? {
        if case .path(let path) = origin { return path }
        return nil
    }
}

/// How a discount is read: its code and its amount.
public struct DiscountSpec: Sendable, Hashable {
    /// The promotion code, if the feed names one.
    public var code: FieldSpec?
    /// The amount taken off; a record without one (or with zero) has no discount.
    public var amount: FieldSpec

    /// A discount spec.
    public init(code: FieldSpec?, amount: FieldSpec) {
        self.code = code
        self.amount = amount
    }
}
