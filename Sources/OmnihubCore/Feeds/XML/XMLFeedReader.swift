import CLibXML2

/// Reads an XML feed with libxml2's streaming reader, building a tree for one record at a time.
///
/// Element names are resolved through the mapping's namespace prefixes, so a feed may use any
/// prefixes (or a default namespace) for the same namespaces. The parser never touches the
/// network and never expands external entities. Well-formedness errors and bytes that are not
/// valid in the document's encoding stop the file with the line and column libxml2 reports.
public struct XMLFeedReader {
    private let source: any ByteSource
    private let recordPath: XMLRecordPath
    private let namespaces: [String: String]
    private let encoding: TextEncoding?
    private let fileName: String?
    private let limits: FeedLimits

    /// A reader.
    ///
    /// - Parameters:
    ///   - recordPath: the elements that are records: `/ubl:Order` (from the root), or `Order`
    ///     (any element of that name outside another record).
    ///   - namespaces: the mapping's prefixes, prefix → namespace URI.
    ///   - encoding: overrides the document's own declaration; `nil` honours it.
    ///   - limits: how deep elements may nest, how long a text or attribute may be and how many
    ///     elements and attributes a record may hold.
    public init(
        source: any ByteSource, recordPath: XMLRecordPath, namespaces: [String: String], encoding: TextEncoding?,
        fileName: String?, limits: FeedLimits = .standard
    ) {
        self.source = source
        self.limits = limits
        self.recordPath = recordPath
        self.namespaces = namespaces
        self.encoding = encoding
        self.fileName = fileName
    }

    /// Reads the whole feed, handing each record to `emit` as soon as its end tag is read.
    public func read(_ emit: (TreeRecord) throws -> Void) throws {
        let input = XMLInput(source: source)
        let context = Unmanaged.passRetained(input)
        defer { context.release() }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        let reader =
            encoding.map { name in
                xmlReaderForIO(xmlInputRead, nil, context.toOpaque(), fileName ?? "feed.xml", name.rawValue, options)
            } ?? xmlReaderForIO(xmlInputRead, nil, context.toOpaque(), fileName ?? "feed.xml", nil, options)
        guard let reader else {
            throw MappingIssue(.malformedXML, file: fileName, message: "libxml2 could not start reading the file")
        }
        defer { xmlFreeTextReader(reader) }
        xmlTextReaderSetStructuredErrorHandler(reader, xmlReportError, context.toOpaque())

        var names = XMLNameTable(namespaces: namespaces)
        var stack: [String] = []
        var tree: RecordTree?
        var open: [Int] = []
        var recordDepth = 0
        var recordNumber = 0
        var recordLine = 0
        var recordValues = 0

        func refuse(_ message: String, line: Int) -> MappingIssue {
            MappingIssue(
                .fieldTooLong, file: fileName, record: recordNumber, line: line,
                message: message + "; the file looks hostile or broken. Raise the limit in the mapping only if the "
                    + "partner really sends such records")
        }
        func count(_ values: Int, line: Int) throws(MappingIssue) {
            recordValues += values
            guard recordValues <= limits.recordFields else {
                throw refuse(
                    "record \(recordNumber) holds more than \(limits.recordFields) elements and attributes "
                        + "(limits.record_fields)", line: line)
            }
        }

        func finishElement() throws {
            stack.removeLast()
            guard let building = tree else { return }
            let node = open.removeLast()
            if building.nodes[node].childCount > 0, building.nodes[node].text?.allSatisfy(\.isWhitespace) ?? false {
                building.nodes[node].text = nil
            }
            if stack.count == recordDepth - 1 {
                tree = nil
                try emit(
                    TreeRecord(
                        tree: building, node: 0, position: RecordPosition(record: recordNumber, line: recordLine)))
            }
        }

        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 || input.issue != nil {
                if let readError = input.readError {
                    throw MappingIssue(
                        .fileRejected, file: fileName, message: "the file could not be read: \(readError)")
                }
                let (line, column, message) = input.issue ?? (Int(xmlTextReaderGetParserLineNumber(reader)), 0, "")
                let code: IssueCode =
                    message.contains("encoding") || message.contains("UTF-8") ? .invalidEncoding : .malformedXML
                throw MappingIssue(
                    code, file: fileName, line: line, column: column > 0 ? column : nil,
                    message: "the XML is not well-formed: \(message.isEmpty ? "parse error" : message)")
            }
            switch xmlTextReaderNodeType(reader) {
            case 1:  // element
                let (name, localName) = names.resolve(
                    local: xmlTextReaderConstLocalName(reader), namespace: xmlTextReaderConstNamespaceUri(reader))
                stack.append(name)
                let line = Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader)))
                guard stack.count <= limits.nestingDepth else {
                    throw MappingIssue(
                        .malformedXML, file: fileName, line: line,
                        message: "elements are nested more than \(limits.nestingDepth) deep (limits.nesting_depth); "
                            + "the file looks hostile or broken. Raise the limit in the mapping only if the partner "
                            + "really nests so deep")
                }
                if let building = tree {
                    try count(1, line: line)
                    open.append(building.add(name: name, localName: localName, line: line, parent: open.last))
                } else if recordPath.matches(stack) {
                    recordNumber += 1
                    recordLine = line
                    recordValues = 1
                    recordDepth = stack.count
                    let building = RecordTree()
                    open = [building.add(name: name, localName: localName, line: line, parent: nil)]
                    tree = building
                }
                if let building = tree, let node = open.last {
                    while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                        let namespace = xmlTextReaderConstNamespaceUri(reader)
                        if let namespace, String(cString: namespace) == "http://www.w3.org/2000/xmlns/" { continue }
                        let (attribute, _) = names.resolve(
                            local: xmlTextReaderConstLocalName(reader), namespace: namespace)
                        try count(1, line: recordLine)
                        let value = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
                        guard value.utf8.count <= limits.fieldBytes else {
                            throw refuse(
                                "a value is longer than \(limits.fieldBytes) bytes (limits.field_bytes)",
                                line: recordLine)
                        }
                        building.nodes[node].attributes.append(RecordTree.Attribute(name: attribute, value: value))
                    }
                    xmlTextReaderMoveToElement(reader)
                }
                if xmlTextReaderIsEmptyElement(reader) == 1 { try finishElement() }
            case 3, 4, 13, 14:  // text, CDATA, whitespace
                guard let building = tree, let node = open.last, let value = xmlTextReaderConstValue(reader) else {
                    continue
                }
                let text = String(cString: value)
                let joined = (building.nodes[node].text ?? "") + text
                guard joined.utf8.count <= limits.fieldBytes else {
                    throw refuse(
                        "a value is longer than \(limits.fieldBytes) bytes (limits.field_bytes)",
                        line: building.nodes[node].line)
                }
                building.nodes[node].text = joined
            case 15:  // end of element
                try finishElement()
            default:
                continue
            }
        }
    }
}

