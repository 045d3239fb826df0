import Foundation

/// The rules a DATEV EXTF Buchungsstapel (format 21) must keep to be imported: the header line,
/// the column row, and the value rules of the columns omnihub fills.
enum DATEVCheck {
    static func problems(in bytes: Data) -> [String] {
        var problems: [String] = []
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { problems.append("a UTF-8 byte order mark") }
        guard let text = String(data: bytes, encoding: .windowsCP1252) else { return problems + ["not Windows-1252"] }
        guard text.hasSuffix("\r\n"), !text.replacingOccurrences(of: "\r\n", with: "").contains("\n") else {
            return problems + ["lines must end with CRLF"]
        }
        let rows = text.components(separatedBy: "\r\n").dropLast()
        guard rows.count >= 3 else { return ["a header line, a column row and at least one booking are needed"] }
        let header = rows[rows.startIndex].components(separatedBy: ";")
        if header.count != 31 { problems.append("the header line has \(header.count) fields, not 31") }
        if Array(header.prefix(4)) != ["\"EXTF\"", "700", "21", "\"Buchungsstapel\""] {
            problems.append("the header does not start with \"EXTF\";700;21;\"Buchungsstapel\"")
        }
        func matches(_ value: String, _ pattern: String) -> Bool {
            value.range(of: "^" + pattern + "$", options: .regularExpression) != nil
        }
        if !matches(header[5], "[0-9]{17}") { problems.append("created at '\(header[5])' is not yyyyMMddHHmmssSSS") }
        for (index, name) in [(10, "Beraternummer"), (11, "Mandantennummer")]
        where !matches(header[index], "[0-9]{1,7}") {
            problems.append("\(name) '\(header[index])' is not a number")
        }
        for (index, name) in [(12, "WJ-Beginn"), (14, "Datum vom"), (15, "Datum bis")]
        where !matches(header[index], "20[0-9]{6}") {
            problems.append("\(name) '\(header[index])' is not yyyyMMdd")
        }
        if header[14] > header[15] { problems.append("Datum vom is after Datum bis") }
        if header[12].prefix(4) != header[14].prefix(4) || header[14].prefix(4) != header[15].prefix(4) {
            problems.append("the period lies outside the fiscal year")
        }
        if !matches(header[21], "\"[A-Z]{3}\"") { problems.append("WKZ '\(header[21])' is not a currency") }
        let columns = rows[rows.startIndex + 1].components(separatedBy: ";")
        if columns.first != "Umsatz (ohne Soll/Haben-Kz)" || columns.count < 116 {
            problems.append("the column row is not the Buchungsstapel's")
        }
        for (offset, row) in rows.dropFirst(2).enumerated() {
            let line = offset + 3
            let fields = row.components(separatedBy: ";")
            guard fields.count == columns.count else {
                problems.append("line \(line) has \(fields.count) fields, the column row \(columns.count)")
                continue
            }
            if !matches(fields[0], "[0-9]{1,10},[0-9]{2}") { problems.append("line \(line): Umsatz '\(fields[0])'") }
            if !["\"S\"", "\"H\""].contains(fields[1]) { problems.append("line \(line): Soll/Haben '\(fields[1])'") }
            if !matches(fields[6], "[1-9][0-9]{3,8}") { problems.append("line \(line): Konto '\(fields[6])'") }
            if !matches(fields[7], "[1-9][0-9]{3,8}") { problems.append("line \(line): Gegenkonto '\(fields[7])'") }
            if !matches(fields[9], "(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])") {
                problems.append("line \(line): Belegdatum '\(fields[9])' is not DDMM")
            } else if fields[9].suffix(2) + fields[9].prefix(2) < header[14].dropFirst(4)
                || fields[9].suffix(2) + fields[9].prefix(2) > header[15].dropFirst(4)
            {
                problems.append("line \(line): Belegdatum \(fields[9]) lies outside the batch's period")
            }
            if !matches(fields[10], "\"[A-Za-z0-9$%&*+\\-/]{0,36}\"") {
                problems.append(
                    "line \(line): Belegfeld 1 '\(fields[10])' has more than 36 characters or one DATEV does not allow")
            }
            if fields[13].count > 62 { problems.append("line \(line): Buchungstext is longer than 60 characters") }
        }
        return problems
    }
}
