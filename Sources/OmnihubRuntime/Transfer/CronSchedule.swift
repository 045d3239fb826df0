import Glibc
package import OmnihubCore

/// A cron expression of five fields, in UTC: minute (0–59), hour (0–23), day of month (1–31),
/// month (1–12) and day of week (0–7, 0 and 7 Sunday). Each field is `*`, a number, a range
/// `a-b`, a list `a,b,c`, or any of these with a step `/n` (`*/15`, `8-18/2`). As in cron, when
/// both the day of month and the day of week are restricted, a day matching either is due.
package struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    package let description: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool

    /// Why an expression is not one; the message names the field and the text.
    package struct Mistake: Error, Sendable, CustomStringConvertible {
        package let description: String
    }

    package init(parsing text: String) throws(Mistake) {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else {
            throw Mistake(
                description: "'\(text)' has \(fields.count) fields; cron has five: minute hour day month weekday")
        }
        description = fields.joined(separator: " ")
        minutes = try CronSchedule.values(fields[0], "minute", 0...59)
        hours = try CronSchedule.values(fields[1], "hour", 0...23)
        days = try CronSchedule.values(fields[2], "day of month", 1...31)
        months = try CronSchedule.values(fields[3], "month", 1...12)
        weekdays = Set(try CronSchedule.values(fields[4], "day of week", 0...7).map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
    }

    private static func values(_ field: String, _ name: String, _ range: ClosedRange<Int>) throws(Mistake) -> Set<Int> {
        var result: Set<Int> = []
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let stepped = part.split(separator: "/", omittingEmptySubsequences: false)
            guard stepped.count <= 2, let base = stepped.first, !base.isEmpty else {
                throw Mistake(description: "the \(name) field '\(field)' is not a cron field")
            }
            var step = 1
            if stepped.count == 2 {
                guard let parsed = Int(stepped[1]), parsed > 0 else {
                    throw Mistake(description: "the step in the \(name) field '\(field)' must be a positive number")
                }
                step = parsed
            }
            var bounds = range
            if base != "*" {
                let ends = base.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
                guard ends.count <= 2, let low = ends.first ?? nil, let high = ends.last ?? nil, low <= high,
                    range.contains(low), range.contains(high)
                else {
                    throw Mistake(
                        description:
                            "the \(name) field '\(field)' must use numbers \(range.lowerBound)–\(range.upperBound)")
                }
                bounds = low...(stepped.count == 2 && ends.count == 1 ? range.upperBound : high)
            }
            result.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return result
    }

    /// The first minute strictly after `time` that the expression names; `nil` when none comes
    /// within five years (e.g. `0 0 31 2 *`).
    package func next(after time: Timestamp) -> Timestamp? {
        var seconds = time_t(time.millisecondsSince1970 / 1000 / 60 * 60 + 60)
        let limit = seconds + 5 * 366 * 86_400
        var parts = tm()
        while seconds < limit {
            gmtime_r(&seconds, &parts)
            if !months.contains(Int(parts.tm_mon) + 1) {
                parts.tm_mon += 1
                parts.tm_mday = 1
                parts.tm_hour = 0
                parts.tm_min = 0
            } else if !dayMatches(day: Int(parts.tm_mday), weekday: Int(parts.tm_wday)) {
                parts.tm_mday += 1
                parts.tm_hour = 0
                parts.tm_min = 0
            } else if !hours.contains(Int(parts.tm_hour)) {
                parts.tm_hour += 1
                parts.tm_min = 0
            } else if !minutes.contains(Int(parts.tm_min)) {
                parts.tm_min += 1
            } else {
                return Timestamp(millisecondsSince1970: Int64(seconds) * 1000)
            }
            parts.tm_sec = 0
            seconds = timegm(&parts)
        }
        return nil
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): days.contains(day) || weekdays.contains(weekday)
        case (true, false): days.contains(day)
        case (false, true): weekdays.contains(weekday)
        case (false, false): true
        }
    }
}
