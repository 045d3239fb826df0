/// The character encoding a feed is written in, declared per feed in its mapping.
public enum TextEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    /// UTF-8, with or without a byte order mark.
    case utf8 = "utf-8"
    /// Windows code page 1252 (Western European), as DATEV and many ERPs write.
    case windows1252 = "windows-1252"
    /// ISO 8859-1 (Latin-1).
    case iso8859Latin1 = "iso-8859-1"

    /// Decodes `bytes`; invalid bytes are an error naming the offset of the first one, never replaced.
    ///
    /// Bytes declared as Windows-1252 or ISO 8859-1 that read as UTF-8 with letters beyond ASCII
    /// (`C3 BC` for ü) are an error too: decoded as declared they would become mojibake (`Ã¼`) in
    /// every document, and a real single-byte text almost never forms valid UTF-8 sequences.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(InvalidBytes) -> String {
        // ASCII reads the same in every encoding here: most values of a Windows-1252 or Latin-1
        // feed are copied at once instead of scalar by scalar.
        if TextEncoding.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        if self != .utf8, let text = String(validating: bytes, as: UTF8.self) {
            throw InvalidBytes(offset: 0, byte: nil, readsAsUTF8: text)
        }
        switch self {
        case .utf8:
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            throw InvalidBytes(offset: TextEncoding.firstInvalidUTF8Offset(bytes), byte: nil)
        case .iso8859Latin1:
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case .windows1252:
            var scalars = String.UnicodeScalarView()
            for (offset, byte) in bytes.enumerated() {
                guard byte >= 0x80 && byte < 0xA0 else {
                    scalars.append(Unicode.Scalar(byte))
                    continue
                }
                let value = TextEncoding.windows1252High[Int(byte - 0x80)]
                guard value != 0, let scalar = Unicode.Scalar(value) else {
                    throw InvalidBytes(offset: offset, byte: byte)
                }
                scalars.append(scalar)
            }
            return String(scalars)
        }
    }

    /// The bytes of `text` in this single-byte encoding when every character is one of its own:
    /// ASCII, U+00A0 to U+00FF, and for Windows-1252 the characters of 0x80–0x9F (the euro sign,
    /// typographic quotes and dashes). `nil` for UTF-8, or when `text` holds any other character.
    public func singleByteEncoded(_ text: String) -> [UInt8]? {
        guard self != .utf8 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 || (0xA0...0xFF).contains(value) {
                bytes.append(UInt8(truncatingIfNeeded: value))
            } else if self == .windows1252, let byte = TextEncoding.windows1252Bytes[value] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        return bytes
    }

    /// Whether every byte is ASCII, which any of the encodings decodes without looking further.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var combined: UInt8 = 0
        for byte in bytes { combined |= byte }
        return combined < 0x80
    }

    /// Where decoding failed, counted in bytes from the start of the decoded text.
    public struct InvalidBytes: Error, Sendable {
        /// Offset of the first byte that is not valid.
        public let offset: Int
        /// The byte, when one byte alone is invalid.
        public let byte: UInt8?
        /// The text the bytes make as UTF-8, when a single-byte encoding was declared for UTF-8 text.
        public var readsAsUTF8: String? = nil
    }

    private static func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }

    /// Code points of 0x80–0x9F in Windows-1252; 0 where the code page leaves a byte undefined.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
        0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0, 0x017E, 0x0178,
    ]

    /// The byte of each code point in ``windows1252High``.
    private static let windows1252Bytes: [UInt32: UInt8] = Dictionary(
        uniqueKeysWithValues: windows1252High.enumerated().filter { $0.element != 0 }.map {
            ($0.element, UInt8(0x80 + $0.offset))
        })
}
