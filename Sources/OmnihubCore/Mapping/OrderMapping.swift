/// A partner feed's mapping: how its records become canonical orders.
///
/// Loaded from a declarative mapping file in `mappings/` (see `docs/mapping.md`); nothing about a
/// partner's format is in code.
public struct OrderMapping: Sendable {
    /// The feed's file format.
    public enum Format: Sendable, Hashable {
        /// Delimited text.
        case csv(CSVDialect)
    }

    /// What happens to a file with some bad records.
    public enum ErrorPolicy: String, Sendable, Hashable, CaseIterable {
        /// Good orders are imported; bad ones are reported and the file goes to quarantine.
        case importValid = "import_valid"
        /// One bad record rejects the whole file: nothing is imported.
        case rejectFile = "reject_file"
    }

    /// What happens when an order that is already imported arrives again with other content.
    public enum ChangedResendPolicy: String, Sendable, Hashable, CaseIterable {
        /// The stored order stays; the re-send is reported as `changed_resend`.
        case skip
    }

    /// The mapping's name, for logs and reports.
    public var name: String
    /// The feed's file format.
    public var format: Format
    /// The feed's character encoding.
    public var encoding: TextEncoding
    /// The path whose value groups consecutive rows into one order; `nil` means one record, one order.
    public var groupBy: String?
    /// Bad records: import the rest, or reject the file.
    public var errorPolicy: ErrorPolicy
    /// An imported order arriving again with changes.
    public var changedResendPolicy: ChangedResendPolicy
    /// Order fields and where their values come from.
    public var orderFields: [OrderField: FieldSpec]
    /// Line fields, read from each row of the order.
    public var lineFields: [LineField: FieldSpec]
    /// Discounts on each line.
    public var lineDiscounts: [DiscountSpec]
    /// Discounts on the whole order.
    public var orderDiscounts: [DiscountSpec]

    /// A mapping; ``MappingFile`` in the runtime builds it from YAML and checks it.
    public init(
        name: String, format: Format, encoding: TextEncoding = .utf8, groupBy: String?,
        errorPolicy: ErrorPolicy = .importValid, changedResendPolicy: ChangedResendPolicy = .skip,
        orderFields: [OrderField: FieldSpec], lineFields: [LineField: FieldSpec], lineDiscounts: [DiscountSpec] = [],
        orderDiscounts: [DiscountSpec] = []
    ) {
        self.name = name
        self.format = format
        self.encoding = encoding
        self.groupBy = groupBy
        self.errorPolicy = errorPolicy
        self.changedResendPolicy = changedResendPolicy
        self.orderFields = orderFields
        self.lineFields = lineFields
        self.lineDiscounts = lineDiscounts
        self.orderDiscounts = orderDiscounts
    }

    /// Every source path the mapping reads, to check against a feed's columns before mapping it.
    public var sourcePaths: [String] {
        var specs = Array(orderFields.values) + Array(lineFields.values)
        for discount in lineDiscounts + orderDiscounts {
            specs.append(discount.amount)
            if let code = discount.code { specs.append(code) }
        }
        var paths = Set(specs.compactMap(\.path))
        if let groupBy { paths.insert(groupBy) }
        return paths.sorted()
    }
}
