import Testing

@testable import OmnihubCore

@Suite("A record's tree: children in order, the first match found depth first")
struct RecordTreeTests {
    /// An order with repeated and nested names, an empty element and a JSON-style array of lines.
    static func tree() -> RecordTree {
        let tree = RecordTree()
        let order = tree.add(name: "order", localName: "order", line: 1, parent: nil)
        for (name, text) in [("id", "A1"), ("note", ""), ("id", "A1-second")] {
            let node = tree.add(name: name, localName: name, line: 2, parent: order)
            tree.nodes[node].text = text
        }
        let customer = tree.add(name: "m:customer", localName: "customer", line: 3, parent: order)
        let empty = tree.add(name: "m:address", localName: "address", line: 4, parent: customer)
        _ = empty
        let address = tree.add(name: "m:address", localName: "address", line: 5, parent: customer)
        let city = tree.add(name: "city", localName: "city", line: 6, parent: address)
        tree.nodes[city].text = "Berlin"
        let lines = tree.add(name: "lines", localName: "lines", line: 7, parent: order)
        tree.nodes[lines].isArray = true
        for number in 1...3 {
            let line = tree.add(name: "lines", localName: "lines", line: 7 + number, parent: lines)
            if number > 1 {
                let sku = tree.add(name: "sku", localName: "sku", line: 7 + number, parent: line)
                tree.nodes[sku].text = "SKU-\(number)"
            }
        }
        return tree
    }

    @Test("children are listed in the order they were added")
    func childrenInOrder() {
        let tree = Self.tree()
        #expect(tree.children(of: 0).map { tree.nodes[$0].name } == ["id", "note", "id", "m:customer", "lines"])
        #expect(tree.nodes[0].childCount == 5)
        #expect(Array(tree.children(of: 1)).isEmpty)
    }

    @Test("the first node of a path is the first of all its matches, from every start, for every path")
    func firstMatchesAll() throws {
        let tree = Self.tree()
        let paths = [
            "id", "note", "m:customer/m:address/city", "*:customer/*:address/city", "*/*/city", "lines/sku",
            "lines", "m:customer/m:address", "missing", "m:customer/missing/city", "*", "*/*", "lines/*",
        ]
        for text in paths {
            let path = try FieldPath(text)
            for start in tree.nodes.indices {
                #expect(
                    tree.firstNode(path, from: start) == tree.nodes(path, from: start).first, "\(text) from \(start)")
            }
        }
        #expect(tree.value(try FieldPath("*/*/city"), from: 0) == "Berlin", "past an address with no city")
        #expect(tree.value(try FieldPath("lines/sku"), from: 0) == "SKU-2", "past a line with no SKU")
    }
}
