/// Writes JSON straight into bytes: the canonical documents' fast path, which stores and prints
/// hundreds of thousands of orders a second where `JSONEncoder` manages tens of thousands.
///
/// Callers write keys in sorted order, so the output is byte for byte what `JSONEncoder` with
/// `.sortedKeys` and `.withoutEscapingSlashes` writes; tests hold the two to that.
struct JSONWriter {
    var bytes: [UInt8] = []
    private var needsComma = false
    /// Leaves out members whose value is null, for the compact form the store keeps.
    let omitsNulls: Bool
    /// Where the current member's key starts, so a null value can take its key back out.
    private var keyStart: Int?

    init(capacity: Int = 1024, omitsNulls: Bool = false) {
        bytes.reserveCapacity(capacity)
        self.omitsNulls = omitsNulls
    }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"key":`; the value follows with one of the value writers.
    mutating func key(_ name: StaticString) {
        keyStart = bytes.count
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes `"key":` for a key known only at run time, escaped like any string.
    mutating func dynamicKey(_ name: String) {
        keyStart = bytes.count
        separate()
        var copy = self
        copy.needsComma = false
        copy.bytes = []
        copy.string(name)
        bytes.append(contentsOf: copy.bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String?) {
        guard var value else {
            separate()
            appendNull()
            return
        }
        keyStart = nil
        separate()
        bytes.append(UInt8(ascii: "\""))
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte == 34 || byte == 92 || byte < 32 else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func integer(_ value: Int?) {
        guard let value else {
            separate()
            appendNull()
            return
        }
        keyStart = nil
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    mutating func null() {
        separate()
        appendNull()
    }

    /// Call before a nested object or array value so the key stays.
    mutating func keepKey() {
        keyStart = nil
    }

    private mutating func appendNull() {
        if omitsNulls, let start = keyStart {
            let hadComma = bytes[start] == UInt8(ascii: ",")
            bytes.removeSubrange(start...)
            needsComma = hadComma
            keyStart = nil
            return
        }
        bytes.append(contentsOf: [110, 117, 108, 108])
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(92)
        switch byte {
        case 34: bytes.append(34)
        case 92: bytes.append(92)
        case 10: bytes.append(UInt8(ascii: "n"))
        case 13: bytes.append(UInt8(ascii: "r"))
        case 9: bytes.append(UInt8(ascii: "t"))
        case 8: bytes.append(UInt8(ascii: "b"))
        case 12: bytes.append(UInt8(ascii: "f"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
        }
    }
}
