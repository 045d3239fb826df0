/// Reads a JSON feed as a stream of records, building a tree for one record at a time.
///
/// Two layouts: one document whose records sit at a key path (`orders` → each item of the array
/// under `orders`, or the object there), or one record a line (JSON Lines). Numbers keep the exact
/// text of the feed, so `19.99` never becomes a binary float. Everything outside the records is
/// skipped without being kept. Nesting, value length and the values a record holds are bounded by
/// ``FeedLimits``; a key given twice in one object is an error, never a silent choice.
public struct JSONFeedReader {
    private var input: ByteInput
    private let layout: JSONLayout
    private let fileName: String?
    private let limits: FeedLimits
    private var recordNumber = 0
    /// Whether the records path led somewhere in the document.
    private var reachedRecords = false
    private var scratch: [UInt8] = []
    private var depth = 0
    private var recordValues = 0

    /// A reader; `fileName` appears in every error.
    public init(source: any ByteSource, layout: JSONLayout, fileName: String?, limits: FeedLimits = .standard) {
        self.input = ByteInput(source: source, fileName: fileName)
        self.layout = layout
        self.fileName = fileName
        self.limits = limits
    }

    /// Reads the whole feed, handing each record to `emit` as soon as it is complete.
    public mutating func read(_ emit: (TreeRecord) throws -> Void) throws {
        try refuseUTF16()
        try input.skipByteOrderMark()
        switch layout {
        case .lines:
            while true {
                try skipWhitespace()
                guard try input.peek() != nil else { return }
                let line = input.line
                try emitRecord(emit)
                while let byte = try input.peek(), byte == 32 || byte == 9 || byte == 13 { input.advance() }
                if let byte = try input.peek(), byte != 10 {
                    throw issue("a JSON Lines record must end at the end of its line (line \(line))")
                }
            }
        case .document(let recordPath):
            try skipWhitespace()
            try navigate(recordPath[...], emit)
            try skipWhitespace()
            if try input.peek() != nil { throw issue("text follows the end of the JSON document") }
            guard reachedRecords else {
                let path = recordPath.joined(separator: "/")
                throw MappingIssue(
                    .recordsNotFound, file: fileName, source: path,
                    message: "the records path '\(path)' matches nothing in this file, so nothing was imported; "
                        + "check the mapping's records path against the file (an empty list there is a file "
                        + "without records)")
            }
        }
    }

    private mutating func navigate(_ path: ArraySlice<String>, _ emit: (TreeRecord) throws -> Void) throws {
        guard let key = path.first else {
            reachedRecords = true
            if try input.peek() == UInt8(ascii: "[") {
                input.advance()
                try skipWhitespace()
                if try input.peek() == UInt8(ascii: "]") {
                    input.advance()
                    return
                }
                while true {
                    try skipWhitespace()
                    try emitRecord(emit)
                    guard try separator(closing: UInt8(ascii: "]")) else { return }
                }
            }
            try emitRecord(emit)
            return
        }
        guard try input.peek() == UInt8(ascii: "{") else {
            throw issue("expected an object holding '\(key)' on the way to the records")
        }
        input.advance()
        try skipWhitespace()
        if try input.peek() == UInt8(ascii: "}") {
            input.advance()
            return
        }
        while true {
            try skipWhitespace()
            let name = try string()
            try expectColon()
            try skipWhitespace()
            if name == key {
                try navigate(path.dropFirst(), emit)
            } else {
                try value(into: nil, parent: nil, name: name)
            }
            guard try separator(closing: UInt8(ascii: "}")) else { return }
        }
    }

    /// JSON feeds are UTF-8 (RFC 8259); a UTF-16 file shows itself by its byte order mark or by a
    /// zero byte beside the first character.
    private mutating func refuseUTF16() throws(MappingIssue) {
        let head = try input.peekPair()
        let utf16 =
            head.map { pair in
                pair == (0xFF, 0xFE) || pair == (0xFE, 0xFF) || (pair.0 == 0) != (pair.1 == 0)
            } ?? false
        guard utf16 else { return }
        throw MappingIssue(
            .invalidEncoding, file: fileName, line: 1, column: 1,
            message: "the file is UTF-16, but JSON feeds must be UTF-8 (RFC 8259); ask the partner to send UTF-8")
    }

    private mutating func emitRecord(_ emit: (TreeRecord) throws -> Void) throws {
        recordNumber += 1
        recordValues = 0
        let tree = RecordTree()
        let line = input.line
        let root = try value(into: tree, parent: nil, name: "")
        try emit(TreeRecord(tree: tree, node: root ?? 0, position: RecordPosition(record: recordNumber, line: line)))
    }

