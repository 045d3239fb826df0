/// Maps a whole feed file, streaming: reads records, groups the records of each document, and
/// hands every mapped document or rejected record to a sink as soon as it is complete.
public struct FeedMapper: Sendable {
    /// One result of mapping a feed.
    public enum Outcome: Sendable {
        /// A document that passed every rule.
        case document(CanonicalDocument)
        /// A document (or its records) with issues; it is not imported.
        case rejected(DocumentRejection)
    }

    /// Counts for a mapped file.
    public struct Summary: Sendable, Hashable, Codable {
        /// Records read (CSV rows, XML elements or JSON values at the record path).
        public var records = 0
        /// Documents that mapped.
        public var documents = 0
        /// Documents or record groups rejected.
        public var rejected = 0
    }

    /// The mapping applied.
    public let mapping: DocumentMapping
    /// The file's name in reports.
    public let fileName: String
    /// How many finished group keys are held in memory before older ones go to a temporary file
    /// (``FinishedGroupKeys``); smaller in tests, to reach the file with a short feed.
    var groupKeysInMemory = FinishedGroupKeys.defaultInMemory

    /// A mapper for one file.
    public init(mapping: DocumentMapping, fileName: String) {
        self.mapping = mapping
        self.fileName = fileName
    }

    /// Maps every record of `source` and calls `sink` with each outcome, in file order.
    ///
    /// - Throws: a ``MappingIssue`` when the file as a whole cannot be read (broken quoting or
    ///   syntax, a column the mapping needs is missing, bytes invalid in the encoding outside a
    ///   field), or whatever `sink` throws.
    @discardableResult
    public func map(_ source: any ByteSource, sink: (Outcome) throws -> Void) throws -> Summary {
        try withoutActuallyEscaping(sink) { sink in try map(source, escapingSink: sink) }
    }

    private func map(_ source: any ByteSource, escapingSink sink: @escaping (Outcome) throws -> Void) throws
        -> Summary
    {
        let documentsAtOnce: Int
        switch mapping.format {
        case .csv: documentsAtOnce = 1
        case .json, .xml: documentsAtOnce = Self.treeDocumentsAtOnce
        }
        var grouper = RecordGrouper(
            mapping: mapping, fileName: fileName, finishedKeys: FinishedGroupKeys(inMemory: groupKeysInMemory),
            documentsAtOnce: documentsAtOnce, sink: sink)
        do {
            try read(source, into: &grouper)
            try grouper.finish()
        } catch {
            grouper.deliverAfterFailure()
            throw error
        }
        return grouper.summary
    }

    /// Reads every record of `source` into `grouper`.
    private func read(_ source: any ByteSource, into grouper: inout RecordGrouper) throws {
        switch mapping.format {
        case .csv(let dialect):
            var reader = CSVReader(
                source: source, dialect: dialect, encoding: mapping.encoding ?? .utf8, fileName: fileName,
                limits: mapping.limits)
            try reader.readHeader()
            try checkColumns(reader.columns, dialect: dialect)
            while let row = try reader.next() { try grouper.add(row) }
        case .json(let layout):
            var reader = JSONFeedReader(source: source, layout: layout, fileName: fileName, limits: mapping.limits)
            try reader.read { record in try grouper.add(record) }
        case .xml(let recordPath, let namespaces):
            let reader = XMLFeedReader(
                source: source, recordPath: recordPath, namespaces: namespaces, encoding: mapping.encoding,
                fileName: fileName, limits: mapping.limits)
            try reader.read { record in try grouper.add(record) }
            if grouper.summary.records == 0 {
                throw MappingIssue(
                    .recordsNotFound, file: fileName, source: recordPath.text,
                    message: "the records path '\(recordPath.text)' matches no element in this file, so nothing was "
                        + "imported; check the mapping's records path and namespaces against the file")
            }
        }
    }

    /// How many documents of an XML or JSON feed are mapped together on every core, while the
    /// reader's thread goes on parsing: reading a tree format costs as much as mapping it. A CSV
    /// feed's documents are mapped one by one: its rows share the reader's column cache.
    static let treeDocumentsAtOnce = 256

    private func checkColumns(_ columns: CSVColumns, dialect: CSVDialect) throws(MappingIssue) {
        guard dialect.hasHeader else { return }
        let missing = mapping.sourcePaths.map(\.text).filter { !columns.contains($0) }
        guard missing.isEmpty else {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw MappingIssue(
                .missingColumn, file: fileName, line: 1 + dialect.skipRows, source: missing.first,
                message: "the header has no column \(list) that mapping '\(mapping.name)' reads; the header has "
                    + columns.names.map { "'\($0)'" }.joined(separator: ", ")
                    + ". Fix the mapping's paths or ask the partner for the agreed layout")
        }
    }
}

/// Collects consecutive records with the same group key into one document, filling blank
/// continuation values from the record above, and maps each group when the next one starts.
private struct RecordGrouper {
    let mapping: DocumentMapping
    let fileName: String
    let sink: (FeedMapper.Outcome) throws -> Void
    let mapper: DocumentMapper
    let fillDown: FillDownMemory?
    var summary = FeedMapper.Summary()
    var group: [any SourceRecord] = []
    var groupKey: String?
    /// Hashes of the keys of finished groups, to catch a key that comes back later. Hashes, not
    /// keys, keep memory small for files with millions of documents; two different keys sharing a
    /// 64-bit hash within one file is too unlikely to plan for.
    let finishedKeys: FinishedGroupKeys
    /// How many finished groups wait to be mapped together on every core; 1 maps each at once.
    let documentsAtOnce: Int
    /// Finished groups and rejections not yet handed to the sink, in file order.
    private var pending: [Pending] = []

