public import Foundation

extension DateTimeFormat {
    /// The year alone, `yyyy`.
    static let year = try! DateTimeFormat(pattern: "yyyy")

    /// Writes `timestamp` as local time in `zone` with this pattern: `ddMM` gives `2611`,
    /// `yyyyMMddHHmmssSSS` gives `20261126093000000`, `XXX` the zone's offset (`Z` or `+01:00`).
    /// `iso8601` writes UTC as `2026-11-26T09:30:00Z`.
    public func write(_ timestamp: Timestamp, zone: TimeZone) -> String {
        guard let tokens else { return timestamp.description }
        let date = Date(timeIntervalSince1970: Double(timestamp.millisecondsSince1970) / 1000)
        let offset = zone.secondsFromGMT(for: date)
        let local = Timestamp(millisecondsSince1970: timestamp.millisecondsSince1970 + Int64(offset) * 1000)
        // The local civil time, read back from its UTC spelling: yyyy-MM-ddTHH:mm:ss(.SSS)Z.
        let text = Array(local.description)
        func part(_ from: Int, _ length: Int) -> String { String(text[from..<(from + length)]) }
        var result = ""
        for token in tokens {
            switch token {
            case .year: result += part(0, 4)
            case .month: result += part(5, 2)
            case .day: result += part(8, 2)
            case .hour: result += part(11, 2)
            case .minute: result += part(14, 2)
            case .second: result += part(17, 2)
            case .fraction: result += text.count > 20 ? part(20, 3) : "000"
            case .zone:
                if offset == 0 {
                    result += "Z"
                } else {
                    let minutes = abs(offset) / 60
                    result += (offset < 0 ? "-" : "+") + pad(minutes / 60) + ":" + pad(minutes % 60)
                }
            case .literal(let character): result.append(character)
            }
        }
        return result
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
