public import Foundation

/// A pattern that reads a feed's date-time text, such as `dd.MM.yyyy HH:mm` or `iso8601`.
///
/// Pattern letters follow the Unicode date-field symbols feeds are documented with: `yyyy` year,
/// `MM` month, `dd` day, `HH` hour, `mm` minute, `ss` second, `SSS` fraction of a second (any
/// number of digits), `XXX` a zone as `Z` or `+01:00`, `xx` a zone as `+0100`, `X` either.
/// Other letters must be quoted (`'T'`); every other character is matched literally. The name
/// `iso8601` accepts `2026-11-20T09:15:00Z`, `2026-11-20 09:15:00+01:00`, with or without
/// seconds and fractions, or without a zone when the mapping names one.
public struct DateTimeFormat: Sendable, Hashable, CustomStringConvertible {
    enum Token: Sendable, Hashable {
        case year, month, day, hour, minute, second, fraction, zone, literal(Character)
    }

    /// The pattern as written in the mapping.
    public let pattern: String
    let tokens: [Token]?

    /// The flexible ISO 8601 reader.
    public static let iso8601 = DateTimeFormat(checkedPattern: "iso8601", tokens: nil)

    private init(checkedPattern: String, tokens: [Token]?) {
        self.pattern = checkedPattern
        self.tokens = tokens
    }

    /// Compiles a pattern; throws a ``ConversionFailure`` naming the letter it does not know.
    public init(pattern: String) throws(ConversionFailure) {
        if pattern == "iso8601" {
            self = .iso8601
            return
        }
        var tokens: [Token] = []
        var characters = Array(pattern)[...]
        while let first = characters.first {
            if first == "'" {
                characters = characters.dropFirst()
                while let next = characters.first, next != "'" {
                    tokens.append(.literal(next))
                    characters = characters.dropFirst()
                }
                guard characters.first == "'" else {
                    throw ConversionFailure("the date pattern '\(pattern)' has an unclosed quote")
                }
                characters = characters.dropFirst()
                continue
            }
            let run = characters.prefix { $0 == first }
            characters = characters.dropFirst(run.count)
            switch (first, run.count) {
            case ("y", 4): tokens.append(.year)
            case ("M", 2): tokens.append(.month)
            case ("d", 2): tokens.append(.day)
            case ("H", 2): tokens.append(.hour)
            case ("m", 2): tokens.append(.minute)
            case ("s", 2): tokens.append(.second)
            case ("S", _): tokens.append(.fraction)
            case ("X", _), ("x", _), ("Z", _): tokens.append(.zone)
            case (let letter, _) where letter.isLetter:
                throw ConversionFailure(
                    "the date pattern '\(pattern)' has '\(String(run))', which is not one of "
                        + "yyyy MM dd HH mm ss SSS XXX xx; quote literal letters like 'T'")
            default:
                tokens.append(contentsOf: run.map(Token.literal))
            }
        }
        self.pattern = pattern
        self.tokens = tokens
    }

    public var description: String { pattern }

    /// The years a feed's date may fall in: a placeholder such as 0001-01-01 or 9999-12-31 is a
    /// missing value in disguise, not a date to source or invoice by.
    public static let plausibleYears = 1970...2199

    /// Reads `text`; the zone comes from the text or else from `zone`, and a time without either
    /// is an error, never guessed. A year outside ``plausibleYears`` is an error.
    public func parse(_ text: String, zone: TimeZone?) throws(ConversionFailure) -> Timestamp {
        var copy = text
        let result = copy.withUTF8 { bytes in
            Result { () throws(ConversionFailure) in try parse(bytes, text: text, zone: zone) }
        }
        return try result.get()
    }

    private func parse(_ bytes: UnsafeBufferPointer<UInt8>, text: String, zone: TimeZone?) throws(ConversionFailure)
        -> Timestamp
    {
        var scanner = DigitScanner(text: bytes)
        var fields = Fields()
        if let tokens {
            for token in tokens {
                try read(token, from: &scanner, into: &fields, text: text)
            }
        } else {
            try readISO8601(from: &scanner, into: &fields, text: text)
        }
        guard scanner.isAtEnd else {
            throw ConversionFailure("'\(text)' has extra text after the date; expected the format \(pattern)")
        }
        guard (1...12).contains(fields.month),
            (1...Timestamp.daysInMonth(year: fields.year, month: fields.month)).contains(fields.day),
            fields.hour < 24, fields.minute < 60, fields.second < 60
        else {
            throw ConversionFailure("'\(text)' is not a real date and time")
        }
        guard DateTimeFormat.plausibleYears.contains(fields.year) else {
            throw ConversionFailure(
                "'\(text)' is in the year \(fields.year); omnihub takes dates from \(DateTimeFormat.plausibleYears.lowerBound) "
                    + "to \(DateTimeFormat.plausibleYears.upperBound). Check the feed's date column and format")
        }
        let offset: Int
        if let explicit = fields.offsetSeconds {
            offset = explicit
        } else if let zone {
            let local = Timestamp(
                year: fields.year, month: fields.month, day: fields.day, hour: fields.hour,
                minute: fields.minute, second: fields.second, offsetSeconds: 0)
            let guess = Date(timeIntervalSince1970: Double(local.millisecondsSince1970 / 1000))
            let first = zone.secondsFromGMT(for: guess)
            offset = zone.secondsFromGMT(for: guess.addingTimeInterval(Double(-first)))
        } else {
            throw ConversionFailure(
                "'\(text)' has no time zone; add an offset to the feed or name a zone in the mapping "
                    + "(zone: Europe/Berlin)")
        }
        return Timestamp(
            year: fields.year, month: fields.month, day: fields.day, hour: fields.hour, minute: fields.minute,
            second: fields.second, millisecond: fields.millisecond, offsetSeconds: offset)
    }

