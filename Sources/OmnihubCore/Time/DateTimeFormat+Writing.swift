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
        // The local civil time, read back from its UTC spelling: yyyy-MM-ddTHH:mm:ss(.SSS)Z, ASCII,
        // so taken apart by byte (as characters it would be split into graphemes first).
        let text = Array(local.description.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(24)
        func part(_ from: Int, _ length: Int) { result.append(contentsOf: text[from..<(from + length)]) }
        for token in tokens {
            switch token {
            case .year: part(0, 4)
            case .month: part(5, 2)
            case .day: part(8, 2)
            case .hour: part(11, 2)
            case .minute: part(14, 2)
            case .second: part(17, 2)
            case .fraction:
                if text.count > 20 { part(20, 3) } else { result.append(contentsOf: "000".utf8) }
            case .zone:
                if offset == 0 {
                    result.append(UInt8(ascii: "Z"))
                } else {
                    let minutes = abs(offset) / 60
                    result.append(
                        contentsOf: ((offset < 0 ? "-" : "+") + pad(minutes / 60) + ":" + pad(minutes % 60)).utf8)
                }
            case .literal(let character): result.append(contentsOf: character.utf8)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
