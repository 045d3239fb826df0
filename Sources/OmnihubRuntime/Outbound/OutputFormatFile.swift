import Foundation
public import OmnihubCore

/// Reads a declarative output format file (YAML). `docs/outbound.md` is the reference.
public enum OutputFormatFile {
    /// Loads and checks the format at `path`.
    public static func load(_ path: String) throws(ConfigurationError) -> OutputFormat {
        let root = try YAMLNode.load(path)
        try root.allowOnly(["format", "document", "type", "delimiter", "encoding", "file_name", "header", "columns"])
        let name = try root.required("format", "the format's name, e.g. store-picklist").text()
        let document = try root.required("document", "the document it writes: fulfilment_order").text()
        guard document == "fulfilment_order" else {
            throw try root.required("document", "").error(
                "'\(document)' is not a document this version writes; expected fulfilment_order")
        }
        let type = try root.required("type", "csv or json").choice(OutputFormat.FileType.self)
        var delimiter: Character = ","
        if let node = try root.optional("delimiter") {
            let text = try node.text()
            let named: [String: Character] = ["tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"]
            guard let character = named[text] ?? (text.count == 1 ? text.first : nil) else {
                throw node.error("'\(text)' must be one character, or tab, comma, semicolon, pipe")
            }
            delimiter = character
        }
        return OutputFormat(
            name: name, type: type, delimiter: delimiter,
            encoding: try root.optional("encoding")?.choice(TextEncoding.self) ?? .utf8,
            fileName: try root.required("file_name", "a name such as picklist-{node}-{wave}.csv").text(),
            header: try columns(root.optional("header")),
            columns: try columns(root.required("columns", "the columns to write")))
    }

    private static func columns(_ node: YAMLNode?) throws(ConfigurationError) -> [OutputFormat.Column] {
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
            guard FulfilmentOrder.fieldNames.contains(field) else {
                throw try item.required("value", "").error(
                    "'\(field)' is not a fulfilment order field; expected one of "
                        + FulfilmentOrder.fieldNames.joined(separator: ", "))
            }
            columns.append(OutputFormat.Column(name: name, field: field))
        }
        return columns
    }
}
