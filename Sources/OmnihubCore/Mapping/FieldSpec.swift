public import Foundation

/// How one canonical field gets its value from a source record.
///
/// The value comes from a `path`, a `constant` or an `expression`; it is transformed, looked up
/// in a table, falls back to `default` when empty, must be present when `required`, must pass its
/// checks, and is converted to the field's kind (numbers with `decimal_separator`, date-times with
/// `formats` and `zone`, money rounded to `scale` when one is given).
public struct FieldSpec: Sendable {
    /// Where the value comes from.
    public enum Origin: Sendable {
        /// A column name or number (CSV), or a path in an XML or JSON record.
        case path(FieldPath)
        /// The same text for every record.
        case constant(String)
        /// Computed from the record.
        case expression(MappingExpression)
    }

    /// How a field over several records of one document becomes one value.
    public enum Aggregate: String, Sendable, Hashable, CaseIterable {
        /// The value of the document's first record (the first match of the path).
        case first
        /// The sum over every record of the document and every match of the path (numbers).
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
    public var lookup: Lookup?
    public var defaultValue: String?
    public var required: Bool
    public var checks: [FieldCheck]
    public var formats: [DateTimeFormat]
    public var zone: TimeZone?
    public var decimalSeparator: Character
    public var scale: Int?
    public var rounding: RoundingRule
    public var aggregate: Aggregate

    /// A field spec; only the origin is needed, the rest have the defaults a plain feed wants.
    public init(
        origin: Origin, transforms: [Transform] = [], lookup: Lookup? = nil, defaultValue: String? = nil,
        required: Bool = false, checks: [FieldCheck] = [], formats: [DateTimeFormat] = [.iso8601],
        zone: TimeZone? = nil, decimalSeparator: Character = ".", scale: Int? = nil, rounding: RoundingRule = .halfUp,
        aggregate: Aggregate = .first
    ) {
        self.origin = origin
        self.transforms = transforms
        self.lookup = lookup
        self.defaultValue = defaultValue
        self.required = required
        self.checks = checks
        self.formats = formats
        self.zone = zone
        self.decimalSeparator = decimalSeparator
        self.scale = scale
        self.rounding = rounding
        self.aggregate = aggregate
    }

    /// A spec reading `path`; crashes on a malformed path, for tests and code that build mappings.
    public static func path(_ path: String) -> FieldSpec {
        FieldSpec(origin: .path(try! FieldPath(path)))
    }

    /// The path as written, when the value is read from one place of the record (for reports).
    public var pathText: String? {
        switch origin {
        case .path(let path): path.text
        case .expression(let expression): expression.paths.first?.text
        case .constant: nil
        }
    }

    /// Every path the spec reads.
    public var sourcePaths: [FieldPath] {
        switch origin {
        case .path(let path): [path]
        case .expression(let expression): expression.paths
        case .constant: []
        }
    }
}

/// A table that translates a feed's values into the canonical ones, e.g. service levels into
/// delivery methods.
public struct Lookup: Sendable {
    /// What happens to a value that is not in the table.
    public enum Missing: Sendable, Hashable {
        /// It is an error (`lookup_missing`) naming the value and the table.
        case error
        /// It passes through unchanged.
        case pass
        /// It becomes this value.
        case value(String)
    }

    /// The table's name, for errors.
    public var name: String
    /// Feed value → canonical value.
    public var entries: [String: String]
    /// What to do with a value not in the table.
    public var missing: Missing

    /// A lookup.
    public init(name: String, entries: [String: String], missing: Missing) {
        self.name = name
        self.entries = entries
        self.missing = missing
    }
}

/// A rule a field's value must keep, checked after lookup and default.
public enum FieldCheck: Sendable {
    /// The whole value matches the regular expression.
    case pattern(String, RegexBox)
    /// The value is a number within the bounds (either may be open).
    case range(min: Amount?, max: Amount?)
    /// The value is one of these.
    case oneOf([String])
}

/// A compiled regular expression that may be shared between threads: it is only ever matched.
public struct RegexBox: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern`.
    public init(_ pattern: String) throws {
        regex = try Regex(pattern)
    }

    func matches(_ text: String) -> Bool {
        (try? regex.wholeMatch(in: text)) != nil
    }
}

/// How a discount is read: its code and its amount, from the record or from each nested record.
public struct DiscountSpec: Sendable {
    /// Nested records that each carry one discount (`discount_allocations`); `nil`: the record itself.
    public var from: FieldPath?
    /// The promotion code, if the feed names one.
    public var code: FieldSpec?
    /// The amount taken off; a record without one (or with zero) has no discount.
    public var amount: FieldSpec

    /// A discount spec.
    public init(from: FieldPath? = nil, code: FieldSpec?, amount: FieldSpec) {
        self.from = from
        self.code = code
        self.amount = amount
    }
}
