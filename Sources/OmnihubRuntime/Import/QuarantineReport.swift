import Foundation
import OmnihubCore
import OmnihubStore

/// The `<file>.errors.json` written beside a quarantined file: which file, what was imported from
/// it, and every issue with its code, place, field, value and message.
struct QuarantineReport: Encodable {
    let file: FileRecord
    let issues: [MappingIssue]

    enum CodingKeys: String, CodingKey {
        case file, errors
    }

    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(issues, forKey: .errors)
    }
}
