/// Writing XML: a root with lines (``XMLShape``) or a full template (``XMLElement``), with
/// namespace declarations and escaped text.
extension OutputFormat {
    var xmlDeclaration: String {
        let encodingName = ["utf-8": "UTF-8", "iso-8859-1": "ISO-8859-1", "windows-1252": "windows-1252"][
            encoding.rawValue]
        return "<?xml version=\"1.0\" encoding=\"\(encodingName ?? "UTF-8")\"?>\n"
    }

    /// The document rendered from the template, declaration first.
    func renderTemplate<Document: FormattedDocument>(_ template: XMLElement, _ document: Document)
        throws(ConversionFailure) -> [UInt8]
    {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4096)
        bytes.appendUTF8(xmlDeclaration)
        try withUnsafePointer(to: template) { template throws(ConversionFailure) in
            _ = try element(template, document, root: true, collection: "", index: 0, depth: 0, into: &bytes)
        }
        return bytes
    }

    /// Appends an element of the template to `bytes` (UTF-8), or nothing when it has nothing to
    /// say (no value, no child); tells which. Written in place: a document of a few hundred
    /// elements is one buffer, not a string per element copied into its parent's.
    ///
    /// The element is borrowed through a pointer: passed by value, each child was copied out of
    /// its parent's array (a retain and a release of every string and array in it): a quarter of
    /// the samples of rendering a UBL invoice.
    func element<Document: FormattedDocument>(
        _ template: UnsafePointer<XMLElement>, _ document: Document, root: Bool = false, repeating: Bool = true,
        collection: String, index: Int, depth: Int, into bytes: inout [UInt8]
    ) throws(ConversionFailure) -> Bool {
        if repeating, let each = template.pointee.each {
            var wrote = false
            for entry in 0..<document.count(of: each) {
                if try self.element(
                    template, document, repeating: false, collection: each, index: entry, depth: depth, into: &bytes)
                {
                    wrote = true
                }
            }
            return wrote
        }
        if let when = template.pointee.when, (document.value(when, in: collection, at: index) ?? "").isEmpty {
            return false
        }
        let start = bytes.count
        bytes.appendSpaces(2 * depth)
        bytes.append(UInt8(ascii: "<"))
        bytes.appendUTF8(template.pointee.name)
        if root {
            for (prefix, uri) in namespaces {
                bytes.append(contentsOf: (prefix.isEmpty ? " xmlns=\"" : " xmlns:\(prefix)=\"").utf8)
                escape(uri, into: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
        }
        // Attributes and children through buffer pointers: each is borrowed where iterating the
        // array would copy it (a retain and a release for each of its strings and arrays).
        try template.pointee.attributes.withUnsafeBufferPointer { attributes throws(ConversionFailure) in
            for attribute in attributes.indices {
                guard let text = try value(attributes[attribute], document, collection: collection, index: index)
                else { continue }
                bytes.append(UInt8(ascii: " "))
                bytes.appendUTF8(attributes[attribute].name)
                bytes.append(contentsOf: "=\"".utf8)
                escape(text, into: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
        }
        bytes.append(UInt8(ascii: ">"))
        if let column = template.pointee.value {
            guard let text = try value(column, document, collection: collection, index: index), !text.isEmpty else {
                bytes.removeSubrange(start...)
                return false
            }
            escape(text, into: &bytes)
            closeTag(template.pointee.name, into: &bytes)
            return true
        }
        bytes.append(UInt8(ascii: "\n"))
        var wrote = false
        try template.pointee.children.withUnsafeBufferPointer { children throws(ConversionFailure) in
            for child in children.indices {
                if try self.element(
                    children.baseAddress! + child, document, collection: collection, index: index, depth: depth + 1,
                    into: &bytes)
                {
                    wrote = true
                }
            }
        }
        guard wrote || root else {
            bytes.removeSubrange(start...)
            return false
        }
        bytes.appendSpaces(2 * depth)
        closeTag(template.pointee.name, into: &bytes)
        return true
    }

    /// `</name>` and a line break.
    private func closeTag(_ name: String, into bytes: inout [UInt8]) {
        bytes.append(contentsOf: "</".utf8)
        bytes.appendUTF8(name)
        bytes.append(contentsOf: ">\n".utf8)
    }

    /// The document in its XML shape (a root, header fields, a line element per line), as UTF-8
    /// written in place like ``renderTemplate(_:_:)``.
    ///
    /// A long document's lines are written on every core, ``xmlLinesPerChunk`` lines at a time,
    /// and joined in line order; the bytes and the first failure in line order are the same on any
    /// number of cores.
    func renderXML<Document: FormattedDocument>(_ document: Document) throws(ConversionFailure) -> [UInt8] {
        let shape = xml ?? XMLShape(root: "Document", lines: nil, line: "Line")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2048 + 256 * document.lineCount)
        bytes.appendUTF8(xmlDeclaration)
        try open(
            shape.root, header, document, collection: "", index: 0, indent: 0, namespace: shape.namespace,
            into: &bytes)
        try children(header, document, collection: "", index: 0, indent: 2, into: &bytes)
        let lineIndent = shape.lines == nil ? 2 : 4
        if let wrapper = shape.lines {
            bytes.append(contentsOf: "  <\(wrapper)>\n".utf8)
        }
        let count = document.count(of: "lines")
        let chunks = (count + Self.xmlLinesPerChunk - 1) / Self.xmlLinesPerChunk
        let lines = parallelMap(chunks, workers: outboxWorkers, minimumPerWorker: 1) { chunk in
            Result { () throws(ConversionFailure) -> [UInt8] in
                var bytes: [UInt8] = []
                let start = chunk * Self.xmlLinesPerChunk
                for index in start..<min(count, start + Self.xmlLinesPerChunk) {
                    try open(
                        shape.line, columns, document, collection: "lines", index: index, indent: lineIndent,
                        into: &bytes)
                    try children(
                        columns, document, collection: "lines", index: index, indent: lineIndent + 2, into: &bytes)
                    bytes.appendSpaces(lineIndent)
                    closeTag(shape.line, into: &bytes)
                }
                return bytes
            }
        }
        for chunk in lines { bytes += try chunk.get() }
        if let wrapper = shape.lines {
            bytes.append(contentsOf: "  ".utf8)
            closeTag(wrapper, into: &bytes)
        }
        closeTag(shape.root, into: &bytes)
        return bytes
    }

    /// How many lines of an XML document one thread writes at a time.
    package static let xmlLinesPerChunk = 64

    /// An element's start tag with the columns named `@…` as its attributes.
    private func open<Document: FormattedDocument>(
        _ name: String, _ columns: [Column], _ document: Document, collection: String, index: Int, indent: Int,
        namespace: String? = nil, into bytes: inout [UInt8]
    ) throws(ConversionFailure) {
        bytes.appendSpaces(indent)
        bytes.append(UInt8(ascii: "<"))
        bytes.appendUTF8(name)
        if let namespace {
            bytes.append(contentsOf: " xmlns=\"".utf8)
            escape(namespace, into: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        for column in columns where column.name.hasPrefix("@") {
            guard let text = try value(column, document, collection: collection, index: index) else { continue }
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: column.name.utf8.dropFirst())
            bytes.append(contentsOf: "=\"".utf8)
            escape(text, into: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(contentsOf: ">\n".utf8)
    }

    /// One child element for each column not named `@…` that has a value.
    private func children<Document: FormattedDocument>(
        _ columns: [Column], _ document: Document, collection: String, index: Int, indent: Int,
        into bytes: inout [UInt8]
    ) throws(ConversionFailure) {
        for column in columns where !column.name.hasPrefix("@") {
            guard let content = try value(column, document, collection: collection, index: index), !content.isEmpty
            else { continue }
            bytes.appendSpaces(indent)
            bytes.append(UInt8(ascii: "<"))
            bytes.appendUTF8(column.name)
            bytes.append(UInt8(ascii: ">"))
            escape(content, into: &bytes)
            closeTag(column.name, into: &bytes)
        }
    }

    /// ``escape(_:)`` appended to `bytes` as UTF-8: printable ASCII without markup characters (most
    /// values) in one copy, markup characters escaped byte by byte, anything else scalar by scalar.
    func escape(_ value: String, into bytes: inout [UInt8]) {
        var value = value
        let written = value.withUTF8 { utf8 in
            var markup = false
            for byte in utf8 {
                switch byte {
                case 0x20..<0x80:
                    if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                        || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
                    {
                        markup = true
                    }
                case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): break
                default: return false
                }
            }
            guard markup else {
                bytes.append(contentsOf: utf8)
                return true
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): bytes.append(contentsOf: "&apos;".utf8)
                default: bytes.append(byte)
                }
            }
            return true
        }
        // Control characters and every scalar beyond ASCII: checked scalar by scalar.
        if !written { bytes.appendUTF8(escape(value)) }
    }

    /// `value` as XML text or attribute content: markup characters escaped, and characters XML 1.0
    /// forbids (NUL, other control characters, U+FFFE, U+FFFF) replaced, so no partner byte makes a
    /// document that is not well-formed. The replacement is U+FFFD, or `?` where the file's encoding
    /// has no U+FFFD.
    func escape(_ value: String) -> String {
        var text = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "\"": text += "&quot;"
            case "'": text += "&apos;"
            default: text.unicodeScalars.append(OutputEncoding.isAllowedInXML(scalar) ? scalar : replacementCharacter)
            }
        }
        return text
    }

    /// `value` with each `"` written twice, as CSV quotes it.
}

extension [UInt8] {
    /// Appends `text`'s UTF-8 in one copy (appending a `String.UTF8View` goes byte by byte for
    /// short strings).
    mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends `count` spaces: an XML file's indentation.
    mutating func appendSpaces(_ count: Int) {
        for _ in 0..<Swift.max(0, count) { append(UInt8(ascii: " ")) }
    }
}
