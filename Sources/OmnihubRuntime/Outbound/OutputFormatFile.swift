import Foundation
public import OmnihubCore

/// Reads a declarative output format file (YAML). `docs/outbound.md` is the reference.
public enum OutputFormatFile {
    /// Loads and checks the format at `path`.
    public static func load(_ path: String) throws(ConfigurationError) -> OutputFormat {
        let root = try YAMLNode.load(path)
        try root.allowOnly([
            "format", "document", "type", "delimiter", "encoding", "file_name", "header", "columns", "xml",
            "cancellation_file_name",
        ])
        let name = try root.required("format", "the format's name, e.g. store-picklist").text()
        let documentNode = try root.required(
            "document",
            "the document it writes: fulfilment_order, shipping_confirmation, inventory_feed or order_acknowledgement")
        let document = try documentNode.text()
        let fields: [String]
        switch document {
        case "fulfilment_order": fields = FulfilmentOrder.fieldNames
        case "shipping_confirmation": fields = ShippingConfirmation.fieldNames
        case "inventory_feed": fields = InventoryFeed.fieldNames
        case "order_acknowledgement": fields = OrderAcknowledgement.fieldNames
        default:
            throw documentNode.error(
                "'\(document)' is not a document this version writes; expected fulfilment_order, "
                    + "shipping_confirmation, inventory_feed or order_acknowledgement")
        }
        let type = try root.required("type", "csv, json or xml").choice(OutputFormat.FileType.self)
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
        let lineColumns = try columns(
            root.required("columns", "the columns to write"), fields: fields, document: document)
        var shape: OutputFormat.XMLShape?
        if type == .xml {
            let node = try root.required("xml", "the element names: root, line, and optionally namespace and lines")
            try node.allowOnly(["root", "namespace", "lines", "line"])
            shape = OutputFormat.XMLShape(
                root: try elementName(node.required("root", "the document element, e.g. FulfilmentOrder")),
                namespace: try node.optional("namespace")?.text(),
                lines: try node.optional("lines").map { node throws(ConfigurationError) in try elementName(node) },
                line: try elementName(node.required("line", "the element of each line, e.g. Line")))
            for item in try (root.optional("header")?.items() ?? []) + root.required("columns", "").items() {
                let name = try item.required("name", "").text()
                _ = try elementName(item.required("name", ""), name.hasPrefix("@") ? String(name.dropFirst()) : name)
            }
        } else if let node = try root.optional("xml") {
            throw node.error(
                "xml names elements, and this format's type is \(type.rawValue); remove it or set type: xml")
        }
        var format = OutputFormat(
            name: name, type: type, delimiter: delimiter,
            encoding: try root.optional("encoding")?.choice(TextEncoding.self) ?? .utf8,
            fileName: try root.required("file_name", "a name such as picklist-{node}-{wave}.csv").text(),
            header: header, columns: lineColumns, xml: shape)
        format.cancellationFileName = try root.optional("cancellation_file_name")?.text()
        format.document = document
        return format
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
            try item.allowOnly(["name", "value", "const"])
            let name = try item.required("name", "the column's name in the file").text()
            if let constant = try item.optional("const") {
                columns.append(OutputFormat.Column(name: name, field: "", constant: try constant.text()))
                continue
            }
            let field = try item.required("value", "the field it carries, e.g. sku").text()
            guard fields.contains(field) else {
                throw try item.required("value", "").error(
                    "'\(field)' is not a \(document.replacingOccurrences(of: "_", with: " ")) field; expected one of "
                        + fields.joined(separator: ", "))
            }
            columns.append(OutputFormat.Column(name: name, field: field))
        }
        return columns
    }
}
