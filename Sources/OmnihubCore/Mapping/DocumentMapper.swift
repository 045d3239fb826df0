/// Turns the records of one document (one record, or several rows grouped by the document key)
/// into a canonical document, or into the list of everything wrong with them.
public struct DocumentMapper: Sendable {
    /// The mapping applied.
    public let mapping: DocumentMapping
    /// The file name written into every issue and into the document's source location.
    public let fileName: String

    /// A mapper for records of `fileName`.
    public init(mapping: DocumentMapping, fileName: String) {
        self.mapping = mapping
        self.fileName = fileName
    }

    /// The values read for one line, with the record they came from.
    struct LineValues {
        var values: [String: FieldValue]
        var discounts: [Discount]
        let record: any SourceRecord
    }

    /// The document the records describe, or every issue found in them.
    ///
    /// - Parameter records: at least one record; document fields come from the first (or are summed
    ///   over all, as the mapping says); lines are the records themselves or their nested groups.
    public func document(from records: [any SourceRecord]) -> Result<CanonicalDocument, DocumentRejection> {
        precondition(!records.isEmpty, "a document needs at least one record")
        let schema = mapping.schema
        var reader = FieldReader(fileName: fileName)
        let first = records[0]
        var values: [String: FieldValue] = [:]
        for (name, spec) in effective(mapping.fields, mapping.conditions, on: first, reader: &reader) {
            guard let field = schema.headerField(name) else { continue }
            let value =
                spec.aggregate == .sum
                ? reader.sum(spec, kind: field.kind, field: name, over: records)
                : reader.value(spec, kind: field.kind, field: name, in: first)
            if let value { values[name] = value }
        }
        for field in schema.header where field.required && values[field.name] == nil {
            guard !reader.hasIssue(field: field.name) else { continue }
            reader.issues.append(
                reader.issue(
                    .missingField, spec: mapping.fields[field.name], field: field.name, value: nil, record: first,
                    message: "every \(mapping.document.rawValue) needs \(field.name); the value is empty or missing"))
        }
        let lineRecords = mapping.lines.from.map { path in records.flatMap { $0.records(at: path) } } ?? records
        var lines: [LineValues] = []
        if !mapping.lines.fields.isEmpty {
            for (index, record) in lineRecords.enumerated() {
                lines.append(lineValues(record, number: index + 1, schema: schema, reader: &reader))
            }
        }
        let discounts = self.discounts(mapping.discounts, field: "discounts", in: first, reader: &reader)
        let key = values["external_id"]?.text ?? values["node"]?.text
        guard reader.issues.isEmpty else {
            return .failure(DocumentRejection(key: key, issues: reader.issues))
        }
        let source = SourceLocation(file: fileName, record: first.position.record, line: first.position.line)
        let built: Result<CanonicalDocument, Violations>
        if mapping.document == .order {
            built = Self.order(values, lines: lines, discounts: discounts, source: source).map(CanonicalDocument.order)
        } else {
            built = Self.notice(mapping.document, values, lines: lines, source: source).map(CanonicalDocument.notice)
        }
        switch built {
        case .success(let document):
            return .success(document)
        case .failure(let violations):
            let issues = violations.all.map { violation in
                let record = lineRecord(of: violation.field, in: lines) ?? first
                return MappingIssue(
                    violation.code, file: fileName, record: record.position.record, line: record.position.line,
                    field: violation.field, source: sourcePath(of: violation.field), value: violation.value,
                    message: violation.message)
            }
            return .failure(DocumentRejection(key: key, issues: issues))
        }
    }

    /// The specs that apply to `record`: the plain ones, overridden by each condition that holds.
    private func effective(
        _ fields: [String: FieldSpec], _ conditions: [ConditionalFields], on record: any SourceRecord,
        reader: inout FieldReader
    ) -> [String: FieldSpec] {
        var specs = fields
        for conditional in conditions {
            do {
                if try conditional.condition.evaluate(record).isTrue {
                    specs.merge(conditional.fields) { $1 }
                }
            } catch {
                reader.issues.append(
                    reader.issue(
                        .invalidValue, spec: nil, field: "when", value: nil, record: record, message: error.message))
            }
        }
        return specs
    }

    private func lineValues(_ record: any SourceRecord, number: Int, schema: DocumentSchema, reader: inout FieldReader)
        -> LineValues
    {
        let prefix = "lines[\(number)]"
        var values: [String: FieldValue] = [:]
        for (name, spec) in effective(mapping.lines.fields, mapping.lines.conditions, on: record, reader: &reader) {
            guard let field = schema.lineField(name) else { continue }
            if let value = reader.value(spec, kind: field.kind, field: "\(prefix).\(name)", in: record) {
                values[name] = value
            }
        }
        for field in schema.lines where field.required && values[field.name] == nil {
            let name = "\(prefix).\(field.name)"
            guard !reader.hasIssue(field: name) else { continue }
            reader.issues.append(
                reader.issue(
                    .missingField, spec: mapping.lines.fields[field.name], field: name, value: nil, record: record,
                    message: "every line needs \(field.name); the value is empty or missing"))
        }
        let discounts = self.discounts(
            mapping.lines.discounts, field: "\(prefix).discounts", in: record, reader: &reader)
        return LineValues(values: values, discounts: discounts, record: record)
    }

    private func discounts(
        _ specs: [DiscountSpec], field: String, in record: any SourceRecord, reader: inout FieldReader
    )
        -> [Discount]
    {
        var found: [Discount] = []
        for spec in specs {
            for source in spec.from.map({ record.records(at: $0) }) ?? [record] {
                let name = "\(field)[\(found.count + 1)]"
                guard let amount = reader.value(spec.amount, kind: .money, field: "\(name).amount", in: source)?.amount,
                    !amount.isZero
                else { continue }
                let code = spec.code.flatMap { reader.text($0, field: "\(name).code", in: source) }
                found.append(Discount(code: code, amount: amount.isNegative ? .zero - amount : amount))
            }
        }
        return found
    }

    /// The record of the line a canonical field like `lines[2].quantity` belongs to.
    private func lineRecord(of field: String, in lines: [LineValues]) -> (any SourceRecord)? {
        guard field.hasPrefix("lines["), let close = field.firstIndex(of: "]"),
            let number = Int(field[field.index(field.startIndex, offsetBy: 6)..<close]), number >= 1,
            number <= lines.count
        else { return nil }
        return lines[number - 1].record
    }

    /// The source path a canonical field was read from, for reports.
    private func sourcePath(of field: String) -> String? {
        if let spec = mapping.fields[field] { return spec.pathText }
        guard field.hasPrefix("lines["), let dot = field.firstIndex(of: ".") else { return nil }
        let name = String(field[field.index(after: dot)...])
        if name == "unit_price", mapping.lines.fields["unit_price"] == nil {
            return mapping.lines.fields["line_total"]?.pathText
        }
        return mapping.lines.fields[name]?.pathText
    }
}

/// A document that could not be mapped, with every issue found in it.
public struct DocumentRejection: Error, Sendable, Hashable {
    /// The document's key (order number, node), when it could be read.
    public let key: String?
    /// Everything wrong with the document's records.
    public let issues: [MappingIssue]

    /// A rejection.
    public init(key: String?, issues: [MappingIssue]) {
        self.key = key
        self.issues = issues
    }
}
