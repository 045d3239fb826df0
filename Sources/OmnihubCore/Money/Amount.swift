/// An exact decimal number: a whole number of units at a fixed number of decimal places.
///
/// omnihub never keeps money, tax rates or quantities with fractions in binary floating point.
/// `Amount(parsing: "19.99")` holds 1999 units at scale 2 and prints back as `"19.99"`; the scale a
/// feed wrote is kept (`"4.00"` stays `"4.00"`) so that documents round-trip byte for byte.
public struct Amount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value times 10 to the power of `scale`.
    public let units: Int64
    /// Digits after the decimal point, 0 to ``Amount/maximumScale``.
    public let scale: Int

    /// The largest scale an amount may carry.
    public static let maximumScale = 12
    /// The most significant digits an amount may carry; more would overflow 64 bits.
    public static let maximumDigits = 18

    /// Zero at scale 0.
    public static let zero = Amount(units: 0, scale: 0)

    /// An amount of `units` at `scale` decimal places: `Amount(units: 1999, scale: 2)` is 19.99.
    public init(units: Int64, scale: Int) {
        precondition(scale >= 0 && scale <= Amount.maximumScale, "scale \(scale) is out of range")
        self.units = units
        self.scale = scale
    }

    /// A whole number.
    public init(_ integer: Int) {
        self.init(units: Int64(integer), scale: 0)
    }

    /// Parses a plain decimal: optional sign, digits, optional separator and digits.
    ///
    /// Rejects exponents, thousands separators, blanks and anything that is not a number, so
    /// `"12abc"` is an error and never silently `12`. Returns `nil` when the text is not a decimal
    /// or has more than ``Amount/maximumDigits`` digits.
    public init?<Text: StringProtocol>(parsing text: Text, decimalSeparator: Character = ".") {
        guard let separator = decimalSeparator.asciiValue else { return nil }
        var units: Int64 = 0
        var scale = 0
        var digits = 0
        var negative = false
        var seenSeparator = false
        var seenDigit = false
        var first = true
        for byte in text.utf8 {
            defer { first = false }
            if byte >= 48 && byte <= 57 {
                digits &+= 1
                if digits > Amount.maximumDigits { return nil }
                units = units &* 10 &+ Int64(byte &- 48)
                if seenSeparator { scale &+= 1 }
                seenDigit = true
            } else if byte == separator && !seenSeparator {
                seenSeparator = true
            } else if first && (byte == 45 || byte == 43) {
                negative = byte == 45
            } else {
                return nil
            }
        }
        guard seenDigit, scale <= Amount.maximumScale else { return nil }
        self.init(units: negative ? -units : units, scale: scale)
    }

    /// The amount as a plain decimal with exactly `scale` digits after the point, e.g. `"-4.50"`.
    public var description: String {
        var magnitude = units.magnitude
        let digitCount = Swift.max(Amount.decimalDigits(magnitude), scale + 1)
        let length = digitCount + (scale > 0 ? 1 : 0) + (units < 0 ? 1 : 0)
        return String(unsafeUninitializedCapacity: length) { buffer in
            var position = length
            var written = 0
            while position > 0 {
                if scale > 0 && written == scale {
                    position -= 1
                    buffer[position] = UInt8(ascii: ".")
                    written += 1
                    continue
                }
                if units < 0 && position == 1 {
                    position -= 1
                    buffer[position] = UInt8(ascii: "-")
                    continue
                }
                position -= 1
                buffer[position] = UInt8(truncatingIfNeeded: 48 &+ magnitude % 10)
                magnitude /= 10
                written += 1
            }
            return length
        }
    }

    private static func decimalDigits(_ value: UInt64) -> Int {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        return count
    }

    /// Whether the amount is below zero.
    public var isNegative: Bool { units < 0 }

    /// Whether the amount is zero, at any scale.
    public var isZero: Bool { units == 0 }

    /// The same value at a larger scale: `4.5` at scale 2 is `4.50`.
    ///
    /// - Precondition: `newScale >= scale`; to reduce the scale, use ``rounded(toScale:rule:)``. Traps
    ///   when the value does not fit at the new scale; for feed values use ``rescaled(to:rule:)``.
    public func extended(toScale newScale: Int) -> Amount {
        precondition(newScale >= scale, "use rounded(toScale:) to reduce the scale")
        return Amount(units: units * Amount.powerOfTen(newScale - scale), scale: newScale)
    }

    /// The value rounded to `newScale` digits with `rule`; a larger scale only pads with zeros.
    public func rounded(toScale newScale: Int, rule: RoundingRule = .halfUp) -> Amount {
        if newScale >= scale { return extended(toScale: newScale) }
        let divisor = Amount.powerOfTen(scale - newScale)
        return Amount(units: Int64(Amount.divide(Int128(units), by: Int128(divisor), rule: rule)), scale: newScale)
    }

    /// The value divided by a whole number, rounded to `resultScale` digits with `rule`.
    public func divided(by divisor: Int, toScale resultScale: Int, rule: RoundingRule = .halfUp) -> Amount {
        precondition(divisor != 0, "division by zero")
        let widened = resultScale >= scale ? extended(toScale: resultScale) : self
        let exact = Amount(
            units: Int64(Amount.divide(Int128(widened.units), by: Int128(divisor), rule: rule)), scale: widened.scale)
        return exact.rounded(toScale: resultScale, rule: rule)
    }

    /// Whether dividing by `divisor` leaves no remainder at this amount's scale.
    public func isDivisible(by divisor: Int) -> Bool {
        divisor != 0 && units % Int64(divisor) == 0
    }

    /// The product with a whole number, at the same scale; traps on overflow (for feed values use
    /// ``multiplied(by:)-(Int)``).
    public static func * (amount: Amount, factor: Int) -> Amount {
        Amount(units: amount.units * Int64(factor), scale: amount.scale)
    }

    /// The exact product of two amounts; the scales add up. Traps past 18 digits or 12 decimals (for
    /// feed values use ``multiplied(by:)-(Amount)``).
    public static func * (left: Amount, right: Amount) -> Amount {
        Amount(units: left.units * right.units, scale: left.scale + right.scale)
    }

    /// The exact sum, at the larger of the two scales; traps on overflow (for feed values use ``adding(_:)``).
    public static func + (left: Amount, right: Amount) -> Amount {
        let scale = max(left.scale, right.scale)
        return Amount(units: left.extended(toScale: scale).units + right.extended(toScale: scale).units, scale: scale)
    }

    /// The exact difference, at the larger of the two scales.
    public static func - (left: Amount, right: Amount) -> Amount {
        left + Amount(units: -right.units, scale: right.scale)
    }

    /// Equal values are equal whatever their scale: `4.5 == 4.50`; never overflows.
    public static func == (left: Amount, right: Amount) -> Bool {
        let scale = max(left.scale, right.scale)
        return left.wideUnits(atScale: scale) == right.wideUnits(atScale: scale)
    }

    public func hash(into hasher: inout Hasher) {
        let value = normalized
        hasher.combine(value.units)
        hasher.combine(value.scale)
    }

    /// Compares values whatever their scales; never overflows (the comparison is made in 128 bits).
    public static func < (left: Amount, right: Amount) -> Bool {
        let scale = max(left.scale, right.scale)
        return left.wideUnits(atScale: scale) < right.wideUnits(atScale: scale)
    }

    static func powerOfTen(_ exponent: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}

extension Amount: Codable {
    /// Amounts travel as decimal strings in JSON so that no reader turns them into floats.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let amount = Amount(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a decimal number such as 19.99")
        }
        self = amount
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// How a value that falls between two representable amounts is rounded.
public enum RoundingRule: String, Sendable, Codable, CaseIterable {
    /// Halves away from zero (commercial rounding): 0.125 → 0.13.
    case halfUp = "half_up"
    /// Halves to the even neighbour (banker's rounding): 0.125 → 0.12.
    case halfEven = "half_even"
    /// Towards zero: 0.129 → 0.12.
    case down
}
