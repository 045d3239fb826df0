/// A small pure expression in a mapping: arithmetic on exact decimals, text, comparisons and a
/// few functions, over the values of the record being mapped.
///
/// Syntax: paths in braces (`{item-price}`, `{cac:Price/cbc:PriceAmount}`), numbers (`19.99`),
/// text in single quotes (`'EUR'`), `null`, `true`, `false`; `+ - * /` on numbers, `&` joins text,
/// `= != < <= > >=` compare (numerically when both sides are numbers), `and or not`, parentheses,
/// and the functions `coalesce(a, b, …)`, `concat(a, b, …)`, `if(condition, then, else)`,
/// `round(x, digits)`, `abs(x)`, `upper(x)`, `lower(x)`, `trim(x)`, `replace(x, find, with)`,
/// `number(x, ',')` (reads a decimal comma). An empty field is `null`; arithmetic with `null` is
/// `null`, so `coalesce` can pick a fallback.
public indirect enum MappingExpression: Sendable, Hashable {
    case literal(ExpressionValue)
    case path(FieldPath)
    case negate(MappingExpression)
    case not(MappingExpression)
    case binary(BinaryOperator, MappingExpression, MappingExpression)
    case call(Function, [MappingExpression])

    /// The binary operators, by the text that spells them.
    public enum BinaryOperator: String, Sendable, Hashable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", join = "&"
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case and, or
    }

    /// The functions, by name.
    public enum Function: String, Sendable, Hashable, CaseIterable {
        case coalesce, concat, `if`, round, abs, upper, lower, trim, replace, number
    }

    /// Compiles expression text; throws a ``ConversionFailure`` pointing at the character it stopped at.
    public init(parsing text: String) throws(ConversionFailure) {
        var parser = MappingExpressionParser(text: text)
        self = try parser.parseAll()
    }

    /// Evaluates the expression over `record`.
    public func evaluate(_ record: any SourceRecord) throws(ConversionFailure) -> ExpressionValue {
        switch self {
        case .literal(let value):
            return value
        case .path(let path):
            do {
                return try record.value(at: path).map(ExpressionValue.text) ?? .null
            } catch {
                throw ConversionFailure(error.message)
            }
        case .negate(let operand):
            guard let number = try operand.evaluate(record).number("-") else { return .null }
            return .number(Amount(units: -number.units, scale: number.scale))
        case .not(let operand):
            return .bool(!(try operand.evaluate(record).isTrue))
        case .binary(let op, let left, let right):
            return try MappingExpression.apply(
                op, try left.evaluate(record),
                { () throws(ConversionFailure) in
                    try right.evaluate(record)
                })
        case .call(let function, let arguments):
            return try MappingExpression.call(function, arguments, record)
        }
    }

    /// Every path the expression reads.
    public var paths: [FieldPath] {
        switch self {
        case .literal: []
        case .path(let path): [path]
        case .negate(let operand), .not(let operand): operand.paths
        case .binary(_, let left, let right): left.paths + right.paths
        case .call(_, let arguments): arguments.flatMap(\.paths)
        }
    }

    private static func apply(
        _ op: BinaryOperator, _ left: ExpressionValue, _ right: () throws(ConversionFailure) -> ExpressionValue
    ) throws(ConversionFailure) -> ExpressionValue {
        switch op {
        case .and:
            guard left.isTrue else { return .bool(false) }
            return .bool(try right().isTrue)
        case .or:
            if left.isTrue { return .bool(true) }
            return .bool(try right().isTrue)
        case .join:
            let rightValue = try right()
            return .text((left.text ?? "") + (rightValue.text ?? ""))
        case .add, .subtract, .multiply, .divide:
            let rightValue = try right()
            guard let a = try left.number("'\(op.rawValue)'"), let b = try rightValue.number("'\(op.rawValue)'") else {
                return .null
            }
            do {
                switch op {
                case .add: return .number(try a.adding(b))
                case .subtract: return .number(try a.subtracting(b))
                case .multiply: return .number(try a.multiplied(by: b))
                default: return .number(try a.dividedExactly(by: b))
                }
            } catch {
                throw ConversionFailure(error.description)
            }
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            let rightValue = try right()
            let order = compare(left, rightValue)
            switch op {
            case .equal: return .bool(order == 0)
            case .notEqual: return .bool(order != 0)
            case .less: return .bool(order.map { $0 < 0 } ?? false)
            case .lessOrEqual: return .bool(order.map { $0 <= 0 } ?? false)
            case .greater: return .bool(order.map { $0 > 0 } ?? false)
            default: return .bool(order.map { $0 >= 0 } ?? false)
            }
        }
    }

    /// -1, 0, 1; numerically when both sides read as numbers; `nil` when only one side is null.
    private static func compare(_ left: ExpressionValue, _ right: ExpressionValue) -> Int? {
        if left == .null || right == .null { return left == right ? 0 : nil }
        if let a = try? left.number(""), let b = try? right.number("") {
            return a < b ? -1 : (a == b ? 0 : 1)
        }
        let a = left.text ?? ""
        let b = right.text ?? ""
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    private static func call(_ function: Function, _ arguments: [MappingExpression], _ record: any SourceRecord)
        throws(ConversionFailure) -> ExpressionValue
    {
        func argument(_ index: Int) throws(ConversionFailure) -> ExpressionValue {
            try arguments[index].evaluate(record)
        }
        switch function {
        case .coalesce:
            for index in arguments.indices {
                let value = try argument(index)
                if value != .null, value.text?.isEmpty == false { return value }
            }
            return .null
        case .concat:
            var text = ""
            for index in arguments.indices { text += try argument(index).text ?? "" }
            return .text(text)
        case .if:
            return try argument(0).isTrue ? argument(1) : argument(2)
        case .round:
            guard let value = try argument(0).number("round"), let digits = try argument(1).number("round") else {
                return .null
            }
            let places = digits.normalized
            guard places.scale == 0, (0...Int64(Amount.maximumScale)).contains(places.units) else {
                throw ConversionFailure("round: \(digits) digits; give a whole number from 0 to \(Amount.maximumScale)")
            }
            do {
                return .number(try value.rescaled(to: Int(places.units)))
            } catch {
                throw ConversionFailure("round: \(error)")
            }
        case .abs:
            guard let value = try argument(0).number("abs") else { return .null }
            return .number(Amount(units: Swift.abs(value.units), scale: value.scale))
        case .upper:
            return try argument(0).text.map { .text($0.uppercased()) } ?? .null
        case .lower:
            return try argument(0).text.map { .text($0.lowercased()) } ?? .null
        case .trim:
            return try argument(0).text.map { .text(String($0.trimmingSpaces)) } ?? .null
        case .replace:
            guard let text = try argument(0).text else { return .null }
            let find = try argument(1).text ?? ""
            let replacement = try argument(2).text ?? ""
            return .text(find.isEmpty ? text : text.replacing(find, with: replacement))
        case .number:
            guard let text = try argument(0).text else { return .null }
            let separator = try argument(1).text?.first ?? "."
            guard let amount = Amount(parsing: text.trimmingSpaces, decimalSeparator: separator) else {
                throw ConversionFailure("'\(text)' is not a number with decimal separator '\(separator)'")
            }
            return .number(amount)
        }
    }
}
