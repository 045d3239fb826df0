import Foundation
import OmnihubCore

/// The `lookups:` section: named tables, inline or from a CSV file beside the mapping.
enum LookupSection {
    static func parse(_ node: YAMLNode?, folder: String) throws(ConfigurationError) -> [String: Lookup] {
        guard let node else { return [:] }
        var lookups: [String: Lookup] = [:]
        for (name, table) in try node.entries() {
            try table.allowOnly(["values", "file", "key", "value", "missing"])
            var entries: [String: String] = [:]
            if let values = try table.optional("values") {
                for (key, value) in try values.entries() { entries[key] = try value.text() }
            } else if let file = try table.optional("file") {
                entries = try load(
                    file, folder: folder, key: table.required("key", "the column with the feed's values").text(),
                    value: table.required("value", "the column with the canonical values").text())
            } else {
                throw table.error("a lookup needs values (an inline table) or file (a CSV file with a header)")
            }
            lookups[name] = Lookup(
                name: name, entries: entries, missing: try missing(table.optional("missing")) ?? .error)
        }
        return lookups
    }

    /// `error`, `pass`, or `{value: X}`.
    static func missing(_ node: YAMLNode?) throws(ConfigurationError) -> Lookup.Missing? {
        guard let node else { return nil }
        if node.isScalar {
            switch try node.text() {
            case "error": return .error
            case "pass": return .pass
            case let other:
                throw node.error("'\(other)' is not a policy; expected error, pass, or {value: the value to use}")
            }
        }
        try node.allowOnly(["value"])
        return .value(try node.required("value", "the value for anything not in the table").text())
    }

    private static func load(_ fileNode: YAMLNode, folder: String, key: String, value: String)
        throws(ConfigurationError) -> [String: String]
    {
        let relative = try fileNode.text()
        let path = relative.hasPrefix("/") ? relative : (folder as NSString).appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fileNode.error("the lookup file \(path) does not exist or cannot be read")
        }
        var reader = CSVReader(
            source: InMemoryBytes(Array(data)), dialect: CSVDialect(), encoding: .utf8, fileName: relative)
        var entries: [String: String] = [:]
        do {
            try reader.readHeader()
            guard let keyIndex = reader.columns.index(of: key), let valueIndex = reader.columns.index(of: value) else {
                throw fileNode.error(
                    "the lookup file \(relative) needs the columns '\(key)' and '\(value)'; it has "
                        + reader.columns.names.joined(separator: ", "))
            }
            while let row = try reader.next() {
                guard let found = try row.field(keyIndex), !found.isEmpty else { continue }
                entries[found] = try row.field(valueIndex) ?? ""
            }
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw fileNode.error("the lookup file \(relative) cannot be read: \(error)")
        }
        return entries
    }
}
