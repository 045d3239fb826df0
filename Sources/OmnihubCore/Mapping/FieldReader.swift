/// The canonical field an issue is about, formatted only when an issue is reported.
struct FieldName: CustomStringConvertible {
    /// The line number, from 1, for line fields.
    let line: Int?
    /// The field's name, e.g. `quantity` or `ship_to.city`.
    let name: String

    init(_ name: String, line: Int? = nil) {
        self.name = name
        self.line = line
    }

    var description: String { line.map { "lines[\($0)].\(name)" } ?? name }
}

/// Reads field specs from records, collecting every issue of one document instead of stopping at
/// the first.
struct FieldReader {
    let fileName: String?
    var issues: [MappingIssue] = []

    func hasIssue(field: FieldName) -> Bool {
        let text = field.description
        return issues.contains { $0.field == text }
    }

    /// The spec's raw value before transforms: from the path, the constant or the expression.
    private mutating func raw(_ spec: FieldSpec, field: FieldName, in record: any SourceRecord) -> String?? {
        switch spec.origin {
        case .constant(let constant):
            return .some(constant)
        case .path(let path):
            do {
                return .some(try record.value(at: path))
            } catch {
                var issue = error
                issue.field = field.description
                issues.append(issue)
                return nil
            }
        case .expression(let expression):
            do {
                return .some(try expression.evaluate(record).text)
            } catch {
                issues.append(
                    issue(.invalidValue, spec: spec, field: field, value: nil, record: record, message: error.message))
                return nil
            }
        }
    }

    /// The spec's value as text after transforms, lookup, default and checks; `nil` when empty
    /// (or when it broke a rule, which is then in ``issues``).
    mutating func text(_ spec: FieldSpec, field: FieldName, in record: any SourceRecord) -> String? {
        guard let raw = raw(spec, field: field, in: record) else { return nil }
        return finish(raw, spec: spec, field: field, record: record)
    }

    private mutating func finish(_ raw: String?, spec: FieldSpec, field: FieldName, record: any SourceRecord) -> String?
    {
        var value = raw
        if var text = value {
            for transform in spec.transforms {
                switch transform {
                case .trim: text = String(text.trimmingSpaces)
                case .upper: text = text.uppercasedQuickly
                case .lower: text = text.lowercasedQuickly
                }
            }
            value = text.isEmpty ? nil : text
        }
        if let text = value, let lookup = spec.lookup {
            if let translated = lookup.entries[text] {
                value = translated
            } else {
                switch lookup.missing {
                case .pass:
                    break
                case .value(let fallback):
                    value = fallback
                case .error:
                    let known = lookup.entries.keys.sorted().prefix(12).map { "'\($0)'" }.joined(separator: ", ")
                    issues.append(
                        issue(
                            .lookupMissing, spec: spec, field: field, value: text, record: record,
                            message:
                                "'\(text)' is not in the table '\(lookup.name)' (it knows \(known)); add it to the "
                                + "table, or set missing: pass or a default in the mapping"))
                    return nil
                }
            }
        }
        if value == nil { value = spec.defaultValue }
        guard let text = value else {
            if spec.required {
                issues.append(
                    issue(
                        .missingField, spec: spec, field: field, value: nil, record: record,
                        message: spec.pathText.map { "the required value is empty or missing; '\($0)' must be filled" }
                            ?? "the required value is empty"))
            }
            return nil
        }
        for check in spec.checks {
            if let failure = failure(of: check, text, spec: spec) {
                issues.append(
                    issue(.checkFailed, spec: spec, field: field, value: text, record: record, message: failure))
                return nil
            }
        }
        return text
    }

    private func failure(of check: FieldCheck, _ text: String, spec: FieldSpec) -> String? {
        switch check {
        case .pattern(let pattern, let regex):
            return regex.matches(text) ? nil : "'\(text)' does not match the pattern \(pattern)"
        case .oneOf(let allowed):
            return allowed.contains(text)
                ? nil : "'\(text)' is not one of " + allowed.map { "'\($0)'" }.joined(separator: ", ")
        case .range(let minimum, let maximum):
            guard let number = Amount(parsing: text, decimalSeparator: spec.decimalSeparator) else {
                return "'\(text)' is not a number, so it cannot be checked against its range"
            }
            if let minimum, number < minimum { return "\(text) is below the minimum \(minimum)" }
            if let maximum, number > maximum { return "\(text) is above the maximum \(maximum)" }
            return nil
        }
    }

