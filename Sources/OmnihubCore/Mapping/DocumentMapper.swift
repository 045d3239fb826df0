/// Turns the records of one document (one record, or several rows grouped by the document key)
/// into a canonical document, or into the list of everything wrong with them.
public struct DocumentMapper: Sendable {
    /// The mapping applied.
    public let mapping: DocumentMapping
    /// The file name written into every issue and into the document's source location.
    public let fileName: String

    private let plan: Plan

    /// A mapper for records of `fileName`.
    public init(mapping: DocumentMapping, fileName: String) {
        self.mapping = mapping
        self.fileName = fileName
        self.plan = Plan(mapping)
    }

    /// The values read for one line, with the record they came from.
    struct LineValues {
        var values: FieldValues
        var discounts: [Discount]
        let record: any SourceRecord
    }

    /// The mapping's fields resolved to schema slots once, not looked up by name for every record.
    final class Plan: Sendable {
        let schema: DocumentSchema
        let header: [CompiledField]
        let headerConditions: [(MappingExpression, [CompiledField])]
        let lines: [CompiledField]
        let lineConditions: [(MappingExpression, [CompiledField])]

        init(_ mapping: DocumentMapping) {
            let schema = mapping.schema
            self.schema = schema
            header = CompiledField.compile(mapping.fields, schema: schema.header)
            headerConditions = mapping.conditions.map {
                ($0.condition, CompiledField.compile($0.fields, schema: schema.header))
            }
            lines = CompiledField.compile(mapping.lines.fields, schema: schema.lines)
            lineConditions = mapping.lines.conditions.map {
                ($0.condition, CompiledField.compile($0.fields, schema: schema.lines))
            }
        }
    }

    /// The document the records describe, or every issue found in them.
    ///
    /// - Parameter records: at least one record; document fields come from the first (or are summed
    ///   over all, as the mapping says); lines are the records themselves or their nested groups.
    public func document(from records: [any SourceRecord]) -> Result<CanonicalDocument, DocumentRejection> {
        precondition(!records.isEmpty, "a document needs at least one record")
        let schema = plan.schema
        var reader = FieldReader(fileName: fileName)
        let first = records[0]
        var values = FieldValues(count: schema.header.count)
        for field in effective(plan.header, plan.headerConditions, on: first, reader: &reader) {
            let name = FieldName(field.name)
            values[field.slot] =
                field.spec.aggregate == .sum
                ? reader.sum(field.spec, kind: field.kind, field: name, over: records)
                : reader.value(field.spec, kind: field.kind, field: name, in: first)
        }
        for (slot, field) in schema.header.enumerated() where field.required && values[slot] == nil {
            let name = FieldName(field.name)
            guard !reader.hasIssue(field: name) else { continue }
            reader.issues.append(
                reader.issue(
                    .missingField, spec: mapping.fields[field.name], field: name, value: nil, record: first,
                    message: "every \(mapping.document.rawValue) needs \(field.name); the value is empty or missing"))
        }
        var lines: [LineValues] = []
        if !plan.lines.isEmpty {
            var number = 0
            func addLines(_ lineRecords: [any SourceRecord]) {
                for record in lineRecords {
                    number += 1
                    lines.append(lineValues(record, number: number, plan: plan, reader: &reader))
                }
            }
            if let from = mapping.lines.from {
                for record in records { addLines(record.records(at: from)) }
            } else {
                addLines(records)
            }
        }
        let discounts = self.discounts(
            mapping.discounts, field: "discounts", in: first, group: records, reader: &reader)
        let keySlot = mapping.document == .order ? OrderSlot.externalID : NoticeSlot.externalID
        let key = values[keySlot]?.text ?? (mapping.document == .order ? nil : values[NoticeSlot.node]?.text)
        // A record with field issues is still checked against the document's rules with the
        // values it has, so that every broken rule is reported at once, not one per resend; an
        // order without its key fields cannot be built, and its field issues say why.
        let fieldIssues = reader.issues
        if !fieldIssues.isEmpty && mapping.document == .order
            && [OrderSlot.channel, OrderSlot.externalID, OrderSlot.placedAt, OrderSlot.currency].contains(where: {
                values[$0] == nil
            })
        {
            return .failure(DocumentRejection(key: key, issues: fieldIssues))
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
            return fieldIssues.isEmpty ? .success(document) : .failure(DocumentRejection(key: key, issues: fieldIssues))
        case .failure(let violations):
            // A rule about a field that already has an issue (or a line missing a value that
            // had one) would only repeat it.
            let fresh = violations.all.filter { violation in
                !fieldIssues.contains { issue in
                    guard let field = issue.field else { return false }
                    return field == violation.field || field.hasPrefix(violation.field + ".")
                        || violation.field.hasPrefix(field + ".") || (violation.code == .noLines)
                }
            }
            let issues =
                fieldIssues
                + fresh.map { violation in
                    let record = lineRecord(of: violation.field, in: lines) ?? first
                    return MappingIssue(
                        violation.code, file: fileName, record: record.position.record, line: record.position.line,
                        field: violation.field, source: sourcePath(of: violation.field), value: violation.value,
                        message: violation.message)
                }
            return .failure(DocumentRejection(key: key, issues: issues))
        }
    }

