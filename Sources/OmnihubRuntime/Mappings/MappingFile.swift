import Foundation
public import OmnihubCore

/// Reads a declarative mapping file (YAML) into an ``OrderMapping``, checking every key before any
/// feed is read. `docs/mapping.md` is the reference for the format.
public enum MappingFile {
    /// Loads and checks the mapping at `path`.
    public static func load(_ path: String) throws(ConfigurationError) -> OrderMapping {
        try parse(YAMLNode.load(path))
    }

    /// Parses mapping text, for tests and tools; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> OrderMapping {
        try parse(YAMLNode.parse(text, file: file))
    }

    static func parse(_ root: YAMLNode) throws(ConfigurationError) -> OrderMapping {
        try root.allowOnly([
            "mapping", "document", "format", "encoding", "group_by", "on_error", "on_changed_resend",
            "order", "lines",
        ])
        let name = try root.required("mapping", "the mapping's name, e.g. amazon-de-orders").text()
        let document = try root.required("document", "the kind of document the feed carries: order").text()
        guard document == "order" else {
            throw try root.required("document", "").error(
                "'\(document)' is not a document kind this version maps; expected: order")
        }
        let format = try parseFormat(root.required("format", "the feed's format, e.g. {type: csv}"))
        let orderNode = try root.required("order", "the order fields and where their values come from")
        let linesNode = try root.required("lines", "the line fields and where their values come from")
        let orderKeys = OrderField.allCases.map(\.rawValue) + ["discounts"]
        try orderNode.allowOnly(orderKeys)
        try linesNode.allowOnly(LineField.allCases.map(\.rawValue) + ["discounts"])
        var orderFields: [OrderField: FieldSpec] = [:]
        for (key, value) in try orderNode.entries() {
            guard let field = OrderField(rawValue: key) else { continue }
            orderFields[field] = try parseSpec(value, kind: field.kind, allowAggregate: true)
        }
        var lineFields: [LineField: FieldSpec] = [:]
        for (key, value) in try linesNode.entries() {
            guard let field = LineField(rawValue: key) else { continue }
            lineFields[field] = try parseSpec(value, kind: field.kind, allowAggregate: false)
        }
        for (field, what) in [
            (OrderField.channel, "the channel"), (.externalID, "the order number"),
            (.placedAt, "when the order was placed"), (.currency, "the currency"),
        ]
        where orderFields[field] == nil {
            throw orderNode.error("order.\(field.rawValue) is missing; every order needs \(what)")
        }
        for (field, what) in [(LineField.sku, "the SKU"), (.quantity, "the quantity")] where lineFields[field] == nil {
            throw linesNode.error("lines.\(field.rawValue) is missing; every line needs \(what)")
        }
        if lineFields[.unitPrice] == nil && lineFields[.lineTotal] == nil {
            throw linesNode.error(
                "lines needs unit_price, or line_total when the feed gives the price of the whole line")
        }
        if lineFields[.unitPrice] != nil && lineFields[.lineTotal] != nil {
            throw linesNode.error("give lines.unit_price or lines.line_total, not both")
        }
        return OrderMapping(
            name: name, format: format,
            encoding: try root.optional("encoding")?.choice(TextEncoding.self) ?? .utf8,
            groupBy: try root.optional("group_by")?.text("the path whose value is the same on every row of one order"),
            errorPolicy: try root.optional("on_error")?.choice(OrderMapping.ErrorPolicy.self) ?? .importValid,
            changedResendPolicy: try root.optional("on_changed_resend")?.choice(OrderMapping.ChangedResendPolicy.self)
                ?? .skip,
            orderFields: orderFields, lineFields: lineFields,
            lineDiscounts: try parseDiscounts(linesNode.optional("discounts")),
            orderDiscounts: try parseDiscounts(orderNode.optional("discounts")))
    }

    private static func parseFormat(_ node: YAMLNode) throws(ConfigurationError) -> OrderMapping.Format {
        try node.allowOnly(["type", "delimiter", "quote", "header", "skip_rows"])
        let type = try node.required("type", "the format: csv").text()
        guard type == "csv" || type == "tsv" else {
            throw try node.required("type", "").error("'\(type)' is not a format this version reads; expected: csv")
        }
        var dialect = CSVDialect()
        if type == "tsv" { dialect.delimiter = 9 }
        if let delimiter = try node.optional("delimiter") {
            dialect.delimiter = try byte(delimiter, names: ["tab": 9, "comma": 44, "semicolon": 59, "pipe": 124])
        }
        if let quote = try node.optional("quote") {
            dialect.quote = try quote.text() == "none" ? nil : try byte(quote, names: [:])
        }
        if let header = try node.optional("header") { dialect.hasHeader = try header.boolean() }
        if let skip = try node.optional("skip_rows") { dialect.skipRows = try skip.integer() }
        return .csv(dialect)
    }

    private static func byte(_ node: YAMLNode, names: [String: UInt8]) throws(ConfigurationError) -> UInt8 {
        let text = try node.text()
        if let named = names[text] { return named }
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 128 else {
            let choices = names.keys.sorted().joined(separator: ", ")
            throw node.error(
                "'\(text)' must be a single ASCII character" + (choices.isEmpty ? "" : " or one of \(choices)"))
        }
        return byte
    }

    private static func parseSpec(_ node: YAMLNode, kind: FieldKind, allowAggregate: Bool) throws(ConfigurationError)
        -> FieldSpec
    {
        if node.isScalar { return FieldSpec(origin: .path(try node.text())) }
        var known = [
            "path", "const", "transforms", "default", "required", "type", "formats", "zone",
            "decimal_separator", "scale", "rounding",
        ]
        if allowAggregate { known.append("aggregate") }
        try node.allowOnly(known)
        let path = try node.optional("path")?.text()
        let constant = try node.optional("const")?.text()
        var spec: FieldSpec
        switch (path, constant) {
        case (let path?, nil): spec = FieldSpec(origin: .path(path))
        case (nil, let constant?): spec = FieldSpec(origin: .constant(constant))
        default:
            throw node.error("give exactly one of path (where the value is in the record) or const (a fixed value)")
        }
        if let type = try node.optional("type") {
            let declared = try type.text()
            guard declared == kind.rawValue || (declared == "decimal" && kind == .money) else {
                throw type.error("this field holds \(kind.rawValue) values; '\(declared)' does not fit it")
            }
        }
        if let transforms = try node.optional("transforms") {
            spec.transforms = []
            for item in try transforms.items() { spec.transforms.append(try item.choice(FieldSpec.Transform.self)) }
        }
        spec.defaultValue = try node.optional("default")?.text()
        spec.required = try node.optional("required")?.boolean() ?? false
        if let formats = try node.optional("formats") {
            spec.formats = []
            for item in try formats.items() {
                let pattern = try item.text()
                do {
                    spec.formats.append(try DateTimeFormat(pattern: pattern))
                } catch {
                    throw item.error(error.message)
                }
            }
        }
        if let zone = try node.optional("zone") {
            let identifier = try zone.text()
            guard let timeZone = TimeZone(identifier: identifier) else {
                throw zone.error("'\(identifier)' is not an IANA time zone such as Europe/Berlin or UTC")
            }
            spec.zone = timeZone
        }
        if let separator = try node.optional("decimal_separator") {
            let text = try separator.text()
            guard text.count == 1, let character = text.first else {
                throw separator.error("expected one character, '.' or ','")
            }
            spec.decimalSeparator = character
        }
        if let scale = try node.optional("scale") {
            let value = try scale.integer("the number of decimals to round to, 0 to \(Amount.maximumScale)")
            guard (0...Amount.maximumScale).contains(value) else {
                throw scale.error("expected 0 to \(Amount.maximumScale) decimals")
            }
            spec.scale = value
        }
        if let rounding = try node.optional("rounding") { spec.rounding = try rounding.choice(RoundingRule.self) }
        if let aggregate = try node.optional("aggregate") {
            spec.aggregate = try aggregate.choice(FieldSpec.Aggregate.self)
            if spec.aggregate == .sum && kind != .money && kind != .decimal {
                throw aggregate.error("sum adds up numbers; this field holds \(kind.rawValue) values")
            }
        }
        return spec
    }

    private static func parseDiscounts(_ node: YAMLNode?) throws(ConfigurationError) -> [DiscountSpec] {
        guard let node else { return [] }
        var discounts: [DiscountSpec] = []
        for item in try node.items() {
            try item.allowOnly(["code", "amount"])
            let amount = try parseSpec(
                item.required("amount", "where the discount's amount is"), kind: .money,
                allowAggregate: false)
            let code = try item.optional("code").map { (node) throws(ConfigurationError) in
                try parseSpec(node, kind: .text, allowAggregate: false)
            }
            discounts.append(DiscountSpec(code: code, amount: amount))
        }
        return discounts
    }
}
