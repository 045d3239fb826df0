/// Maps a whole feed file, streaming: reads records, groups the rows of each order, and hands every
/// mapped order or rejected record to a sink as soon as it is complete.
public struct FeedMapper: Sendable {
    /// One result of mapping a feed.
    public enum Outcome: Sendable {
        /// An order that passed every rule.
        case order(Order)
        /// An order (or its rows) with issues; it is not imported.
        case rejected(OrderRejection)
    }

    /// Counts for a mapped file.
    public struct Summary: Sendable, Hashable, Codable {
        /// Records read (for CSV, data rows).
        public var records = 0
        /// Orders that mapped.
        public var orders = 0
        /// Orders or row groups rejected.
        public var rejected = 0
    }

    /// The mapping applied.
    public let mapping: OrderMapping
    /// The file's name in reports.
    public let fileName: String

    /// A mapper for one file.
    public init(mapping: OrderMapping, fileName: String) {
        self.mapping = mapping
        self.fileName = fileName
    }

    /// Maps every record of `source` and calls `sink` with each outcome, in file order.
    ///
    /// - Throws: a ``MappingIssue`` when the file as a whole cannot be read (broken quoting, a column
    ///   the mapping needs is missing, invalid bytes in the header), or whatever `sink` throws.
    @discardableResult
    public func map<Source: ByteSource>(_ source: Source, sink: (Outcome) throws -> Void) throws -> Summary {
        switch mapping.format {
        case .csv(let dialect):
            var reader = CSVReader(source: source, dialect: dialect, encoding: mapping.encoding, fileName: fileName)
            try reader.readHeader()
            try checkColumns(reader.columns, dialect: dialect)
            return try mapGroups(sink: sink) { () throws(MappingIssue) -> (any SourceRecord)? in try reader.next() }
        }
    }

    private func checkColumns(_ columns: CSVColumns, dialect: CSVDialect) throws(MappingIssue) {
        guard dialect.hasHeader else { return }
        let missing = mapping.sourcePaths.filter { !columns.contains($0) }
        guard missing.isEmpty else {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw MappingIssue(
                .missingColumn, file: fileName, line: 1 + dialect.skipRows,
                source: missing.first,
                message: "the header has no column \(list) that mapping '\(mapping.name)' reads; the header has "
                    + columns.names.map { "'\($0)'" }.joined(separator: ", ")
                    + ". Fix the mapping's paths or ask the partner for the agreed layout")
        }
    }

    private func mapGroups(
        sink: (Outcome) throws -> Void, next: () throws(MappingIssue) -> (any SourceRecord)?
    ) throws -> Summary {
        var summary = Summary()
        let mapper = OrderMapper(mapping: mapping, fileName: fileName)
        func emit(_ records: [any SourceRecord]) throws {
            switch mapper.order(from: records) {
            case .success(let order):
                summary.orders += 1
                try sink(.order(order))
            case .failure(let rejection):
                summary.rejected += 1
                try sink(.rejected(rejection))
            }
        }
        guard let groupBy = mapping.groupBy else {
            while let record = try next() {
                summary.records += 1
                try emit([record])
            }
            return summary
        }
        var group: [any SourceRecord] = []
        var groupKey: String?
        var finishedKeys: [String: Int] = [:]
        while let record = try next() {
            summary.records += 1
            let key = try record.value(at: groupBy) ?? ""
            if key == groupKey {
                group.append(record)
                continue
            }
            if let groupKey, !group.isEmpty {
                finishedKeys[groupKey] = group[0].position.line
                try emit(group)
            }
            group = [record]
            groupKey = key
            if let firstLine = finishedKeys[key] {
                let issue = MappingIssue(
                    .scatteredGroup, file: fileName, record: record.position.record, line: record.position.line,
                    source: groupBy, value: key,
                    message: "a row of order '\(key)' appears again after other orders (its rows began on line "
                        + "\(firstLine)); the rows of one order must follow each other. The order as first read "
                        + "stands; send the missing lines in a new file")
                summary.rejected += 1
                try sink(.rejected(OrderRejection(externalID: key, issues: [issue])))
                group = []
                groupKey = nil
            }
        }
        if !group.isEmpty { try emit(group) }
        return summary
    }
}
