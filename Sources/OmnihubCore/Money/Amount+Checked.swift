/// Arithmetic on amounts that reports a result omnihub cannot keep exactly instead of stopping the
/// process.
///
/// The operators `+`, `-` and `*` trap on overflow, as Swift's integers do; they are for values
/// whose bounds are known (an order that passed validation, a settlement in minor units). Every
/// computation on values that come from a partner's feed goes through these checked forms: a feed
/// can hold 18-digit numbers and scales up to 12, whose sums, products and rescalings do not fit.
extension Amount {
    /// The exact sum, at the larger of the two scales.
    ///
    /// - Throws: ``AmountOutOfRange`` when the sum has more than ``Amount/maximumDigits`` digits.
    public func adding(_ other: Amount) throws(AmountOutOfRange) -> Amount {
        let scale = Swift.max(self.scale, other.scale)
        let sum = wideUnits(atScale: scale) + other.wideUnits(atScale: scale)
        guard let result = Amount(exactly: sum, scale: scale) else {
            throw AmountOutOfRange(operation: "\(self) + \(other)")
        }
        return result
    }

    /// The exact difference, at the larger of the two scales.
    ///
    /// - Throws: ``AmountOutOfRange`` when the difference has more than ``Amount/maximumDigits`` digits.
    public func subtracting(_ other: Amount) throws(AmountOutOfRange) -> Amount {
        let scale = Swift.max(self.scale, other.scale)
        let difference = wideUnits(atScale: scale) - other.wideUnits(atScale: scale)
        guard let result = Amount(exactly: difference, scale: scale) else {
            throw AmountOutOfRange(operation: "\(self) - \(other)")
        }
        return result
    }

    /// The product with a whole number, at the same scale.
    ///
    /// - Throws: ``AmountOutOfRange`` when the product has more than ``Amount/maximumDigits`` digits.
    public func multiplied(by factor: Int) throws(AmountOutOfRange) -> Amount {
        guard let result = Amount(exactly: Int128(units) * Int128(factor), scale: scale) else {
            throw AmountOutOfRange(operation: "\(self) × \(factor)")
        }
        return result
    }

    /// The product of two amounts without trailing zeros; where the scales add up past
    /// ``Amount/maximumScale`` the product is rounded half up to that many decimals.
    ///
    /// - Throws: ``AmountOutOfRange`` when the product has more than ``Amount/maximumDigits`` digits.
    public func multiplied(by other: Amount) throws(AmountOutOfRange) -> Amount {
        var product = Int128(units) * Int128(other.units)
        var scale = self.scale + other.scale
        while scale > 0 && product % 10 == 0 {
            product /= 10
            scale -= 1
        }
        if scale > Amount.maximumScale {
            product = Amount.divide(product, by: Amount.widePowerOfTen(scale - Amount.maximumScale), rule: .halfUp)
            scale = Amount.maximumScale
        }
        guard let result = Amount(exactly: product, scale: scale) else {
            throw AmountOutOfRange(operation: "\(self) × \(other)")
        }
        return result
    }

    /// The value at `newScale` decimals: padded with zeros when the scale grows, rounded with
    /// `rule` when it shrinks.
    ///
    /// - Throws: ``AmountOutOfRange`` when `newScale` is outside 0 to ``Amount/maximumScale`` or the
    ///   value has too many digits at that scale.
    public func rescaled(to newScale: Int, rule: RoundingRule = .halfUp) throws(AmountOutOfRange) -> Amount {
        guard newScale >= 0 && newScale <= Amount.maximumScale else {
            throw AmountOutOfRange(
                operation: "\(self) to \(newScale) decimals",
                reason: "a scale is 0 to \(Amount.maximumScale) decimals")
        }
        let wide: Int128 =
            newScale >= scale
            ? wideUnits(atScale: newScale)
            : Amount.divide(Int128(units), by: Amount.widePowerOfTen(scale - newScale), rule: rule)
        guard let result = Amount(exactly: wide, scale: newScale) else {
            throw AmountOutOfRange(operation: "\(self) to \(newScale) decimals")
        }
        return result
    }

