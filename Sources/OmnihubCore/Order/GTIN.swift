/// Global Trade Item Numbers (EAN-8, UPC-A, EAN-13, GTIN-14).
public enum GTIN {
    /// Whether `code` has 8, 12, 13 or 14 digits and a correct GS1 check digit.
    public static func isValid(_ code: String) -> Bool {
        let digits = code.utf8.map { Int($0) - 48 }
        guard [8, 12, 13, 14].contains(digits.count), digits.allSatisfy({ (0...9).contains($0) }) else {
            return false
        }
        var sum = 0
        for (position, digit) in digits.dropLast().reversed().enumerated() {
            sum += position % 2 == 0 ? digit * 3 : digit
        }
        return (10 - sum % 10) % 10 == digits.last
    }
}
