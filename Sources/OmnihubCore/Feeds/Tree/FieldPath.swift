import Foundation

/// Where a value sits in a record: a CSV column, or a path through an XML or JSON record.
///
/// Tree paths are steps separated by `/`: element or key names (`cac:Item/cbc:Name`,
/// `customer/first_name`), `*:Name` for a name in any namespace, `@attr` for an attribute as the
/// last step, and one predicate a step: `[2]` (the second match, from 1), `[cbc:Name='Color']` or
/// `[@type='billing']` (matches whose child or attribute has that value). A JSON array in a path
/// stands for its items. For CSV the whole text is the column name, or `#N` for column N.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// The path as written in the mapping.
    public let text: String
    /// A small number that stands for `text` in this process, so readers can cache per path.
    let id: Int
    let steps: [Step]
    let attribute: String?

    struct Step: Sendable, Hashable {
        /// `prefix:local`, `*:local` (any namespace), `*` (any name) or a JSON key.
        let name: String
        let predicate: Predicate?
        /// How `name` matches, worked out once.
        let match: NameMatch

        init(name: String, predicate: Predicate?) {
            self.name = name
            self.predicate = predicate
            if name == "*" {
                match = .any
            } else if name.hasPrefix("*:") {
                match = .localName(String(name.dropFirst(2)))
            } else {
                match = .exact(name)
            }
        }
    }

    enum NameMatch: Sendable, Hashable {
        case exact(String)
        case localName(String)
        case any
    }

    enum Predicate: Sendable, Hashable {
        case position(Int)
        case childEquals(FieldPath, String)
    }

    /// Compiles `text`; throws when a bracket or quote is not closed or a step is empty.
    public init(_ text: String) throws(ConversionFailure) {
        self.text = text
        self.id = FieldPathRegistry.shared.id(for: text)
        var parts = try FieldPath.split(text)
        if parts.first == "" { parts.removeFirst() }  // a leading '/' means the record itself
        var attribute: String?
        if let last = parts.last, last.hasPrefix("@") {
            attribute = String(last.dropFirst())
            parts.removeLast()
        }
        var steps: [Step] = []
        for part in parts where part != "." {
            guard !part.isEmpty else { throw ConversionFailure("the path '\(text)' has an empty step ('//')") }
            guard let open = part.firstIndex(of: "[") else {
                steps.append(Step(name: part, predicate: nil))
                continue
            }
            guard part.hasSuffix("]") else {
                throw ConversionFailure("the path '\(text)' has text after a ']' in '\(part)'")
            }
            let name = String(part[..<open])
            let inner = String(part[part.index(after: open)..<part.index(before: part.endIndex)])
            if let position = Int(inner) {
                guard position >= 1 else { throw ConversionFailure("positions in '\(text)' count from 1") }
                steps.append(Step(name: name, predicate: .position(position)))
                continue
            }
            guard let equals = inner.firstIndex(of: "="), inner.hasSuffix("'") || inner.hasSuffix("\"") else {
                throw ConversionFailure(
                    "the predicate [\(inner)] in '\(text)' must be a position like [2] or a test like [cbc:Name='Color']"
                )
            }
            let left = String(inner[..<equals]).trimmingCharacters(in: " ")
            var right = inner[inner.index(after: equals)...].trimmingCharacters(in: " ")
            guard right.count >= 2, right.first == right.last else {
                throw ConversionFailure("the value in [\(inner)] of '\(text)' must be quoted")
            }
            right = String(right.dropFirst().dropLast())
            steps.append(Step(name: name, predicate: .childEquals(try FieldPath(left), right)))
        }
        self.steps = steps
        self.attribute = attribute
    }

    public var description: String { text }

    private static func split(_ text: String) throws(ConversionFailure) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "[" {
                depth += 1
            } else if character == "]" {
                depth -= 1
            } else if character == "/" && depth == 0 {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        guard depth == 0, quote == nil else {
            throw ConversionFailure("the path '\(text)' has a bracket or quote that is not closed")
        }
        parts.append(current)
        return parts
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(self).trimmingCharacters(in: set)
    }
}

/// Gives every distinct path text one small number for the life of the process.
///
/// Its table is only touched with `lock` held (a pthread mutex, which ThreadSanitizer sees,
/// where it does not see through the standard library's `Mutex`).
final class FieldPathRegistry: @unchecked Sendable {
    static let shared = FieldPathRegistry()
    private let lock = NSLock()
    private var ids: [String: Int] = [:]

    func id(for text: String) -> Int {
        lock.withLock {
            if let id = ids[text] { return id }
            let id = ids.count
            ids[text] = id
            return id
        }
    }
}
