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
        bytes.append(contentsOf: xmlDeclaration.utf8)
        _ = try element(template, document, root: true, collection: "", index: 0, depth: 0, into: &bytes)
        return bytes
    }

    /// Appends an element of the template to `bytes` (UTF-8), or nothing when it has nothing to
    /// say (no value, no child); tells which. Written in place: a document of a few hundred
    /// elements is one buffer, not a string per element copied into its parent's.
    func element<Document: FormattedDocument>(
        _ template: XMLElement, _ document: Document, root: Bool = false, repeating: Bool = true,
        collection: String, index: Int, depth: Int, into bytes: inout [UInt8]
    ) throws(ConversionFailure) -> Bool {
        if repeating, let each = template.each {
            var wrote = false
            for entry in 0..<document.count(of: each) {
                if try element(
                    template, document, repeating: false, collection: each, index: entry, depth: depth, into: &bytes)
                {
                    wrote = true
                }
            }
            return wrote
        }
        if let when = template.when, (document.value(when, in: collection, at: index) ?? "").isEmpty {
            return false
        }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: template.name.utf8)
        if root {
            for (prefix, uri) in namespaces {
                bytes.append(contentsOf: (prefix.isEmpty ? " xmlns=\"" : " xmlns:\(prefix)=\"").utf8)
                escape(uri, into: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
        }
        for attribute in template.attributes {
            guard let text = try value(attribute, document, collection: collection, index: index) else { continue }
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: attribute.name.utf8)
            bytes.append(contentsOf: "=\"".utf8)
            escape(text, into: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ">"))
        if let column = template.value {
            guard let text = try value(column, document, collection: collection, index: index), !text.isEmpty else {
                bytes.removeSubrange(start...)
                return false
            }
            escape(text, into: &bytes)
            closeTag(template.name, into: &bytes)
            return true
        }
        bytes.append(UInt8(ascii: "\n"))
        var wrote = false
        for child in template.children {
            if try element(child, document, collection: collection, index: index, depth: depth + 1, into: &bytes) {
                wrote = true
            }
        }
        guard wrote || root else {
            bytes.removeSubrange(start...)
            return false
        }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
        closeTag(template.name, into: &bytes)
        return true
    }

    /// `</name>` and a line break.
    private func closeTag(_ name: String, into bytes: inout [UInt8]) {
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: ">\n".utf8)
    }

    /// The document in its XML shape (a root, header fields, a line element per line), as UTF-8
    /// written in place like ``renderTemplate(_:_:)``.
    func renderXML<Document: FormattedDocument>(_ document: Document) throws(ConversionFailure) -> [UInt8] {
        let shape = xml ?? XMLShape(root: "Document", lines: nil, line: "Line")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2048 + 256 * document.lineCount)
        bytes.append(contentsOf: xmlDeclaration.utf8)
        func open(
            _ name: String, _ columns: [Column], collection: String, index: Int, indent: Int, namespace: String? = nil
        ) throws(ConversionFailure) {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
            bytes.append(UInt8(ascii: "<"))
            bytes.append(contentsOf: name.utf8)
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
        func children(_ columns: [Column], collection: String, index: Int, indent: Int) throws(ConversionFailure) {
            for column in columns where !column.name.hasPrefix("@") {
                guard let content = try value(column, document, collection: collection, index: index),
                    !content.isEmpty
                else { continue }
                bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
                bytes.append(UInt8(ascii: "<"))
                bytes.append(contentsOf: column.name.utf8)
                bytes.append(UInt8(ascii: ">"))
                escape(content, into: &bytes)
                closeTag(column.name, into: &bytes)
            }
        }
        try open(shape.root, header, collection: "", index: 0, indent: 0, namespace: shape.namespace)
        try children(header, collection: "", index: 0, indent: 2)
        let lineIndent = shape.lines == nil ? 2 : 4
        if let wrapper = shape.lines {
            bytes.append(contentsOf: "  <\(wrapper)>\n".utf8)
        }
        for index in 0..<document.count(of: "lines") {
            try open(shape.line, columns, collection: "lines", index: index, indent: lineIndent)
            try children(columns, collection: "lines", index: index, indent: lineIndent + 2)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: lineIndent))
            closeTag(shape.line, into: &bytes)
        }
        if let wrapper = shape.lines {
            bytes.append(contentsOf: "  ".utf8)
            closeTag(wrapper, into: &bytes)
        }
        closeTag(shape.root, into: &bytes)
        return bytes
    }

    /// ``escape(_:)`` appended to `bytes` as UTF-8.
    func escape(_ value: String, into bytes: inout [UInt8]) {
        let plain = value.utf8.allSatisfy { byte in
            (0x20..<0x80).contains(byte) || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        }
        guard plain else {
            // Control characters and every scalar beyond ASCII: checked scalar by scalar.
            bytes.append(contentsOf: escape(value).utf8)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&apos;".utf8)
            default: bytes.append(byte)
            }
        }
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
