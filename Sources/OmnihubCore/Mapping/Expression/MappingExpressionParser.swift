/// Reads expression text into an ``MappingExpression`` by recursive descent, lowest precedence first:
/// `or`, `and`, `not`, comparisons, `&`, `+ -`, `* /`, unary `-`, then values. An expression is
/// at most ``longestText`` characters and nests at most ``deepestNesting`` levels, so neither
/// parsing nor evaluating it can run out of stack.
struct MappingExpressionParser {
    /// The longest expression text a mapping may hold.
    static let longestText = 4_096
    /// The deepest nesting of parentheses, function calls, `not` and unary `-`.
    static let deepestNesting = 64

    private let characters: [Character]
    private let text: String
    private var position = 0
    private var depth = 0

    init(text: String) {
        self.text = text
        self.characters = Array(text)
    }

    mutating func parseAll() throws(ConversionFailure) -> MappingExpression {
        guard characters.count <= Self.longestText else {
            throw ConversionFailure(
                "the expression is \(characters.count) characters long; at most \(Self.longestText) are allowed. "
                    + "Split it with a lookup or several fields")
        }
        let expression = try parseOr()
        skipSpaces()
        guard position == characters.count else { throw failure("unexpected '\(characters[position])'") }
        return expression
    }

    private mutating func parseOr() throws(ConversionFailure) -> MappingExpression {
        var left = try parseAnd()
        while keyword("or") { left = .binary(.or, left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws(ConversionFailure) -> MappingExpression {
        var left = try parseNot()
        while keyword("and") { left = .binary(.and, left, try parseNot()) }
        return left
    }

    /// Goes one level deeper for `body`, refusing past ``deepestNesting``.
    private mutating func nested(
        _ body: (inout MappingExpressionParser) throws(ConversionFailure) -> MappingExpression
    ) throws(ConversionFailure) -> MappingExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.deepestNesting else {
            throw failure("the expression nests more than \(Self.deepestNesting) levels deep")
        }
        return try body(&self)
    }

    private mutating func parseNot() throws(ConversionFailure) -> MappingExpression {
        if keyword("not") { return .not(try nested { (parser) throws(ConversionFailure) in try parser.parseNot() }) }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ConversionFailure) -> MappingExpression {
        let left = try parseJoin()
        for op in ["!=", "<=", ">=", "=", "<", ">"] where symbol(op) {
            return .binary(MappingExpression.BinaryOperator(rawValue: op)!, left, try parseJoin())
        }
        return left
    }

    private mutating func parseJoin() throws(ConversionFailure) -> MappingExpression {
        var left = try parseSum()
        while symbol("&") { left = .binary(.join, left, try parseSum()) }
        return left
    }

    private mutating func parseSum() throws(ConversionFailure) -> MappingExpression {
        var left = try parseProduct()
        while true {
            if symbol("+") {
                left = .binary(.add, left, try parseProduct())
            } else if symbol("-") {
                left = .binary(.subtract, left, try parseProduct())
            } else {
                return left
            }
        }
    }

    private mutating func parseProduct() throws(ConversionFailure) -> MappingExpression {
        var left = try parseUnary()
        while true {
            if symbol("*") {
                left = .binary(.multiply, left, try parseUnary())
            } else if symbol("/") {
                left = .binary(.divide, left, try parseUnary())
            } else {
                return left
            }
        }
    }

    private mutating func parseUnary() throws(ConversionFailure) -> MappingExpression {
        if symbol("-") {
            return .negate(try nested { (parser) throws(ConversionFailure) in try parser.parseUnary() })
        }
        return try parseValue()
    }

    private mutating func parseValue() throws(ConversionFailure) -> MappingExpression {
        skipSpaces()
        guard position < characters.count else { throw failure("the expression ends where a value was expected") }
        let character = characters[position]
        if character == "(" {
            position += 1
            let inner = try nested { (parser) throws(ConversionFailure) in try parser.parseOr() }
            guard symbol(")") else { throw failure("a '(' is not closed") }
            return inner
        }
        if character == "{" {
            let start = position + 1
            guard let close = characters[start...].firstIndex(of: "}") else { throw failure("a '{' is not closed") }
            position = close + 1
            return .path(try FieldPath(String(characters[start..<close])))
        }
        if character == "'" {
            let start = position + 1
            guard let close = characters[start...].firstIndex(of: "'") else { throw failure("a quote is not closed") }
            position = close + 1
            return .literal(.text(String(characters[start..<close])))
        }
        if character.isNumber {
            let start = position
            while position < characters.count, characters[position].isNumber || characters[position] == "." {
                position += 1
            }
            let literal = String(characters[start..<position])
            guard let amount = Amount(parsing: literal) else { throw failure("'\(literal)' is not a number") }
            return .literal(.number(amount))
        }
        if character.isLetter {
            let start = position
            while position < characters.count, characters[position].isLetter || characters[position] == "_" {
                position += 1
            }
            let name = String(characters[start..<position])
            switch name {
            case "null": return .literal(.null)
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            default: break
            }
            guard let function = MappingExpression.Function(rawValue: name) else {
                throw failure(
                    "'\(name)' is not a function; expected one of "
                        + MappingExpression.Function.allCases.map(\.rawValue).joined(separator: ", ")
                        + " (paths go in braces: {\(name)})")
            }
            guard symbol("(") else { throw failure("\(name) needs its arguments in parentheses") }
            var arguments: [MappingExpression] = []
            if !symbol(")") {
                repeat {
                    arguments.append(try nested { (parser) throws(ConversionFailure) in try parser.parseOr() })
                } while symbol(",")
                guard symbol(")") else { throw failure("expected ',' or ')' in the arguments of \(name)") }
            }
            try check(function, arguments.count)
            return .call(function, arguments)
        }
        throw failure("unexpected '\(character)'")
    }

    private func check(_ function: MappingExpression.Function, _ count: Int) throws(ConversionFailure) {
        let expected: ClosedRange<Int> =
            switch function {
            case .coalesce, .concat: 1...64
            case .if, .replace: 3...3
            case .round, .number: 2...2
            case .abs, .upper, .lower, .trim: 1...1
            }
        guard expected.contains(count) else {
            throw failure(
                "\(function.rawValue) takes \(expected.lowerBound == expected.upperBound ? "\(expected.lowerBound)" : "at least \(expected.lowerBound)") argument(s), not \(count)"
            )
        }
    }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    private mutating func symbol(_ text: String) -> Bool {
        skipSpaces()
        let symbol = Array(text)
        guard position + symbol.count <= characters.count,
            Array(characters[position..<position + symbol.count]) == symbol
        else { return false }
        // '<' must not swallow the first character of '<='.
        if symbol.count == 1, position + 1 < characters.count, "<>!".contains(symbol[0]),
            characters[position + 1] == "="
        {
            return false
        }
        position += symbol.count
        return true
    }

    private mutating func keyword(_ word: String) -> Bool {
        skipSpaces()
        let letters = Array(word)
        guard position + letters.count <= characters.count,
            Array(characters[position..<position + letters.count]) == letters,
            position + letters.count == characters.count || !characters[position + letters.count].isLetter
        else { return false }
        position += letters.count
        return true
    }

    private func failure(_ message: String) -> ConversionFailure {
        ConversionFailure("in the expression '\(text)' at character \(position + 1): \(message)")
    }
}
