import Foundation
import Yams

/// A node of a YAML file that knows its file, line and key path, so every complaint about it can
/// say exactly where the mistake is.
struct YAMLNode {
    let node: Node
    let file: String
    let key: String
    /// The line of the key this node is the value of; errors point there.
    var keyLine: Int? = nil

    /// Parses `text`; a syntax error names the line and column.
    static func parse(_ text: String, file: String) throws(ConfigurationError) -> YAMLNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigurationError(file: file, line: 1, key: nil, message: "the file is empty")
            }
            return YAMLNode(node: node, file: file, key: "")
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(file: file, line: nil, key: nil, message: "this is not valid YAML: \(error)")
        }
    }

    /// Reads and parses a file.
    static func load(_ path: String) throws(ConfigurationError) -> YAMLNode {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(
                file: path, line: nil, key: nil, message: "the file does not exist or cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: path, line: nil, key: nil, message: "the file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    var line: Int? { keyLine ?? node.mark.map { $0.line } }

    var isScalar: Bool {
        if case .scalar = node { return true }
        return false
    }

    func error(_ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: line, key: key.isEmpty ? nil : key, message: message)
    }

    private func child(_ node: Node, _ name: String, keyLine: Int?) -> YAMLNode {
        YAMLNode(node: node, file: file, key: key.isEmpty ? name : "\(key).\(name)", keyLine: keyLine)
    }

    /// The entries of a mapping, in file order; anything else is an error.
    func entries() throws(ConfigurationError) -> [(String, YAMLNode)] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping of keys to values here")
        }
        var result: [(String, YAMLNode)] = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.string else { throw error("every key must be text") }
            result.append((name, child(value, name, keyLine: keyNode.mark?.line)))
        }
        return result
    }

    /// Refuses keys that are not in `known`, naming the ones that are.
    func allowOnly(_ known: [String]) throws(ConfigurationError) {
        for (name, value) in try entries() where !known.contains(name) {
            throw value.error("'\(name)' is not a known key here; expected one of: \(known.joined(separator: ", "))")
        }
    }

    /// The value at `name`, if present and not null.
    func optional(_ name: String) throws(ConfigurationError) -> YAMLNode? {
        for (entry, value) in try entries() where entry == name {
            if case .scalar(let scalar) = value.node, scalar.string == "null" || scalar.string == "~" {
                return nil
            }
            return value
        }
        return nil
    }

    /// The value at `name`; its absence is an error saying what belongs there.
    func required(_ name: String, _ expected: String) throws(ConfigurationError) -> YAMLNode {
        guard let value = try optional(name) else {
            let place = key.isEmpty ? name : "\(key).\(name)"
            throw ConfigurationError(
                file: file, line: line, key: place, message: "this key is missing; expected \(expected)")
        }
        return value
    }

    /// The node as text; a mapping or list is an error.
    func text(_ expected: String = "text") throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected \(expected), not a mapping or list") }
        return scalar.string
    }

    /// The node as a whole number.
    func integer(_ expected: String = "a whole number") throws(ConfigurationError) -> Int {
        guard let value = Int(try text(expected)) else { throw error("expected \(expected), found '\(try text())'") }
        return value
    }

    /// The node as a decimal number of seconds, or similar.
    func number(_ expected: String) throws(ConfigurationError) -> Double {
        guard let value = Double(try text(expected)) else { throw error("expected \(expected), found '\(try text())'") }
        return value
    }

    /// The node as true or false.
    func boolean() throws(ConfigurationError) -> Bool {
        switch try text("true or false") {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw error("expected true or false, found '\(other)'")
        }
    }

    /// The node as one of `choices`.
    func choice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type) throws(ConfigurationError) -> Choice
    where Choice.RawValue == String {
        let value = try text()
        guard let choice = Choice(rawValue: value) else {
            throw error(
                "'\(value)' is not allowed here; expected one of: "
                    + Choice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return choice
    }

    /// The items of a list; a single scalar counts as a list of one.
    func items() throws(ConfigurationError) -> [YAMLNode] {
        switch node {
        case .sequence(let sequence):
            return sequence.enumerated().map { index, item in
                YAMLNode(node: item, file: file, key: "\(key)[\(index + 1)]")
            }
        case .scalar:
            return [self]
        default:
            throw error("expected a list")
        }
    }
}
