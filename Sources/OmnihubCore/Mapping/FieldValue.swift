/// A source value converted to the kind its canonical field needs.
enum FieldValue {
    case text(String)
    case int(Int)
    case amount(Amount)
    case timestamp(Timestamp)
    case currency(Currency)
    case deliveryMethod(DeliveryMethod)

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }
    var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }
    var amount: Amount? {
        if case .amount(let value) = self { return value }
        return nil
    }
    var timestamp: Timestamp? {
        if case .timestamp(let value) = self { return value }
        return nil
    }
    var currency: Currency? {
        if case .currency(let value) = self { return value }
        return nil
    }
    var deliveryMethod: DeliveryMethod? {
        if case .deliveryMethod(let value) = self { return value }
        return nil
    }
}

/// Reads field specs from records, collecting every issue of one order instead of stopping at the first.
struct FieldReader {
    let fileName: String?
    var issues: [MappingIssue] = []

    func hasIssue(field: String) -> Bool {
        issues.contains { $0.field == field }
    }

    /// The spec's value as text after transforms and default; `nil` when empty and without default.
    mutating func text(_ spec: FieldSpec, field: String, in record: any SourceRecord) -> String? {
        var value: String?
        switch spec.origin {
        case .constant(let constant):
            value = constant
        case .path(let path):
            do {
                value = try record.value(at: path)
            } catch {
                var issue = error
                issue.field = field
                issues.append(issue)
                return nil
            }
        }
        if var text = value {
            for transform in spec.transforms {
                switch transform {
                case .trim: text = String(text.trimmingSpaces)
                case .upper: text = text.uppercased()
                case .lower: text = text.lowercased()
                }
            }
            value = text.isEmpty ? nil : text
        }
        if value == nil { value = spec.defaultValue }
        if value == nil && spec.required {
            issues.append(
                issue(
                    .missingField, spec: spec, field: field, value: nil, record: record,
                    message: spec.path.map { "the required value is empty or missing; '\($0)' must be filled" }
                        ?? "the required value is empty"))
        }
        return value
    }

    /// The spec's value converted to `kind`; `nil` (with an issue) when it cannot be converted.
    mutating func value(_ spec: FieldSpec, kind: FieldKind, field: String, in record: any SourceRecord)
        -> FieldValue?
    {
        guard let text = text(spec, field: field, in: record) else { return nil }
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
            guard let number = Int(text) else {
                throw ConversionFailure("'\(text)' is not a whole number")
            }
            return .int(number)
        case .decimal, .money:
            guard var amount = Amount(parsing: text, decimalSeparator: spec.decimalSeparator) else {
                let example = spec.decimalSeparator == "." ? "1234.50" : "1234\(spec.decimalSeparator)50"
                throw ConversionFailure(
                    "'\(text)' is not a decimal number such as \(example) (decimal separator "
                        + "'\(spec.decimalSeparator)', no thousands separators)")
            }
            if let scale = spec.scale { amount = amount.rounded(toScale: scale, rule: spec.rounding) }
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
                        + "(map the feed's values in the mapping)")
            }
            return .deliveryMethod(method)
        }
    }

    func issue(
        _ code: IssueCode, spec: FieldSpec?, field: String, value: String?, record: any SourceRecord, message: String
    ) -> MappingIssue {
        MappingIssue(
            code, file: fileName, record: record.position.record, line: record.position.line, field: field,
            source: spec?.path, value: value, message: message)
    }
}
