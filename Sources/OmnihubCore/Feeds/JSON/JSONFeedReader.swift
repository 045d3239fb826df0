/// Reads a JSON feed as a stream of records, building a tree for one record at a time.
///
/// Two layouts: one document whose records sit at a key path (`orders` → each item of the array
/// under `orders`, or the object there), or one record a line (JSON Lines). Numbers keep the exact
/// text of the feed, so `19.99` never becomes a binary float. Everything outside the records is
/// skipped without being kept.
public struct JSONFeedReader {
    private var input: ByteInput
    private let layout: JSONLayout
    private let fileName: String?
    private var recordNumber = 0
    private var scratch: [UInt8] = []

    /// A reader; `fileName` appears in every error.
    public init(source: any ByteSource, layout: JSONLayout, fileName: String?) {
        self.input = ByteInput(source: source, fileName: fileName)
        self.layout = layout
        self.fileName = fileName
    }

    /// Reads the whole feed, handing each record to `emit` as soon as it is complete.
    public mutating func read(_ emit: (TreeRecord) throws -> Void) throws {
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
        }
    }

    private mutating func navigate(_ path: ArraySlice<String>, _ emit: (TreeRecord) throws -> Void) throws {
        guard let key = path.first else {
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

    private mutating func emitRecord(_ emit: (TreeRecord) throws -> Void) throws {
        recordNumber += 1
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
        switch byte {
        case UInt8(ascii: "{"):
            input.advance()
            let node = tree?.add(name: name, localName: name, line: line, parent: parent)
            try skipWhitespace()
            if try input.peek() == UInt8(ascii: "}") {
                input.advance()
                return node
            }
            while true {
                try skipWhitespace()
                let key = try string(keep: tree != nil)
                try expectColon()
                try skipWhitespace()
                try value(into: tree, parent: node, name: key)
                guard try separator(closing: UInt8(ascii: "}")) else { return node }
            }
        case UInt8(ascii: "["):
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
        case UInt8(ascii: "\""):
            let text = try string(keep: tree != nil)
            return leaf(tree, parent: parent, name: name, line: line, text: text)
        default:
            let text = try scalar(keep: tree != nil)
            return leaf(tree, parent: parent, name: name, line: line, text: text == "null" ? nil : text)
        }
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
