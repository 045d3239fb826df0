/// What every writer does to a value from a feed before it lands in a partner's file, so that no
/// partner byte can turn a document into something else: a spreadsheet formula, XML that is not
/// well-formed, or a file name that points elsewhere or cannot be created.
public enum OutputEncoding {
    /// A CSV cell that a spreadsheet would not run as a formula and an importer would not cut short.
    ///
    /// As OWASP recommends for CSV injection: a value starting with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return gets a `'` in front (the caller then quotes the cell). Plain numbers such as
    /// `-4.50` (with either decimal separator) stay as they are, since they run nothing. Control
    /// characters other than tab, line feed and carriage return (NUL, ESC, …), which no reader takes
    /// as text, become `replacement`.
    public static func inertCSVCell(
        _ value: String, decimalSeparator: Character = ".", replacement: Unicode.Scalar = "\u{FFFD}"
    ) -> String {
        var value = value
        // Bytes and scalars below 0x80 are the same values, so one look at the bytes finds them.
        if value.utf8.contains(where: { isUnreadableControl(UInt32($0)) }) {
            value = String(
                String.UnicodeScalarView(
                    value.unicodeScalars.map { isUnreadableControl($0.value) ? replacement : $0 }))
        }
        guard let first = value.utf8.first, formulaStarts.contains(first) else { return value }
        if Amount(parsing: value, decimalSeparator: decimalSeparator) != nil { return value }
        return "'" + value
    }

    /// A control character no reader takes as text: C0 but tab, line feed and carriage return, and DEL.
    private static func isUnreadableControl(_ value: UInt32) -> Bool {
        (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || value == 0x7F
    }

    private static let formulaStarts: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]

    /// Whether XML 1.0 allows `scalar` in a document: tab, line feed, carriage return, and every
    /// character from U+0020 except U+FFFE and U+FFFF (surrogates are no scalars).
    public static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x20...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// The longest file name omnihub writes, in bytes; file systems allow 255.
    public static let longestFileName = 200

    /// A file name made from data that is safe to create in an outbox folder: path separators,
    /// control characters and characters Windows shares refuse become `_`, a leading dot is
    /// dropped, and a name longer than ``longestFileName`` bytes is cut, keeping its extension and
    /// adding a fingerprint of the whole name so two long names stay apart.
    public static func safeFileName(_ name: String) -> String {
        // Most names (every name omnihub makes from its own numbers) are printable ASCII that
        // needs nothing changed: one pass over the bytes says so.
        let plain =
            name.utf8.count <= longestFileName && name.utf8.first.map { $0 != UInt8(ascii: ".") } == true
            && name.utf8.allSatisfy { byte in
                (0x20..<0x7F).contains(byte) && byte != UInt8(ascii: "/") && byte != UInt8(ascii: "\\")
                    && byte != UInt8(ascii: ":") && byte != UInt8(ascii: "*") && byte != UInt8(ascii: "?")
                    && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">")
                    && byte != UInt8(ascii: "|")
            }
        if plain { return name }
        var safe = String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { scalar in
                    scalar.value < 0x20 || scalar.value == 0x7F || "/\\:*?\"<>|".unicodeScalars.contains(scalar)
                        ? "_" : scalar
                }))
        while safe.hasPrefix(".") { safe.removeFirst() }
        if safe.isEmpty { safe = "_" }
        guard safe.utf8.count > longestFileName else { return safe }
        var digest = SHA256()
        digest.update(Array(name.utf8))
        let tag = "~" + digest.finalizeHex().prefix(12)
        let dot = safe.lastIndex(of: ".")
        let fileExtension = dot.map { String(safe[$0...]) }.flatMap { $0.utf8.count <= 16 ? $0 : nil } ?? ""
        var stem = String(safe.dropLast(fileExtension.count))
        while stem.utf8.count + tag.utf8.count + fileExtension.utf8.count > longestFileName { stem.removeLast() }
        return stem + tag + fileExtension
    }
}
