import Foundation
package import OmnihubCore

/// Reads a declarative mapping file (YAML) into a ``DocumentMapping``, checking every key before
/// any feed is read. `docs/mapping.md` is the reference for the format.
package enum MappingFile {
    /// Loads and checks the mapping at `path`; lookup files are found relative to it.
    package static func load(_ path: String) throws(ConfigurationError) -> DocumentMapping {
        let folder = (path as NSString).deletingLastPathComponent
        return try parse(YAMLNode.load(path), folder: folder)
    }

    /// Parses mapping text, for tests and tools; `file` names it in errors, `folder` holds lookup files.
    package static func parse(_ text: String, file: String, folder: String = ".") throws(ConfigurationError)
        -> DocumentMapping
    {
        try parse(YAMLNode.parse(text, file: file), folder: folder)
    }

    static func parse(_ root: YAMLNode, folder: String) throws(ConfigurationError) -> DocumentMapping {
        try root.allowOnly([
            "mapping", "document", "format", "encoding", "group_by", "fill_down", "on_error", "on_changed_resend",
            "lookups", "order", "fields", "lines", "limits",
        ])
        let name = try root.required("mapping", "the mapping's name, e.g. amazon-de-orders").text()
        let document = try root.required("document", "the kind of document the feed carries, e.g. order")
            .choice(DocumentKind.self)
        let schema = DocumentSchema.of(document)
        let format = try FormatSection.parse(root.required("format", "the feed's format, e.g. {type: csv}"))
        let encoding = try root.optional("encoding")?.choice(TextEncoding.self)
        if case .json = format, let encoding, encoding != .utf8 {
            throw try root.required("encoding", "").error("JSON is always UTF-8; remove the encoding or set utf-8")
        }
        let reader = SpecReader(lookups: try LookupSection.parse(root.optional("lookups"), folder: folder))

        let headerKey = document == .order ? "order" : "fields"
        let otherKey = document == .order ? "fields" : "order"
        if let misplaced = try root.optional(otherKey) {
            throw misplaced.error("a \(document.rawValue) mapping puts its fields under '\(headerKey):'")
        }
        let headerNode = try root.required(
            headerKey, "the \(document.rawValue)'s fields and where their values come from")
        let headerNames = schema.header.map(\.name)
        try headerNode.allowOnly(headerNames + ["when"] + (schema.hasDiscounts ? ["discounts"] : []))
        let fields = try reader.specs(headerNode, names: headerNames, allowAggregate: true)
        let conditions = try reader.conditions(headerNode.optional("when"), names: headerNames, allowAggregate: true)
        let discounts = try reader.discounts(headerNode.optional("discounts"), orderLevel: true)
        for field in schema.header where field.required && fields[field.name] == nil {
            throw headerNode.error("\(headerKey).\(field.name) is missing; every \(document.rawValue) needs it")
        }

        let lineNames = schema.lines.map(\.name)
        var lines = LineMapping(fields: [:])
        if let linesNode = try root.optional("lines") {
            try linesNode.allowOnly(lineNames + ["from", "when"] + (schema.hasDiscounts ? ["discounts"] : []))
            lines.from = try linesNode.optional("from").map { (node) throws(ConfigurationError) in try path(node) }
            lines.fields = try reader.specs(linesNode, names: lineNames, allowAggregate: false)
            lines.conditions = try reader.conditions(
                linesNode.optional("when"), names: lineNames, allowAggregate: false)
            lines.discounts = try reader.discounts(linesNode.optional("discounts"))
            for field in schema.lines where field.required && lines.fields[field.name] == nil {
                throw linesNode.error("lines.\(field.name) is missing; every line needs it")
            }
            if document == .order {
                let prices = ["unit_price", "line_total"].filter { lines.fields[$0] != nil }
                if prices.isEmpty {
                    throw linesNode.error(
                        "lines needs unit_price, or line_total when the feed gives the price of the whole line")
                }
                if prices.count == 2 { throw linesNode.error("give lines.unit_price or lines.line_total, not both") }
            }
        } else if schema.needsLines {
            throw root.error("'lines' is missing; a \(document.rawValue) needs lines, mapped under 'lines:'")
        }
        var fillDown: [FieldPath] = []
        if let node = try root.optional("fill_down") {
            for item in try node.items() { fillDown.append(try path(item)) }
        }
        var mapping = DocumentMapping(
            name: name, document: document, format: format, encoding: encoding,
            groupBy: try root.optional("group_by").map { (node) throws(ConfigurationError) in try path(node) },
            fillDown: fillDown,
            errorPolicy: try root.optional("on_error")?.choice(DocumentMapping.ErrorPolicy.self) ?? .importValid,
            changedResendPolicy: try root.optional("on_changed_resend")?.choice(
                DocumentMapping.ChangedResendPolicy.self)
                ?? .skip,
            fields: fields, conditions: conditions, discounts: discounts, lines: lines)
        mapping.limits = try limits(root.optional("limits"))
        return mapping
    }

    /// `limits: {nesting_depth: 64, field_bytes: 65536, record_fields: 100000}`, each optional.
    static func limits(_ node: YAMLNode?) throws(ConfigurationError) -> FeedLimits {
        var limits = FeedLimits.standard
        guard let node else { return limits }
        try node.allowOnly(["nesting_depth", "field_bytes", "record_fields"])
        func positive(_ key: String, _ value: inout Int) throws(ConfigurationError) {
            guard let item = try node.optional(key) else { return }
            let number = try item.integer("a whole number of at least 1")
            guard number >= 1 else { throw item.error("limits.\(key) must be at least 1") }
            value = number
        }
        try positive("nesting_depth", &limits.nestingDepth)
        try positive("field_bytes", &limits.fieldBytes)
        try positive("record_fields", &limits.recordFields)
        return limits
    }

    static func path(_ node: YAMLNode) throws(ConfigurationError) -> FieldPath {
        let text = try node.text("a path")
        do {
            return try FieldPath(text)
        } catch {
            throw node.error(error.message)
        }
    }
}
