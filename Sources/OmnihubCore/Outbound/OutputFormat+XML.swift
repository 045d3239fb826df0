/// Writing XML: a root with lines (``XMLShape``) or a full template (``XMLElement``), with
/// namespace declarations and escaped text.
extension OutputFormat {
    var xmlDeclaration: String {
        let encodingName = ["utf-8": "UTF-8", "iso-8859-1": "ISO-8859-1", "windows-1252": "windows-1252"][
            encoding.rawValue]
        return "<?xml version=\"1.0\" encoding=\"\(encodingName ?? "UTF-8")\"?>\n"
    }

    /// An element of the template, or `nil` when it has nothing to say (no value, no child).

    /// An element of the template, or `nil` when it has nothing to say (no value, no child).
    func element<Document: FormattedDocument>(
        _ template: XMLElement, _ document: Document, root: Bool = false, collection: String = "", index: Int = 0,
        indent: String
    ) throws(ConversionFailure) -> String? {
        if let each = template.each {
            var single = template
            single.each = nil
            var text = ""
            for entry in 0..<document.count(of: each) {
                text += try element(single, document, collection: each, index: entry, indent: indent) ?? ""
            }
            return text.isEmpty ? nil : text
        }
        if let when = template.when, (document.value(when, in: collection, at: index) ?? "").isEmpty {
            return nil
        }
        var tag = "<" + template.name
        if root {
            for (prefix, uri) in namespaces {
                tag += (prefix.isEmpty ? " xmlns" : " xmlns:\(prefix)") + "=\"\(escape(uri))\""
            }
        }
        for attribute in template.attributes {
            guard let text = try value(attribute, document, collection: collection, index: index) else { continue }
            tag += " \(attribute.name)=\"\(escape(text))\""
        }
        if let column = template.value {
            guard let text = try value(column, document, collection: collection, index: index), !text.isEmpty else {
                return nil
            }
            return "\(indent)\(tag)>\(escape(text))</\(template.name)>\n"
        }
        var body = ""
        for child in template.children {
            body += try element(child, document, collection: collection, index: index, indent: indent + "  ") ?? ""
        }
        guard !body.isEmpty || root else { return nil }
        return "\(indent)\(tag)>\n\(body)\(indent)</\(template.name)>\n"
    }

    func renderXML<Document: FormattedDocument>(_ document: Document) throws(ConversionFailure) -> String {
        let shape = xml ?? XMLShape(root: "Document", lines: nil, line: "Line")
        func open(_ name: String, _ columns: [Column], collection: String, index: Int, namespace: String? = nil)
            throws(ConversionFailure) -> String
        {
            var tag = "<" + name
            if let namespace { tag += " xmlns=\"\(escape(namespace))\"" }
            for column in columns where column.name.hasPrefix("@") {
                guard let text = try value(column, document, collection: collection, index: index) else { continue }
                tag += " \(column.name.dropFirst())=\"\(escape(text))\""
            }
            return tag + ">"
        }
        func children(_ columns: [Column], collection: String, index: Int, indent: String) throws(ConversionFailure)
            -> String
        {
            var text = ""
            for column in columns where !column.name.hasPrefix("@") {
                guard let content = try value(column, document, collection: collection, index: index),
                    !content.isEmpty
                else { continue }
                text += "\(indent)<\(column.name)>\(escape(content))</\(column.name)>\n"
            }
            return text
        }
        var text = xmlDeclaration
        text += try open(shape.root, header, collection: "", index: 0, namespace: shape.namespace) + "\n"
        text += try children(header, collection: "", index: 0, indent: "  ")
        let lineIndent = shape.lines == nil ? "  " : "    "
        if let wrapper = shape.lines { text += "  <\(wrapper)>\n" }
        for index in 0..<document.count(of: "lines") {
            text += lineIndent + (try open(shape.line, columns, collection: "lines", index: index)) + "\n"
            text += try children(columns, collection: "lines", index: index, indent: lineIndent + "  ")
            text += "\(lineIndent)</\(shape.line)>\n"
        }
        if let wrapper = shape.lines { text += "  </\(wrapper)>\n" }
        return text + "</\(shape.root)>\n"
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
