/// A partner feed's mapping: how its records become canonical documents.
///
/// Loaded from a declarative mapping file in `mappings/` (see `docs/mapping.md`); nothing about a
/// partner's format is in code.
public struct DocumentMapping: Sendable {
    /// The feed's file format and where its records are.
    public enum Format: Sendable, Hashable {
        /// Delimited text; a row is a record.
        case csv(CSVDialect)
        /// JSON, one document or one record a line.
        case json(JSONLayout)
        /// XML; the elements at the record path are records, element names use `namespaces`' prefixes.
        case xml(recordPath: XMLRecordPath, namespaces: [String: String])
    }

    /// What happens to a file with some bad records.
    public enum ErrorPolicy: String, Sendable, Hashable, CaseIterable {
        /// Good documents are imported; bad ones are reported and the file goes to quarantine.
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
    /// The kind of document the feed carries.
    public var document: DocumentKind
    /// The feed's format.
    public var format: Format
    /// The feed's character encoding; `nil` is UTF-8, or for XML what the document declares.
    public var encoding: TextEncoding?
    /// The path whose value groups consecutive records into one document; `nil`: a record is a document.
    public var groupBy: FieldPath?
    /// Paths that take the value of the record above when they are blank (continuation rows).
    public var fillDown: [FieldPath]
    /// Bad records: import the rest, or reject the file.
    public var errorPolicy: ErrorPolicy
    /// An imported order arriving again with changes.
    public var changedResendPolicy: ChangedResendPolicy
    /// Document fields, by canonical name, and where their values come from.
    public var fields: [String: FieldSpec]
    /// Fields set only when a condition holds, applied in order after ``fields``.
    public var conditions: [ConditionalFields]
    /// Discounts on the whole order.
    public var discounts: [DiscountSpec]
    /// Where lines come from and how they are read.
    public var lines: LineMapping
    /// How deep, long and wide the feed's records may be before a file is refused as hostile.
    public var limits: FeedLimits = .standard

    /// A mapping; `MappingFile` in the runtime builds it from YAML and checks it.
    public init(
        name: String, document: DocumentKind = .order, format: Format, encoding: TextEncoding? = nil,
        groupBy: FieldPath? = nil, fillDown: [FieldPath] = [], errorPolicy: ErrorPolicy = .importValid,
        changedResendPolicy: ChangedResendPolicy = .skip, fields: [String: FieldSpec],
        conditions: [ConditionalFields] = [], discounts: [DiscountSpec] = [], lines: LineMapping
    ) {
        self.name = name
        self.document = document
        self.format = format
        self.encoding = encoding
        self.groupBy = groupBy
        self.fillDown = fillDown
        self.errorPolicy = errorPolicy
        self.changedResendPolicy = changedResendPolicy
        self.fields = fields
        self.conditions = conditions
        self.discounts = discounts
        self.lines = lines
    }

    /// The schema of the mapped document kind.
    public var schema: DocumentSchema { DocumentSchema.of(document) }

    /// Every source path the mapping reads at the top level of a record (for CSV, the columns it needs).
    public var sourcePaths: [FieldPath] {
        var specs = Array(fields.values) + conditions.flatMap { Array($0.fields.values) }
        var paths: [FieldPath] = conditions.flatMap(\.condition.paths)
        for discount in discounts where discount.from == nil {
            specs.append(discount.amount)
            if let code = discount.code { specs.append(code) }
        }
        if lines.from == nil {
            specs += Array(lines.fields.values) + lines.conditions.flatMap { Array($0.fields.values) }
            paths += lines.conditions.flatMap(\.condition.paths)
            for discount in lines.discounts where discount.from == nil {
                specs.append(discount.amount)
                if let code = discount.code { specs.append(code) }
            }
        }
        paths += specs.flatMap(\.sourcePaths) + fillDown
        if let groupBy { paths.append(groupBy) }
        var seen: Set<String> = []
        return paths.filter { seen.insert($0.text).inserted }.sorted { $0.text < $1.text }
    }
}

/// Where a document's lines come from and how each is read.
public struct LineMapping: Sendable {
    /// The nested records that are lines (`line_items`, `cac:OrderLine`); `nil`: each record of a
    /// group (each CSV row) is a line.
    public var from: FieldPath?
    /// Line fields by canonical name.
    public var fields: [String: FieldSpec]
    /// Line fields set only when a condition holds.
    public var conditions: [ConditionalFields]
    /// Discounts on each line.
    public var discounts: [DiscountSpec]

    /// A line mapping.
    public init(
        from: FieldPath? = nil, fields: [String: FieldSpec], conditions: [ConditionalFields] = [],
        discounts: [DiscountSpec] = []
    ) {
        self.from = from
        self.fields = fields
        self.conditions = conditions
        self.discounts = discounts
    }
}

/// Fields set when a condition over the record holds, e.g. click & collect when a service level
/// says so.
public struct ConditionalFields: Sendable {
    /// When to apply.
    public var condition: MappingExpression
    /// What to set, by canonical name; these replace the unconditional specs.
    public var fields: [String: FieldSpec]

    /// A conditional set of fields.
    public init(condition: MappingExpression, fields: [String: FieldSpec]) {
        self.condition = condition
        self.fields = fields
    }
}