    /// The fields that apply to `record`: the plain ones, replaced by those of each condition that holds.
    private func effective(
        _ fields: [CompiledField], _ conditions: [(MappingExpression, [CompiledField])], on record: any SourceRecord,
        reader: inout FieldReader
    ) -> [CompiledField] {
        guard !conditions.isEmpty else { return fields }
        var chosen: [Int: CompiledField] = [:]
        for field in fields { chosen[field.slot] = field }
        for (condition, conditional) in conditions {
            do {
                if try condition.evaluate(record).isTrue {
                    for field in conditional { chosen[field.slot] = field }
                }
            } catch {
                reader.issues.append(
                    reader.issue(
                        .invalidValue, spec: nil, field: FieldName("when"), value: nil, record: record,
                        message: error.message))
            }
        }
        return chosen.values.sorted { $0.slot < $1.slot }
    }

    private func lineValues(_ record: any SourceRecord, number: Int, plan: Plan, reader: inout FieldReader)
        -> LineValues
    {
        var values = FieldValues(count: plan.schema.lines.count)
        for field in effective(plan.lines, plan.lineConditions, on: record, reader: &reader) {
            values[field.slot] = reader.value(
                field.spec, kind: field.kind, field: FieldName(field.name, line: number), in: record)
        }
        for (slot, field) in plan.schema.lines.enumerated() where field.required && values[slot] == nil {
            let name = FieldName(field.name, line: number)
            guard !reader.hasIssue(field: name) else { continue }
            reader.issues.append(
                reader.issue(
                    .missingField, spec: mapping.lines.fields[field.name], field: name, value: nil, record: record,
                    message: "every line needs \(field.name); the value is empty or missing"))
        }
        let discounts =
            mapping.lines.discounts.isEmpty
            ? []
            : self.discounts(mapping.lines.discounts, field: "lines[\(number)].discounts", in: record, reader: &reader)
        return LineValues(values: values, discounts: discounts, record: record)
    }

    /// The discounts `specs` read from `record`; an amount with `aggregate: sum` (an order's own
    /// discount, without `from`) is summed over every record of the order (`group`).
    private func discounts(
        _ specs: [DiscountSpec], field: String, in record: any SourceRecord, group: [any SourceRecord] = [],
        reader: inout FieldReader
    )
        -> [Discount]
    {
        var found: [Discount] = []
        for spec in specs {
            for source in spec.from.map({ record.records(at: $0) }) ?? [record] {
                let name = "\(field)[\(found.count + 1)]"
                let value =
                    spec.amount.aggregate == .sum && spec.from == nil && !group.isEmpty
                    ? reader.sum(spec.amount, kind: .money, field: FieldName("\(name).amount"), over: group)
                    : reader.value(spec.amount, kind: .money, field: FieldName("\(name).amount"), in: source)
                guard let amount = value?.amount, !amount.isZero else { continue }
                let code = spec.code.flatMap { reader.text($0, field: FieldName("\(name).code"), in: source) }
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
