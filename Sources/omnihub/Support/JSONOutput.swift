import Foundation

/// JSON for programs: sorted keys, no escaped slashes, one document or one object a line.
enum JSONOutput {
    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func print<Value: Encodable>(_ value: Value, pretty: Bool = true) throws {
        Swift.print(String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self))
    }
}