    /// The quotient, exact when it terminates within 8 more digits than the operands carry (at most
    /// ``Amount/maximumScale``), else rounded half up there; without trailing zeros.
    ///
    /// - Throws: ``AmountOutOfRange`` for a zero divisor or a quotient with too many digits.
    public func dividedExactly(by divisor: Amount) throws(AmountOutOfRange) -> Amount {
        guard !divisor.isZero else {
            throw AmountOutOfRange(operation: "\(self) / \(divisor)", reason: "division by zero")
        }
        // (units / 10^scale) / (d / 10^dScale) at targetScale = units · 10^(target + dScale - scale) / d
        let targetScale = Swift.min(Amount.maximumScale, Swift.max(scale, divisor.scale) + 8)
        let shift = targetScale + divisor.scale - scale
        // Up to 18 digits shifted by up to 24 places can pass even 128 bits; a divisor has fewer
        // than 18 digits, so such a quotient has too many digits anyway.
        let (numerator, overflow) = Int128(units).multipliedReportingOverflow(by: Amount.widePowerOfTen(shift))
        guard !overflow,
            let result = Amount(
                exactly: Amount.divide(numerator, by: Int128(divisor.units), rule: .halfUp), scale: targetScale)
        else {
            throw AmountOutOfRange(operation: "\(self) / \(divisor)")
        }
        return result.normalized
    }

    /// Whether the value, without its sign, is larger than `limit`; never overflows.
    public func magnitudeExceeds(_ limit: Amount) -> Bool {
        let scale = Swift.max(self.scale, limit.scale)
        return wideUnits(atScale: scale).magnitude > limit.wideUnits(atScale: scale).magnitude
    }

    /// The same value without trailing zeros after the point.
    public var normalized: Amount {
        var units = self.units
        var scale = self.scale
        while scale > 0 && units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        return Amount(units: units, scale: scale)
    }

    /// The amount of `units` at `scale`, or `nil` when it has more than ``Amount/maximumDigits`` digits.
    init?(exactly units: Int128, scale: Int) {
        guard units.magnitude < Amount.digitLimit, scale >= 0, scale <= Amount.maximumScale else { return nil }
        self.init(units: Int64(units), scale: scale)
    }

    /// The units at a scale at least as large as this amount's, in 128 bits so no scale overflows.
    func wideUnits(atScale newScale: Int) -> Int128 {
        Int128(units) * Amount.widePowerOfTen(newScale - scale)
    }

    /// 10^18: the first number with more digits than an amount may carry.
    private static let digitLimit = UInt128(1_000_000_000_000_000_000)

    static func widePowerOfTen(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<Swift.max(exponent, 0) { result *= 10 }
        return result
    }

    static func divide(_ dividend: Int128, by divisor: Int128, rule: RoundingRule) -> Int128 {
        let quotient = dividend / divisor
        let remainder = dividend % divisor
        if remainder == 0 { return quotient }
        let awayFromZero: Int128 = (dividend < 0) != (divisor < 0) ? -1 : 1
        let twiceRemainder = remainder.magnitude * 2
        switch rule {
        case .down:
            return quotient
        case .halfUp:
            return twiceRemainder >= divisor.magnitude ? quotient + awayFromZero : quotient
        case .halfEven:
            if twiceRemainder > divisor.magnitude { return quotient + awayFromZero }
            if twiceRemainder < divisor.magnitude { return quotient }
            return quotient % 2 == 0 ? quotient : quotient + awayFromZero
        }
    }
}

/// A computation whose exact result omnihub cannot keep: more than 18 significant digits, a scale
/// beyond 12 decimals, or a division by zero.
public struct AmountOutOfRange: Error, Sendable, Hashable, CustomStringConvertible {
    /// The computation, with its operands: `999999999999999999 + 1`.
    public let operation: String
    /// Why it has no result.
    public let reason: String

    /// A computation that has no exact result, and why.
    public init(
        operation: String,
        reason: String = "the result has more than \(Amount.maximumDigits) digits, more than omnihub keeps exactly"
    ) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "\(operation): \(reason)" }
}