    /// Parses one value; with a tree it is added under `parent`, without one it is skipped.
    @discardableResult
    private mutating func value(into tree: RecordTree?, parent: Int?, name: String) throws -> Int? {
        guard let byte = try input.peek() else { throw issue("the file ends where a value was expected") }
        let line = input.line
        // Values outside the records are skipped without being kept, so only a record's count.
        if tree != nil { recordValues += 1 }
        if recordValues > limits.recordFields {
            throw issue(
                "record \(recordNumber) holds more than \(limits.recordFields) values (limits.record_fields); the "
                    + "file looks hostile or broken. Raise the limit in the mapping only if the partner really sends such records"
            )
        }
        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
            depth += 1
            defer { depth -= 1 }
            guard depth <= limits.nestingDepth else {
                throw issue(
                    "values are nested more than \(limits.nestingDepth) deep (limits.nesting_depth); the file looks "
                        + "hostile or broken. Raise the limit in the mapping only if the partner really nests so deep")
            }
            return try container(byte, into: tree, parent: parent, name: name, line: line)
        }
        switch byte {
        case UInt8(ascii: "\""):
            let text = try string(keep: tree != nil)
            return leaf(tree, parent: parent, name: name, line: line, text: text)
        default:
            let text = try scalar(keep: tree != nil)
            return leaf(tree, parent: parent, name: name, line: line, text: text == "null" ? nil : text)
        }
    }

    /// An object or array, its members added under a new node.
    private mutating func container(_ byte: UInt8, into tree: RecordTree?, parent: Int?, name: String, line: Int)
        throws -> Int?
    {
        switch byte {
        case UInt8(ascii: "{"):
            input.advance()
            let node = tree?.add(name: name, localName: name, line: line, parent: parent)
            try skipWhitespace()
            if try input.peek() == UInt8(ascii: "}") {
                input.advance()
                return node
            }
            var manyKeys: Set<String>?
            while true {
                try skipWhitespace()
                let keyLine = input.line
                let key = try string(keep: tree != nil)
                if let tree, let node, Self.isRepeated(key, in: tree, under: node, manyKeys: &manyKeys) {
                    throw MappingIssue(
                        .malformedJSON, file: fileName, record: recordNumber, line: keyLine, source: key,
                        message: "the key '\(key)' appears twice in one object; omnihub does not guess which one "
                            + "counts. Ask the partner to send each key once")
                }
                try expectColon()
                try skipWhitespace()
                try value(into: tree, parent: node, name: key)
                guard try separator(closing: UInt8(ascii: "}")) else { return node }
            }
        default:
            input.advance()
            let node = tree?.add(name: name, localName: name, line: line, parent: parent)
            if let node { tree?.nodes[node].isArray = true }
            try skipWhitespace()
            if try input.peek() == UInt8(ascii: "]") {
                input.advance()
                return node
            }
            while true {
                try skipWhitespace()
                try value(into: tree, parent: node, name: name)
                guard try separator(closing: UInt8(ascii: "]")) else { return node }
            }
        }
    }

    /// Whether `key` is already a member of the object `node`: a look along its members while it
    /// has few (most objects), a set once it has many, so a huge object costs no quadratic time.
    private static func isRepeated(_ key: String, in tree: RecordTree, under node: Int, manyKeys: inout Set<String>?)
        -> Bool
    {
        if manyKeys == nil {
            guard tree.nodes[node].childCount >= 16 else {
                return tree.children(of: node).contains { tree.nodes[$0].name == key }
            }
            manyKeys = Set(tree.children(of: node).map { tree.nodes[$0].name })
        }
        return manyKeys?.insert(key).inserted == false
    }

    private func leaf(_ tree: RecordTree?, parent: Int?, name: String, line: Int, text: String?) -> Int? {
        guard let tree else { return nil }
        let node = tree.add(name: name, localName: name, line: line, parent: parent)
        tree.nodes[node].text = text
        return node
    }

    /// After a member or item: true when a `,` follows, false at the closing bracket.
    private mutating func separator(closing: UInt8) throws -> Bool {
        try skipWhitespace()
        switch try input.peek() {
        case UInt8(ascii: ","):
            input.advance()
            return true
        case closing:
            input.advance()
            return false
        default:
            throw issue("expected ',' or '\(Character(UnicodeScalar(closing)))' after a value")
        }
    }

    private mutating func expectColon() throws {
        try skipWhitespace()
        guard try input.peek() == UInt8(ascii: ":") else { throw issue("expected ':' after a key") }
        input.advance()
    }

    private mutating func skipWhitespace() throws {
        while let byte = try input.peek(), byte == 32 || byte == 10 || byte == 13 || byte == 9 {
            input.advance()
        }
    }

    /// `true`, `false`, `null` or a number, as written.
    private mutating func scalar(keep: Bool) throws -> String {
        scratch.removeAll(keepingCapacity: true)
        while let byte = try input.peek() {
            let isScalarByte =
                (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 122) || byte == 45 || byte == 43 || byte == 46
                || byte == 69
            guard isScalarByte else { break }
            if scratch.count >= limits.fieldBytes { throw fieldTooLong(line: input.line) }
            scratch.append(byte)
            input.advance()
        }
        let text = String(decoding: scratch, as: UTF8.self)
        guard text == "true" || text == "false" || text == "null" || JSONFeedReader.isNumber(scratch) else {
            throw issue(text.isEmpty ? "expected a value" : "'\(text)' is not a JSON value")
        }
        return keep ? text : ""
    }

    private static func isNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        if index < bytes.count, bytes[index] == 45 { index += 1 }
        let digitsStart = index
        while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 { index += 1 }
        guard index > digitsStart else { return false }
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            let fractionStart = index
            while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 { index += 1 }
            guard index > fractionStart else { return false }
        }
        if index < bytes.count, bytes[index] == 101 || bytes[index] == 69 {
            index += 1
            if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 { index += 1 }
            let exponentStart = index
            while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 { index += 1 }
            guard index > exponentStart else { return false }
        }
        return index == bytes.count
    }

    private mutating func string(keep: Bool = true) throws -> String {
        guard try input.peek() == UInt8(ascii: "\"") else { throw issue("expected a string in double quotes") }
        let line = input.line
        let column = input.column
        input.advance()
        scratch.removeAll(keepingCapacity: true)
        while true {
            guard let byte = try input.next() else { throw issue("a string that starts on line \(line) never ends") }
            if byte == 34 { break }
            if scratch.count >= limits.fieldBytes { throw fieldTooLong(line: line) }
            if byte == 92 {
                try escape()
            } else if byte < 32 {
                throw issue("a control character inside a string must be escaped")
            } else {
                scratch.append(byte)
            }
        }
        guard keep else { return "" }
        let ascii = scratch.withUnsafeBufferPointer { TextEncoding.isASCII($0) }
        if ascii { return String(decoding: scratch, as: UTF8.self) }
        guard let text = String(validating: scratch, as: UTF8.self) else {
            throw MappingIssue(
                .invalidEncoding, file: fileName, line: line, column: column,
                message: "the string is not valid UTF-8, which JSON requires; ask the partner to send UTF-8")
        }
        return text
    }

    private mutating func escape() throws {
        guard let byte = try input.next() else { throw issue("the file ends inside an escape") }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(8)
        case UInt8(ascii: "f"): scratch.append(12)
        case UInt8(ascii: "n"): scratch.append(10)
        case UInt8(ascii: "r"): scratch.append(13)
        case UInt8(ascii: "t"): scratch.append(9)
        case UInt8(ascii: "u"):
            var code = try hexQuad()
            if (0xD800..<0xDC00).contains(code) {
                guard try input.next() == 92, try input.next() == UInt8(ascii: "u") else {
                    throw issue("a \\u surrogate must be followed by its pair")
                }
                let low = try hexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw issue("a \\u surrogate pair is broken") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw issue("\\u escape is not a character") }
            scratch.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw issue("'\\\(Character(UnicodeScalar(byte)))' is not a JSON escape")
        }
    }

    private mutating func hexQuad() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = try input.next(), let digit = Character(UnicodeScalar(byte)).hexDigitValue else {
                throw issue("\\u needs four hex digits")
            }
            value = value * 16 + UInt32(digit)
        }
        return value
    }

    private func fieldTooLong(line: Int) -> MappingIssue {
        MappingIssue(
            .fieldTooLong, file: fileName, record: recordNumber, line: line,
            message: "a value is longer than \(limits.fieldBytes) bytes (limits.field_bytes); the file looks hostile "
                + "or broken. Raise the limit in the mapping only if the partner really sends such values")
    }

    private func issue(_ message: String) -> MappingIssue {
        MappingIssue(.malformedJSON, file: fileName, line: input.line, column: input.column, message: message)
    }
}

/// Where the records of a JSON feed are.
public enum JSONLayout: Sendable, Hashable {
    /// One JSON document; the records are at this key path (empty: the root), an array's items
    /// each being one record.
    case document(recordPath: [String])
    /// One JSON value a line (JSON Lines).
    case lines
}
