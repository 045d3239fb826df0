import Foundation
import OmnihubCore

/// Reads field specs, conditions and discounts from a mapping file.
struct SpecReader {
    let lookups: [String: Lookup]

    func specs(_ node: YAMLNode, names: [String], allowAggregate: Bool) throws(ConfigurationError) -> [String:
        FieldSpec]
    {
        var specs: [String: FieldSpec] = [:]
        for (key, value) in try node.entries() where names.contains(key) {
            specs[key] = try spec(value, allowAggregate: allowAggregate)
        }
        return specs
    }

    func conditions(_ node: YAMLNode?, names: [String], allowAggregate: Bool) throws(ConfigurationError)
        -> [ConditionalFields]
    {
        guard let node else { return [] }
        var conditions: [ConditionalFields] = []
        for item in try node.items() {
            try item.allowOnly(["if", "set"])
            let condition = try expression(item.required("if", "a condition such as \"{status} = 'pickup'\""))
            let set = try item.required("set", "the fields to set when the condition holds")
            try set.allowOnly(names)
            conditions.append(
                ConditionalFields(
                    condition: condition, fields: try specs(set, names: names, allowAggregate: allowAggregate)))
        }
        return conditions
    }

    /// Discount specs; an order's own discounts (`orderLevel`) may sum their amount over the
    /// order's rows (`aggregate: sum`).
    func discounts(_ node: YAMLNode?, orderLevel: Bool = false) throws(ConfigurationError) -> [DiscountSpec] {
        guard let node else { return [] }
        var discounts: [DiscountSpec] = []
        for item in try node.items() {
            try item.allowOnly(["from", "code", "amount"])
            let fromRows = try item.optional("from") != nil
            let amount = try spec(
                item.required("amount", "where the discount's amount is"), allowAggregate: orderLevel && !fromRows)
            let code = try item.optional("code").map { (node) throws(ConfigurationError) in
                try spec(node, allowAggregate: false)
            }
            let from = try item.optional("from").map { (node) throws(ConfigurationError) in try MappingFile.path(node) }
            discounts.append(DiscountSpec(from: from, code: code, amount: amount))
        }
        return discounts
    }

    func expression(_ node: YAMLNode) throws(ConfigurationError) -> MappingExpression {
        let text = try node.text("an expression")
        do {
            return try MappingExpression(parsing: text)
        } catch {
            throw node.error(error.message)
        }
    }

    func spec(_ node: YAMLNode, allowAggregate: Bool) throws(ConfigurationError) -> FieldSpec {
        if node.isScalar { return FieldSpec(origin: .path(try MappingFile.path(node))) }
        var known = [
            "path", "const", "expr", "transforms", "lookup", "missing", "default", "required", "type", "formats",
            "zone",
            "decimal_separator", "scale", "rounding", "pattern", "range", "one_of",
        ]
        if allowAggregate { known.append("aggregate") }
        try node.allowOnly(known)
        let origins = try [node.optional("path"), node.optional("const"), node.optional("expr")]
        guard origins.compactMap({ $0 }).count == 1 else {
            throw node.error(
                "give exactly one of path (where the value is), const (a fixed value) or expr (a computed value)")
        }
        var spec: FieldSpec
        if let path = origins[0] {
            spec = FieldSpec(origin: .path(try MappingFile.path(path)))
        } else if let constant = origins[1] {
            spec = FieldSpec(origin: .constant(try constant.text()))
        } else {
            spec = FieldSpec(origin: .expression(try expression(origins[2]!)))
        }
        if let transforms = try node.optional("transforms") {
            for item in try transforms.items() { spec.transforms.append(try item.choice(FieldSpec.Transform.self)) }
        }
        if let lookupNode = try node.optional("lookup") {
            if lookupNode.isScalar {
                let name = try lookupNode.text()
                guard let lookup = lookups[name] else {
                    throw lookupNode.error(
                        "there is no lookup '\(name)'; define it under lookups: (known: "
                            + lookups.keys.sorted().joined(separator: ", ") + ")")
                }
                spec.lookup = lookup
            } else {
                var entries: [String: String] = [:]
                for (key, value) in try lookupNode.entries() { entries[key] = try value.text() }
                spec.lookup = Lookup(name: lookupNode.key, entries: entries, missing: .error)
            }
        }
        if let missing = try LookupSection.missing(node.optional("missing")) {
            guard spec.lookup != nil else {
                throw try node.required("missing", "").error("missing applies to a lookup; add one")
            }
            spec.lookup?.missing = missing
        }
        spec.defaultValue = try node.optional("default")?.text()
        spec.required = try node.optional("required")?.boolean() ?? false
        try readChecks(node, into: &spec)
        try readConversion(node, into: &spec)
        if let aggregate = try node.optional("aggregate") {
            spec.aggregate = try aggregate.choice(FieldSpec.Aggregate.self)
        }
        return spec
    }

    private func readChecks(_ node: YAMLNode, into spec: inout FieldSpec) throws(ConfigurationError) {
        if let pattern = try node.optional("pattern") {
            let text = try pattern.text()
            do {
                spec.checks.append(.pattern(text, try RegexBox(text)))
            } catch {
                throw pattern.error("'\(text)' is not a regular expression: \(error)")
            }
        }
        if let range = try node.optional("range") {
            try range.allowOnly(["min", "max"])
            func bound(_ key: String) throws(ConfigurationError) -> Amount? {
                guard let value = try range.optional(key) else { return nil }
                guard let amount = Amount(parsing: try value.text()) else { throw value.error("expected a number") }
                return amount
            }
            spec.checks.append(.range(min: try bound("min"), max: try bound("max")))
        }
        if let oneOf = try node.optional("one_of") {
            var allowed: [String] = []
            for item in try oneOf.items() { allowed.append(try item.text()) }
            spec.checks.append(.oneOf(allowed))
        }
    }

    private func readConversion(_ node: YAMLNode, into spec: inout FieldSpec) throws(ConfigurationError) {
        if let type = try node.optional("type") {
            let declared = try type.text()
            let known = ["text", "int", "decimal", "money", "datetime", "currency", "delivery_method"]
            guard known.contains(declared) else {
                throw type.error("'\(declared)' is not a type; expected one of \(known.joined(separator: ", "))")
            }
        }
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
    }
}