    private struct Fields {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0
        var offsetSeconds: Int?
    }

    private func read(_ token: Token, from scanner: inout DigitScanner, into fields: inout Fields, text: String)
        throws(ConversionFailure)
    {
        func number(_ width: Int, _ what: String) throws(ConversionFailure) -> Int {
            guard let value = scanner.digits(exactly: width) else {
                throw ConversionFailure("'\(text)' has no \(what) where the format \(pattern) expects one")
            }
            return value
        }
        switch token {
        case .year: fields.year = try number(4, "year")
        case .month: fields.month = try number(2, "month")
        case .day: fields.day = try number(2, "day")
        case .hour: fields.hour = try number(2, "hour")
        case .minute: fields.minute = try number(2, "minute")
        case .second: fields.second = try number(2, "second")
        case .fraction:
            guard let milliseconds = scanner.fractionAsMilliseconds() else {
                throw ConversionFailure("'\(text)' has no fraction of a second where \(pattern) expects one")
            }
            fields.millisecond = milliseconds
        case .zone:
            guard let offset = scanner.zoneOffset() else {
                throw ConversionFailure("'\(text)' has no zone (Z or +01:00) where \(pattern) expects one")
            }
            fields.offsetSeconds = offset
        case .literal(let character):
            guard scanner.skip(character) else {
                throw ConversionFailure("'\(text)' does not match the format \(pattern) (expected '\(character)')")
            }
        }
    }

    private func readISO8601(from scanner: inout DigitScanner, into fields: inout Fields, text: String)
        throws(ConversionFailure)
    {
        // Made only when thrown: building the message on every call made a string for every timestamp read.
        func fail() -> ConversionFailure {
            ConversionFailure("'\(text)' is not an ISO 8601 date-time such as 2026-11-20T09:15:00Z")
        }
        guard let year = scanner.digits(exactly: 4), scanner.skip("-"), let month = scanner.digits(exactly: 2),
            scanner.skip("-"), let day = scanner.digits(exactly: 2)
        else { throw fail() }
        (fields.year, fields.month, fields.day) = (year, month, day)
        if scanner.isAtEnd {
            throw ConversionFailure("'\(text)' is a date without a time; use a format such as yyyy-MM-dd")
        }
        guard scanner.skip("T") || scanner.skip(" "), let hour = scanner.digits(exactly: 2), scanner.skip(":"),
            let minute = scanner.digits(exactly: 2)
        else { throw fail() }
        (fields.hour, fields.minute) = (hour, minute)
        if scanner.skip(":") {
            guard let second = scanner.digits(exactly: 2) else { throw fail() }
            fields.second = second
            if scanner.skip(".") || scanner.skip(",") {
                guard let milliseconds = scanner.fractionAsMilliseconds() else { throw fail() }
                fields.millisecond = milliseconds
            }
        }
        if !scanner.isAtEnd {
            guard let offset = scanner.zoneOffset() else { throw fail() }
            fields.offsetSeconds = offset
        }
    }
}

/// Walks the bytes of a date-time text.
private struct DigitScanner {
    let text: UnsafeBufferPointer<UInt8>
    var position = 0

    var isAtEnd: Bool { position == text.count }

    mutating func digits(exactly width: Int) -> Int? {
        guard position + width <= text.count else { return nil }
        var value = 0
        for byte in text[position..<position + width] {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        position += width
        return value
    }

    mutating func fractionAsMilliseconds() -> Int? {
        var value = 0
        var count = 0
        while position < text.count, text[position] >= 48 && text[position] <= 57 {
            if count < 3 { value = value * 10 + Int(text[position] - 48) }
            count += 1
            position += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) { value *= 10 }
        return value
    }

    mutating func skip(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, position < text.count, text[position] == ascii else { return false }
        position += 1
        return true
    }

    mutating func zoneOffset() -> Int? {
        if skip("Z") { return 0 }
        guard position < text.count, text[position] == 43 || text[position] == 45 else { return nil }
        let sign = text[position] == 45 ? -1 : 1
        position += 1
        guard let hours = digits(exactly: 2), hours <= 18 else { return nil }
        var minutes = 0
        if skip(":") {
            guard let value = digits(exactly: 2) else { return nil }
            minutes = value
        } else if let value = digits(exactly: 2) {
            minutes = value
        }
        guard minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }
}
