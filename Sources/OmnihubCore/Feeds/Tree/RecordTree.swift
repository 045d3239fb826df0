/// One XML element or JSON value of a record and everything below it, in one flat array.
///
/// Readers build a tree per record and drop it when the record is mapped, so memory holds one
/// record whatever the size of the feed.
public final class RecordTree: @unchecked Sendable {
    struct Node {
        /// Resolved name: `prefix:local` with the mapping's prefix, a plain name, or a JSON key.
        var name: String
        /// The name without its prefix, for `*:local` steps.
        var localName: String
        /// Scalar value or XML text; `nil` for JSON null and elements with only children.
        var text: String?
        var attributes: [Attribute] = []
        /// The children as a list through the nodes (first, last, next): no array of its own for
        /// each node, which a million-line feed allocated and freed once per element.
        var firstChild = -1
        var lastChild = -1
        var nextSibling = -1
        var childCount = 0
        /// A JSON array: path steps look through it to its items.
        var isArray = false
        var line: Int
    }

    struct Attribute {
        let name: String
        let value: String
    }

    var nodes: [Node] = []

    init() {}

    @discardableResult
    func add(name: String, localName: String, line: Int, parent: Int?) -> Int {
        nodes.append(Node(name: name, localName: localName, text: nil, line: line))
        let index = nodes.count - 1
        if let parent {
            if nodes[parent].lastChild >= 0 {
                nodes[nodes[parent].lastChild].nextSibling = index
            } else {
                nodes[parent].firstChild = index
            }
            nodes[parent].lastChild = index
            nodes[parent].childCount += 1
        }
        return index
    }

    /// The children of `node`, in document order.
    func children(of node: Int) -> Children { Children(tree: self, upcoming: nodes[node].firstChild) }

    /// The children of a node, walked along their sibling links.
    struct Children: Sequence, IteratorProtocol {
        let tree: RecordTree
        var upcoming: Int

        mutating func next() -> Int? {
            guard upcoming >= 0 else { return nil }
            defer { upcoming = tree.nodes[upcoming].nextSibling }
            return upcoming
        }
    }

    /// The nodes `path` leads to from `start`, in document order.
    func nodes(_ path: FieldPath, from start: Int) -> [Int] {
        var frontier = [start]
        for step in path.steps {
            var matches: [Int] = []
            for node in frontier {
                for child in children(of: node) where nameMatches(step.match, child) {
                    if nodes[child].isArray {
                        matches.append(contentsOf: children(of: child))
                    } else {
                        matches.append(child)
                    }
                }
            }
            switch step.predicate {
            case nil:
                frontier = matches
            case .position(let position):
                frontier = position <= matches.count ? [matches[position - 1]] : []
            case .childEquals(let test, let expected):
                frontier = matches.filter { value(test, from: $0) == expected }
            }
            if frontier.isEmpty { return [] }
        }
        return frontier
    }

    /// The text at `path` from `start` (the first match), or the attribute the path ends in.
    func value(_ path: FieldPath, from start: Int) -> String? {
        guard let node = firstNode(path, from: start) else { return nil }
        if let attribute = path.attribute {
            return nodes[node].attributes.first { $0.name == attribute }?.value
        }
        return nodes[node].text
    }

    /// `nodes(path, from: start).first`, found depth first without building a list at each step
    /// (the first match in document order either way) when no step has a predicate, as most
    /// paths do: every field of every record is read this way.
    func firstNode(_ path: FieldPath, from start: Int) -> Int? {
        guard path.steps.allSatisfy({ $0.predicate == nil }) else { return nodes(path, from: start).first }
        return path.steps.withUnsafeBufferPointer { steps in first(steps, 0, from: start) }
    }

    private func first(_ steps: UnsafeBufferPointer<FieldPath.Step>, _ step: Int, from node: Int) -> Int? {
        guard step < steps.count else { return node }
        for child in children(of: node) where nameMatches(steps[step].match, child) {
            if nodes[child].isArray {
                for item in children(of: child) {
                    if let found = first(steps, step + 1, from: item) { return found }
                }
            } else if let found = first(steps, step + 1, from: child) {
                return found
            }
        }
        return nil
    }

    @inline(__always)
    private func nameMatches(_ match: FieldPath.NameMatch, _ node: Int) -> Bool {
        switch match {
        case .exact(let name): return nodes[node].name == name
        case .localName(let local): return nodes[node].localName == local
        case .any: return true
        }
    }
}

/// A record read from an XML or JSON feed, or a nested group inside one (an order line).
public struct TreeRecord: SourceRecord {
    let tree: RecordTree
    let node: Int
    public let position: RecordPosition

    init(tree: RecordTree, node: Int, position: RecordPosition) {
        self.tree = tree
        self.node = node
        self.position = position
    }

    public func value(at path: FieldPath) throws(MappingIssue) -> String? {
        guard let text = tree.value(path, from: node), !text.isEmpty else { return nil }
        return text
    }

    public func values(at path: FieldPath) throws(MappingIssue) -> [String] {
        tree.nodes(path, from: node).compactMap { index in
            let text =
                path.attribute.map { name in tree.nodes[index].attributes.first { $0.name == name }?.value }
                ?? tree.nodes[index].text
            return text?.isEmpty == false ? text : nil
        }
    }

    public func records(at path: FieldPath) -> [any SourceRecord] {
        tree.nodes(path, from: node).map { child in
            TreeRecord(
                tree: tree, node: child, position: RecordPosition(record: position.record, line: tree.nodes[child].line)
            )
        }
    }
}
