import Foundation
package import OmnihubCore

/// Reads a declarative output format file (YAML). `docs/outbound.md` is the reference.
package enum OutputFormatFile {
    /// Loads and checks the format at `path`.
    package static func load(_ path: String) throws(ConfigurationError) -> OutputFormat {
        let root = try YAMLNode.load(path)
        try root.allowOnly([
            "format", "document", "type", "delimiter", "encoding", "file_name", "header", "columns", "xml",
            "cancellation_file_name", "decimal_separator", "time_zone", "preamble", "header_row",
        ])
        let name = try root.required("format", "the format's name, e.g. store-picklist").text()
        let documentNode = try root.required(
            "document",
            "the document it writes: " + documents.keys.sorted().joined(separator: ", "))
        let document = try documentNode.text()
        guard let fields = documents[document] else {
            throw documentNode.error(
                "'\(document)' is not a document this version writes; expected "
                    + documents.keys.sorted().joined(separator: ", "))
        }
        let type = try root.required("type", "csv, json, json_lines or xml").choice(OutputFormat.FileType.self)
        var delimiter: Character = ","
        if let node = try root.optional("delimiter") {
            let text = try node.text()
            let named: [String: Character] = ["tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"]
            guard let character = named[text] ?? (text.count == 1 ? text.first : nil) else {
                throw node.error("'\(text)' must be one character, or tab, comma, semicolon, pipe")
            }
            delimiter = character
        }
        let header = try columns(root.optional("header"), fields: fields, document: document)
        var shape: OutputFormat.XMLShape?
        var template: OutputFormat.XMLElement?
        var namespaces: [(prefix: String, uri: String)] = []
        let lineColumns: [OutputFormat.Column]
        if type == .xml {
            let node = try root.required(
                "xml", "the element names (root, line, and optionally namespace and lines) or a template")
            if let templateNode = try node.optional("template") {
                try node.allowOnly(["template", "namespaces", "schema"])
                for (prefix, uri) in try node.optional("namespaces")?.entries() ?? [] {
                    namespaces.append((prefix, try uri.text()))
                }
                template = try element(templateNode, fields: fields, document: document)
                try checkPrefixes(template!, declared: Set(namespaces.map(\.prefix)), node: templateNode)
                lineColumns = []
            } else {
                try node.allowOnly(["root", "namespace", "lines", "line", "schema"])
                shape = OutputFormat.XMLShape(
                    root: try elementName(node.required("root", "the document element, e.g. FulfilmentOrder")),
                    namespace: try node.optional("namespace")?.text(),
                    lines: try node.optional("lines").map { node throws(ConfigurationError) in try elementName(node) },
                    line: try elementName(node.required("line", "the element of each line, e.g. Line")))
                for item in try (root.optional("header")?.items() ?? []) + root.required("columns", "").items() {
                    let name = try item.required("name", "").text()
                    _ = try elementName(
                        item.required("name", ""), name.hasPrefix("@") ? String(name.dropFirst()) : name)
                }
                lineColumns = try columns(
                    root.required("columns", "the columns to write"), fields: fields, document: document)
            }
        } else {
            if let node = try root.optional("xml") {
                throw node.error(
                    "xml names elements, and this format's type is \(type.rawValue); remove it or set type: xml")
            }
            lineColumns = try columns(
                root.required("columns", "the columns to write"), fields: fields, document: document)
        }
        var format = OutputFormat(
            name: name, type: type, delimiter: delimiter,
            encoding: try root.optional("encoding")?.choice(TextEncoding.self) ?? .utf8,
            fileName: try root.required("file_name", "a name such as picklist-{node}-{wave}.csv").text(),
            header: header, columns: lineColumns, xml: shape)
        format.template = template
        format.namespaces = namespaces
        if let schemaNode = try root.optional("xml")?.optional("schema") {
            let relative = try schemaNode.text()
            let folder = (path as NSString).deletingLastPathComponent
            let schemaPath = URL(
                fileURLWithPath: relative.hasPrefix("/")
                    ? relative : (folder as NSString).appendingPathComponent(relative)
            ).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: schemaPath) else {
                throw schemaNode.error(
                    "the schema \(schemaPath) does not exist; put it there (OASIS's UBL 2.1 schemas: run "
                        + "scripts/fetch-ubl-schemas.sh) or remove xml.schema")
            }
            do throws(ConversionFailure) {
                format.schema = try XMLSchema(path: schemaPath)
            } catch {
                throw schemaNode.error(error.message)
            }
        }
        format.cancellationFileName = try root.optional("cancellation_file_name")?.text()
        format.document = document
        format.preamble = try columns(root.optional("preamble"), fields: fields, document: document)
        format.headerRow = try root.optional("header_row")?.boolean() ?? true
        if let node = try root.optional("decimal_separator") {
            let text = try node.text()
            guard text == "." || text == "," else { throw node.error("'\(text)' must be . or ,") }
            format.decimalSeparator = text.first!
        }
        if let node = try root.optional("time_zone") {
            let text = try node.text()
            guard let zone = TimeZone(identifier: text) else {
                throw node.error("'\(text)' is not a time zone; use a name such as Europe/Berlin or UTC")
            }
            format.timeZone = zone
        }
        return format
    }

    /// The documents a format can write, with the fields each offers.
    static let documents: [String: [String]] = [
        "fulfilment_order": FulfilmentOrder.fieldNames,
        "shipping_confirmation": ShippingConfirmation.fieldNames,
        "inventory_feed": InventoryFeed.fieldNames,
        "order_acknowledgement": OrderAcknowledgement.fieldNames,
        "order_cancellation": OrderAcknowledgement.fieldNames,
        "channel_return": OrderAcknowledgement.fieldNames,
        "invoice": Invoice.fieldNames,
        "credit_note": Invoice.fieldNames,
        "bookings": FinanceBookings.fieldNames,
        "customer_notification": CustomerNotification.fieldNames,
        "refund": RefundInstruction.fieldNames,
    ]

    /// The parts of documents an XML template element may repeat for.
    private static let collections = ["lines", "taxes", "charges"]

    private static func element(_ node: YAMLNode, fields: [String], document: String) throws(ConfigurationError)
        -> OutputFormat.XMLElement
    {
        try node.allowOnly([
            "element", "value", "const", "date_format", "lookup", "default", "attributes", "children", "each", "when",
        ])
        let nameNode = try node.required("element", "the element's name, e.g. cbc:ID")
        var element = OutputFormat.XMLElement(name: try elementName(nameNode))
        let hasValue = try node.optional("value") != nil
        let hasConstant = try node.optional("const") != nil
        if hasValue || hasConstant {
            element.value = try column(node, name: element.name, fields: fields, document: document)
            if let children = try node.optional("children") {
                throw children.error("an element has a value or children, not both")
            }
        } else {
            let children = try node.required("children", "a value, a const or child elements")
            element.children = try children.items().map { child throws(ConfigurationError) in
                try Self.element(child, fields: fields, document: document)
            }
        }
        for item in try node.optional("attributes")?.items() ?? [] {
            let attribute = try column(
                item, name: try elementName(item.required("name", "the attribute's name")), fields: fields,
                document: document)
            element.attributes.append(attribute)
        }
        if let each = try node.optional("each") {
            let text = try each.text()
            guard collections.contains(text) else {
                throw each.error(
                    "'\(text)' is not a part to repeat for; expected " + collections.joined(separator: ", "))
            }
            element.each = text
        }
        if let when = try node.optional("when") {
            let field = try when.text()
            guard fields.contains(field) else {
                throw when.error("'\(field)' is not a field; expected one of " + fields.joined(separator: ", "))
            }
            element.when = field
        }
        return element
    }

    private static func checkPrefixes(_ element: OutputFormat.XMLElement, declared: Set<String>, node: YAMLNode)
        throws(ConfigurationError)
    {
        let names = [element.name] + element.attributes.map(\.name)
        for name in names where name.contains(":") {
            let prefix = String(name.prefix { $0 != ":" })
            guard declared.contains(prefix) else {
                throw node.error(
                    "'\(name)' uses the prefix '\(prefix)', which xml.namespaces does not declare")
            }
        }
        for child in element.children { try checkPrefixes(child, declared: declared, node: node) }
    }

    /// The node's text when it is a usable XML element or attribute name (letters, digits, `-`,
    /// `_`, `.`, one optional prefix `p:`; not starting with a digit, `-` or `.`).
    private static func elementName(_ node: YAMLNode, _ given: String? = nil) throws(ConfigurationError) -> String {
        let name: String
        if let given { name = given } else { name = try node.text() }
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        let valid =
            (1...2).contains(parts.count)
            && parts.allSatisfy { part in
                guard let first = part.first, first.isLetter || first == "_" else { return false }
                return part.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
            }
        guard valid else {
            throw node.error("'\(name)' is not an XML name; use letters, digits, - _ . and start with a letter")
        }
        return name
    }

    private static func columns(_ node: YAMLNode?, fields: [String], document: String) throws(ConfigurationError)
        -> [OutputFormat.Column]
    {
        guard let node else { return [] }
        var columns: [OutputFormat.Column] = []
        for item in try node.items() {
            let name = try item.required("name", "the column's name in the file").text()
            columns.append(try column(item, name: name, fields: fields, document: document))
        }
        return columns
    }

    /// A column, attribute or element value: `value` or `const`, and how it is written.
    private static func column(_ item: YAMLNode, name: String, fields: [String], document: String)
        throws(ConfigurationError) -> OutputFormat.Column
    {
        try item.allowOnly([
            "name", "value", "const", "date_format", "quote", "lookup", "default", "element", "attributes",
            "children", "each", "when",
        ])
        var column: OutputFormat.Column
        if let constant = try item.optional("const") {
            column = OutputFormat.Column(name: name, field: "", constant: try constant.text())
        } else {
            let valueNode = try item.required("value", "the field it carries, e.g. sku, or a const")
            let field = try valueNode.text()
            guard fields.contains(field) else {
                throw valueNode.error(
                    "'\(field)' is not a \(document.replacingOccurrences(of: "_", with: " ")) field; expected one of "
                        + fields.joined(separator: ", "))
            }
            column = OutputFormat.Column(name: name, field: field)
        }
        if let node = try item.optional("date_format") {
            let pattern = try node.text()
            do throws(ConversionFailure) {
                column.dateFormat = try DateTimeFormat(pattern: pattern)
            } catch {
                throw node.error(error.message)
            }
        }
        if let node = try item.optional("quote") {
            switch try node.text() {
            case "always": column.quoted = true
            case "needed": column.quoted = false
            case let other: throw node.error("'\(other)' is not a quoting; expected always or needed")
            }
        }
        if let node = try item.optional("lookup") {
            var table: [String: String] = [:]
            for (key, value) in try node.entries() { table[key] = try value.text() }
            column.lookup = table
            column.lookupDefault = try item.optional("default")?.text()
        } else if let node = try item.optional("default") {
            throw node.error("default belongs to a lookup; add lookup: or remove default")
        }
        return column
    }
}
