import Foundation

/// Numbers, amounts and times as the person reading the page writes them: the first language of
/// the browser's `Accept-Language`, English when it names none. Times are shown in UTC, as the
/// store keeps them, and say so.
struct ConsoleFormat {
    let locale: Locale
    private let numbers: NumberFormatter
    private let amounts: NumberFormatter
    private let dates: DateFormatter
    private let wholeSeconds = ISO8601DateFormatter()
    private let milliseconds = ISO8601DateFormatter()

    init(acceptLanguage: String?) {
        let first = acceptLanguage?.split(separator: ",").first?.split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let tag = first.flatMap { $0.allSatisfy { $0.isLetter || $0 == "-" } && !$0.isEmpty ? $0 : nil } ?? "en-GB"
        locale = Locale(identifier: tag.replacingOccurrences(of: "-", with: "_"))
        numbers = NumberFormatter()
        numbers.locale = locale
        numbers.numberStyle = .decimal
        amounts = NumberFormatter()
        amounts.locale = locale
        amounts.numberStyle = .decimal
        amounts.minimumFractionDigits = 2
        amounts.maximumFractionDigits = 4
        dates = DateFormatter()
        dates.locale = locale
        dates.timeZone = TimeZone(identifier: "UTC")
        dates.dateStyle = .medium
        dates.timeStyle = .short
        milliseconds.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    }

    /// A count, with the locale's grouping.
    func count(_ value: Int) -> String { numbers.string(from: NSNumber(value: value)) ?? String(value) }

    /// A share from 0 to 1 as a percentage with one decimal.
    func percent(_ share: Double) -> String {
        let formatter = NumberFormatter()
        formatter.locale = locale
        formatter.numberStyle = .percent
        formatter.minimumFractionDigits = 1
        formatter.maximumFractionDigits = 1
        return formatter.string(from: NSNumber(value: share)) ?? String(share)
    }

    /// A decimal amount (as the store keeps it, e.g. `1234.5`) with its currency code.
    func amount(_ text: String, _ currency: String) -> String {
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            return "\(text) \(currency)"
        }
        return (amounts.string(from: value as NSDecimalNumber) ?? text) + " " + currency
    }

    /// An ISO 8601 time from the store, e.g. `2026-11-27T08:15:00Z`, as a date and time in UTC.
    func time(_ text: String?) -> String {
        guard let text else { return "–" }
        let parser = ISO8601DateFormatter()
        parser.formatOptions =
            text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        guard let date = parser.date(from: text) else { return text }
        return dates.string(from: date) + " UTC"
    }
}