    private enum Pending {
        case group([any SourceRecord])
        case rejected(DocumentRejection)
    }

    init(
        mapping: DocumentMapping, fileName: String, finishedKeys: FinishedGroupKeys, documentsAtOnce: Int,
        sink: @escaping (FeedMapper.Outcome) throws -> Void
    ) {
        self.mapping = mapping
        self.fileName = fileName
        self.finishedKeys = finishedKeys
        self.documentsAtOnce = documentsAtOnce
        self.sink = sink
        self.mapper = DocumentMapper(mapping: mapping, fileName: fileName)
        self.fillDown = mapping.fillDown.isEmpty ? nil : FillDownMemory(paths: mapping.fillDown)
    }

    mutating func add(_ incoming: any SourceRecord) throws {
        summary.records += 1
        let record = fillDown.map { FilledRecord(record: incoming, memory: $0) } ?? incoming
        guard let groupBy = mapping.groupBy else {
            try emit([record])
            return
        }
        let key = try record.value(at: groupBy) ?? ""
        if key == groupKey {
            group.append(record)
            return
        }
        if let groupKey, !group.isEmpty {
            try finishedKeys.insert(Self.hash(groupKey))
            try emit(group)
        }
        group = [record]
        groupKey = key
        if try finishedKeys.contains(Self.hash(key)) {
            let issue = MappingIssue(
                .scatteredGroup, file: fileName, record: record.position.record, line: record.position.line,
                source: groupBy.text, value: key,
                message: "a record of '\(key)' appears again after other documents; the records of one document "
                    + "must follow each other. The document as first read stands; send the missing lines in a new file")
            try reject(DocumentRejection(key: key, issues: [issue]))
            group = []
            groupKey = nil
        }
    }

    private static func hash(_ key: String) -> UInt64 { UInt64(bitPattern: Int64(key.hashValue)) }

    mutating func finish() throws {
        if !group.isEmpty { try emit(group) }
        group = []
        try flush()
    }

    /// After the reader or the sink failed (a file broken halfway, a stop): what was read before
    /// the failure still reaches the sink, as it does when each group is mapped at once. What the
    /// sink throws then gives way to the first failure. Nothing waits when each group is mapped
    /// at once (CSV).
    mutating func deliverAfterFailure() {
        try? flush()
    }

    private mutating func emit(_ records: [any SourceRecord]) throws {
        guard documentsAtOnce > 1 else { return try deliver(mapper.document(from: records)) }
        pending.append(.group(records))
        if pending.count >= documentsAtOnce { try flush() }
    }

    private mutating func reject(_ rejection: DocumentRejection) throws {
        guard documentsAtOnce > 1 else { return try deliver(.failure(rejection)) }
        pending.append(.rejected(rejection))
        if pending.count >= documentsAtOnce { try flush() }
    }

    /// Maps the waiting groups on every core and hands the outcomes to the sink in file order.
    private mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let waiting = HandedOver(pending)
        pending = []
        let mapper = self.mapper
        let outcomes = parallelMap(waiting.items.count, workers: mappingWorkers, minimumPerWorker: 16) {
            index -> Result<CanonicalDocument, DocumentRejection> in
            switch waiting.items[index] {
            case .group(let records): mapper.document(from: records)
            case .rejected(let rejection): .failure(rejection)
            }
        }
        for outcome in outcomes { try deliver(outcome) }
    }

    private mutating func deliver(_ outcome: Result<CanonicalDocument, DocumentRejection>) throws {
        switch outcome {
        case .success(let document):
            summary.documents += 1
            try sink(.document(document))
        case .failure(let rejection):
            summary.rejected += 1
            try sink(.rejected(rejection))
        }
    }
}

/// Groups the reader has finished with, mapped on other threads. Unchecked because a record is
/// not `Sendable` in general; safe for tree records, which alone are mapped this way: each owns
/// its record's tree, which the reader built and never touches again, and mapping only reads it.
private struct HandedOver<Item>: @unchecked Sendable {
    let items: [Item]

    init(_ items: [Item]) { self.items = items }
}

/// The last non-blank value of each fill-down path, carried from record to record.
private final class FillDownMemory {
    let paths: Set<String>
    var last: [String: String] = [:]

    init(paths: [FieldPath]) {
        self.paths = Set(paths.map(\.text))
    }
}

/// A record whose blank fill-down values are taken from the records above it.
private struct FilledRecord: SourceRecord {
    let record: any SourceRecord
    let filled: [String: String]

    init(record: any SourceRecord, memory: FillDownMemory) {
        self.record = record
        var filled: [String: String] = [:]
        for path in memory.paths {
            if let value = try? record.value(at: FieldPath(path)) {
                memory.last[path] = value
            } else if let previous = memory.last[path] {
                filled[path] = previous
            }
        }
        self.filled = filled
    }

    var position: RecordPosition { record.position }

    func value(at path: FieldPath) throws(MappingIssue) -> String? {
        if let value = filled[path.text] { return value }
        return try record.value(at: path)
    }

    func values(at path: FieldPath) throws(MappingIssue) -> [String] {
        if let value = filled[path.text] { return [value] }
        return try record.values(at: path)
    }

    func records(at path: FieldPath) -> [any SourceRecord] {
        record.records(at: path)
    }
}