    /// The spec's value converted to `kind`; `nil` (with an issue) when it cannot be converted.
    mutating func value(_ spec: FieldSpec, kind: FieldKind, field: FieldName, in record: any SourceRecord)
        -> FieldValue?
    {
        guard let text = text(spec, field: field, in: record) else { return nil }
        return convert(text, spec: spec, kind: kind, field: field, record: record)
    }

    /// The sum of the spec's values over `records` and every match of its path in each.
    mutating func sum(_ spec: FieldSpec, kind: FieldKind, field: FieldName, over records: [any SourceRecord])
        -> FieldValue?
    {
        var total: Amount?
        for record in records {
            var texts: [String?] = []
            if case .path(let path) = spec.origin {
                do {
                    texts = try record.values(at: path)
                } catch {
                    var issue = error
                    issue.field = field.description
                    issues.append(issue)
                }
            } else if let raw = raw(spec, field: field, in: record) {
                texts = [raw]
            }
            for raw in texts {
                guard let text = finish(raw, spec: spec, field: field, record: record),
                    let amount = convert(text, spec: spec, kind: kind, field: field, record: record)?.amount
                else { continue }
                total = (total ?? .zero) + amount
            }
        }
        return total.map(FieldValue.amount)
    }

    private mutating func convert(
        _ text: String, spec: FieldSpec, kind: FieldKind, field: FieldName, record: any SourceRecord
    )
        -> FieldValue?
    {
        do {
            return try convert(text, spec: spec, kind: kind)
        } catch {
            let code: IssueCode =
                switch kind {
                case .datetime: .invalidDateTime
                case .currency: .unknownCurrency
                case .deliveryMethod: .unknownEnumValue
                default: .invalidValue
                }
            issues.append(issue(code, spec: spec, field: field, value: text, record: record, message: error.message))
            return nil
        }
    }

    private func convert(_ text: String, spec: FieldSpec, kind: FieldKind) throws(ConversionFailure) -> FieldValue {
        switch kind {
        case .text:
            return .text(text)
        case .int:
            if let number = Int(text) { return .int(number) }
            // Feeds written by spreadsheets say 2.0 for 2; anything with a real fraction is an error.
            if let amount = Amount(parsing: text, decimalSeparator: spec.decimalSeparator), amount.normalized.scale == 0
            {
                return .int(Int(amount.normalized.units))
            }
            throw ConversionFailure("'\(text)' is not a whole number")
        case .decimal, .money:
            guard var amount = Amount(parsing: text, decimalSeparator: spec.decimalSeparator) else {
                let example = spec.decimalSeparator == "." ? "1234.50" : "1234\(spec.decimalSeparator)50"
                throw ConversionFailure(
                    "'\(text)' is not a decimal number such as \(example) (decimal separator "
                        + "'\(spec.decimalSeparator)', no thousands separators)")
            }
            if let scale = spec.scale {
                do {
                    amount = try amount.rescaled(to: scale, rule: spec.rounding)
                } catch {
                    throw ConversionFailure("'\(text)' cannot be kept at \(scale) decimals: \(error.reason)")
                }
            }
            return .amount(amount)
        case .datetime:
            var failures: [String] = []
            for format in spec.formats {
                do {
                    return .timestamp(try format.parse(text, zone: spec.zone))
                } catch {
                    failures.append(error.message)
                }
            }
            throw ConversionFailure(failures.count == 1 ? failures[0] : failures.joined(separator: "; "))
        case .currency:
            guard let currency = Currency(code: text) else {
                throw ConversionFailure("'\(text)' is not an ISO 4217 currency code such as EUR")
            }
            return .currency(currency)
        case .deliveryMethod:
            guard let method = DeliveryMethod(rawValue: text) else {
                throw ConversionFailure(
                    "'\(text)' is not a delivery method; expected one of ship, collect, reserve "
                        + "(translate the feed's values with a lookup in the mapping)")
            }
            return .deliveryMethod(method)
        }
    }

    func issue(
        _ code: IssueCode, spec: FieldSpec?, field: FieldName, value: String?, record: any SourceRecord, message: String
    ) -> MappingIssue {
        MappingIssue(
            code, file: fileName, record: record.position.record, line: record.position.line,
            field: field.description, source: spec?.pathText, value: value, message: message)
    }
}