/// Which elements of an XML feed are records.
public struct XMLRecordPath: Sendable, Hashable {
    let names: [String]
    let fromRoot: Bool
    /// The path as the mapping wrote it.
    public let text: String

    /// `/a:Orders/a:Order` (from the root) or `a:Order` (at any depth); names use the mapping's
    /// prefixes, `*:Order` any namespace.
    public init(_ text: String) {
        self.text = text
        fromRoot = text.hasPrefix("/")
        names = text.split(separator: "/").map(String.init)
    }

    func matches(_ stack: [String]) -> Bool {
        if fromRoot ? stack.count != names.count : stack.count < names.count { return false }
        for (name, element) in zip(names.reversed(), stack.reversed()) {
            if name == element || name == "*" { continue }
            if name.hasPrefix("*:"), element.hasSuffix(":" + name.dropFirst(2)) || element == name.dropFirst(2) {
                continue
            }
            return false
        }
        return true
    }
}

/// Turns libxml2's interned (local name, namespace) pairs into the mapping's `prefix:local`.
private struct XMLNameTable {
    let prefixByNamespace: [String: String]
    var cache: [Pair: (String, String)] = [:]

    struct Pair: Hashable {
        let local: UnsafePointer<xmlChar>?
        let namespace: UnsafePointer<xmlChar>?
    }

    init(namespaces: [String: String]) {
        var prefixes: [String: String] = [:]
        for (prefix, uri) in namespaces { prefixes[uri] = prefix }
        prefixByNamespace = prefixes
    }

    mutating func resolve(local: UnsafePointer<xmlChar>?, namespace: UnsafePointer<xmlChar>?) -> (String, String) {
        let pair = Pair(local: local, namespace: namespace)
        if let known = cache[pair] { return known }
        let localName = local.map { String(cString: $0) } ?? ""
        var name = localName
        if let namespace {
            let uri = String(cString: namespace)
            if let prefix = prefixByNamespace[uri] {
                name = "\(prefix):\(localName)"
            } else if !uri.isEmpty {
                name = "{\(uri)}\(localName)"
            }
        }
        cache[pair] = (name, localName)
        return (name, localName)
    }
}

/// What libxml2's callbacks share with the reader: the byte source and the first problem.
private final class XMLInput {
    var source: any ByteSource
    var readError: (any Error)?
    var issue: (line: Int, column: Int, message: String)?

    init(source: any ByteSource) {
        self.source = source
    }
}

private func xmlInputRead(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32)
    -> Int32
{
    guard let context, let buffer else { return -1 }
    let input = Unmanaged<XMLInput>.fromOpaque(context).takeUnretainedValue()
    do {
        return Int32(try input.source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))))
    } catch {
        input.readError = error
        return -1
    }
}

private func xmlReportError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error else { return }
    let input = Unmanaged<XMLInput>.fromOpaque(context).takeUnretainedValue()
    guard input.issue == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = error.pointee.message.map { String(cString: $0) }?.trimmingWhitespace ?? "parse error"
    input.issue = (Int(error.pointee.line), Int(error.pointee.int2), message)
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
