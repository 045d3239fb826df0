import Foundation
import OmnihubCore
import Testing

@Suite("Date-times: always with a zone")
struct DateTimeFormatTests {
    @Test(
        "ISO 8601 in the forms feeds write",
        arguments: [
            ("2026-11-20T09:15:00Z", "2026-11-20T09:15:00Z"),
            ("2026-11-20T10:15:00+01:00", "2026-11-20T09:15:00Z"),
            ("2026-11-20 10:15:00+0100", "2026-11-20T09:15:00Z"),
            ("2009-01-01T10:50:49-08:00", "2009-01-01T18:50:49Z"),
            ("2026-11-20T09:15Z", "2026-11-20T09:15:00Z"),
            ("2026-11-20T09:15:00.250Z", "2026-11-20T09:15:00.250Z"),
            ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
        ])
    func iso8601(text: String, expected: String) throws {
        #expect(try DateTimeFormat.iso8601.parse(text, zone: nil).description == expected)
    }

    @Test("a local time takes the mapping's zone, with daylight saving")
    func localTimeWithZone() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(
            try DateTimeFormat.iso8601.parse("2026-11-20T10:15:00", zone: berlin).description == "2026-11-20T09:15:00Z")
        #expect(
            try DateTimeFormat.iso8601.parse("2026-07-20T10:15:00", zone: berlin).description == "2026-07-20T08:15:00Z")
    }

    @Test("a local time without any zone is an error that says what to add")
    func missingZone() {
        #expect {
            try DateTimeFormat.iso8601.parse("2026-11-20T10:15:00", zone: nil)
        } throws: { error in
            "\(error)".contains("no time zone") && "\(error)".contains("zone: Europe/Berlin")
        }
    }

    @Test("patterns with literals and zones")
    func patterns() throws {
        let german = try DateTimeFormat(pattern: "dd.MM.yyyy HH:mm")
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(try german.parse("20.11.2026 09:15", zone: utc).description == "2026-11-20T09:15:00Z")
        let compact = try DateTimeFormat(pattern: "yyyyMMdd'T'HHmmssXXX")
        #expect(try compact.parse("20261120T091500+01:00", zone: nil).description == "2026-11-20T08:15:00Z")
    }

    @Test(
        "impossible dates and stray text are refused",
        arguments: [
            "2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z",
            "2026-11-20T24:00:00Z", "2026-11-20T10:00:00Z junk", "20.11.2026", "2026-11-20",
        ])
    func refused(text: String) {
        #expect(throws: ConversionFailure.self) { try DateTimeFormat.iso8601.parse(text, zone: nil) }
    }

    @Test("unknown pattern letters are rejected when the mapping loads")
    func unknownLetters() {
        #expect(throws: ConversionFailure.self) { try DateTimeFormat(pattern: "yyyy-MM-dd hh:mm a") }
    }
}
