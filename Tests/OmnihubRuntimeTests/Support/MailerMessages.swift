import Foundation
import Testing

/// A customer message the mailer finds in `outbox/mailer/`, with the file it is in.
struct MailerMessage {
    let file: String
    let fields: [String: Any]

    var event: String? { fields["event"] as? String }
    var order: String? { fields["order"] as? String }
}

extension TestWorld {
    /// Every customer message in `outbox/mailer/`, by file name, then line: a `.json` file holds
    /// one message, a `.jsonl` file one a line.
    func mailerMessages() throws -> [MailerMessage] {
        let folder = root.appendingPathComponent("outbox/mailer")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        var messages: [MailerMessage] = []
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let lines = name.hasSuffix(".jsonl") ? data.split(separator: UInt8(ascii: "\n")) : [data[...]]
            for line in lines {
                let fields = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
                messages.append(MailerMessage(file: name, fields: fields))
            }
        }
        return messages
    }
}
