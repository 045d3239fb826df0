import OmnihubCore

/// The `format:` section of a mapping file.
enum FormatSection {
    static func parse(_ node: YAMLNode) throws(ConfigurationError) -> DocumentMapping.Format {
        let type = try node.required("type", "the format: csv, tsv, json or xml").text()
        switch type {
        case "csv", "tsv":
            try node.allowOnly(["type", "delimiter", "quote", "header", "skip_rows"])
            var dialect = CSVDialect()
            if type == "tsv" { dialect.delimiter = 9 }
            if let delimiter = try node.optional("delimiter") {
                dialect.delimiter = try byte(delimiter, names: ["tab": 9, "comma": 44, "semicolon": 59, "pipe": 124])
            }
            if let quote = try node.optional("quote") {
                dialect.quote = try quote.text() == "none" ? nil : try byte(quote, names: [:])
            }
            if let header = try node.optional("header") { dialect.hasHeader = try header.boolean() }
            if let skip = try node.optional("skip_rows") { dialect.skipRows = try skip.integer() }
            return .csv(dialect)
        case "json":
            try node.allowOnly(["type", "records", "layout"])
            let layout = try node.optional("layout")?.text() ?? "document"
            switch layout {
            case "lines":
                return .json(.lines)
            case "document":
                let records = try node.optional("records")?.text() ?? ""
                return .json(.document(recordPath: records.split(separator: "/").map(String.init)))
            default:
                throw try node.required("layout", "").error(
                    "'\(layout)' is not a JSON layout; expected document (one JSON document) or lines (JSON Lines)")
            }
        case "xml":
            try node.allowOnly(["type", "records", "namespaces"])
            let records = try node.required("records", "the record elements, e.g. /ubl:Order or Order").text()
            var namespaces: [String: String] = [:]
            if let declared = try node.optional("namespaces") {
                for (prefix, uri) in try declared.entries() { namespaces[prefix] = try uri.text("a namespace URI") }
            }
            for name in records.split(separator: "/") where name.contains(":") && !name.hasPrefix("*:") {
                let prefix = String(name.split(separator: ":")[0])
                if namespaces[prefix] == nil {
                    throw try node.required("records", "").error(
                        "the prefix '\(prefix)' is not declared; add it under format.namespaces")
                }
            }
            return .xml(recordPath: XMLRecordPath(records), namespaces: namespaces)
        default:
            throw try node.required("type", "").error("'\(type)' is not a format; expected one of csv, tsv, json, xml")
        }
    }

    private static func byte(_ node: YAMLNode, names: [String: UInt8]) throws(ConfigurationError) -> UInt8 {
        let text = try node.text()
        if let named = names[text] { return named }
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 128 else {
            let choices = names.keys.sorted().joined(separator: ", ")
            throw node.error(
                "'\(text)' must be a single ASCII character" + (choices.isEmpty ? "" : " or one of \(choices)"))
        }
        return byte
    }
}
