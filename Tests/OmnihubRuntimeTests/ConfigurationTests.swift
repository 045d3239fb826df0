import Foundation
import OmnihubRuntime
import Testing

@Suite("Configuration and mapping files: mistakes are named before any feed is read")
struct ConfigurationTests {
    func configurationError(_ yaml: String, mapping: String? = nil) throws -> ConfigurationError? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "omnihub-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shipped = try String(
            contentsOf: repositoryRoot.appendingPathComponent("mappings/amazon-de-orders.yaml"), encoding: .utf8)
        try (mapping ?? shipped).write(to: folder.appendingPathComponent("m.yaml"), atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("omnihub.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try Configuration.load(file.path)
            return nil
        } catch {
            return error
        }
    }

    static let good = """
        partners:
          - id: amazon-de
            feeds:
              - mapping: m.yaml
        """

    @Test("the shipped configuration loads, with paths relative to its file")
    func shipped() throws {
        let configuration = try Configuration.load(repositoryRoot.appendingPathComponent("omnihub.yaml").path)
        #expect(
            configuration.storePath
                == repositoryRoot.appendingPathComponent("var/omnihub.sqlite").standardizedFileURL.path)
        #expect(
            configuration.partners.map(\.id) == [
                "amazon-de", "ubl-marketplace", "webshop", "wms-central", "store-system", "dropship-nordic",
                "dropship-bavaria",
            ])
        #expect(configuration.network.nodes.map(\.id).count == 6)
        #expect(configuration.network.safetyStock(node: configuration.network.nodes[1], sku: "JACKET-NVY-M") == 2)
        #expect(configuration.partners[0].feeds[0].folder.hasSuffix("/inbox/amazon-de"))
    }

    @Test("a minimal configuration takes the defaults")
    func defaults() throws {
        #expect(try configurationError(Self.good) == nil)
    }

    @Test("an unknown key names itself, its line and the keys allowed")
    func unknownKey() throws {
        let error = try #require(try configurationError("stroe:\n  path: x\n" + Self.good))
        #expect(error.key == "stroe")
        #expect(error.line == 1)
        #expect(error.message.contains("store"))
    }

    @Test("the pickup window and the resellable conditions are checked and read")
    func lifecycleSections() throws {
        let error = try #require(
            try configurationError("collect:\n  pickup_days: 3\n  remind_days_before: 3\n" + Self.good))
        #expect(error.key == "collect")
        #expect(error.message.contains("remind_days_before from 0 to less than pickup_days"))
        let tooLong = try #require(try configurationError("collect:\n  pickup_days: 99999999999999\n" + Self.good))
        #expect(tooLong.message.contains("from 1 to 3650"))
        #expect(
            try configurationError(
                "collect: {pickup_days: 7, remind_days_before: 2}\nreturns: {resellable_conditions: [A]}\n" + Self.good)
                == nil)
    }

    @Test(
        "the console's operators need bcrypt hashes and a server; a partner that pulls needs a token or a portal hash")
    func consoleSection() throws {
        let hash = "$2b$12$wMSmYgnPAcBW0tofehHKjup7gGU95iS8gOip37WkVBWZar1iH9Gum"
        let server = "server: {listen: 127.0.0.1:8470}\n"
        func console(_ operators: String) -> String { "console:\n  operators:\n" + operators }
        #expect(
            try configurationError(
                server + console("    - {name: ann, role: care, password_hash: \"\(hash)\"}\n") + Self.good) == nil)

        let plain = try #require(
            try configurationError(
                server + console("    - {name: ann, role: care, password_hash: secret123}\n") + Self.good))
        #expect(plain.key?.hasSuffix("password_hash") == true)
        #expect(plain.message.contains("not a bcrypt hash") && plain.message.contains("omnihub console hash-password"))
        let role = try #require(
            try configurationError(
                server + console("    - {name: ann, role: boss, password_hash: \"\(hash)\"}\n") + Self.good))
        #expect(role.key?.hasSuffix("role") == true)
        let twice = try #require(
            try configurationError(
                server
                    + console(
                        "    - {name: ann, role: care, password_hash: \"\(hash)\"}\n"
                            + "    - {name: ann, role: admin, password_hash: \"\(hash)\"}\n") + Self.good))
        #expect(twice.message.contains("appears twice"))
        let noServer = try #require(
            try configurationError(console("    - {name: ann, role: care, password_hash: \"\(hash)\"}\n") + Self.good))
        #expect(noServer.message.contains("add server:"))

        let pull =
            "partners:\n  - id: amazon-de\n    pull: {upload_feed: orders}\n    feeds:\n      - {name: orders, mapping: m.yaml}\n"
        let neither = try #require(try configurationError(pull))
        #expect(neither.message.contains("a token") && neither.message.contains("portal_password_hash"))
        #expect(
            try configurationError(
                pull.replacingOccurrences(of: "{upload_feed", with: "{portal_password_hash: \"\(hash)\", upload_feed"))
                == nil)
    }

    @Test("a missing key says what belongs there")
    func missingKey() throws {
        let error = try #require(
            try configurationError("partners:\n  - id: amazon-de\n    feeds:\n      - folder: x\n"))
        #expect(error.key == "partners[1].feeds[1].mapping")
        #expect(error.message.contains("mapping file"))
    }

    @Test("a partner id that cannot name a folder is refused")
    func badPartnerID() throws {
        let error = try #require(try configurationError("partners:\n  - id: Amazon DE\n"))
        #expect(error.key == "partners[1].id")
    }

    @Test("a mistake in a mapping file names the mapping file, line and key")
    func badMapping() throws {
        let mapping = """
            mapping: broken
            document: order
            format: {type: csv}
            order:
              channel: {const: x}
              external_id: id
              placed_at: {path: date, zone: Mars/Olympus}
              currency: cur
            lines:
              sku: sku
              quantity: qty
              unit_price: price
            """
        let error = try #require(try configurationError(Self.good, mapping: mapping))
        #expect(error.file.hasSuffix("m.yaml"))
        #expect(error.key == "order.placed_at.zone")
        #expect(error.line == 7)
        #expect(error.message.contains("IANA"))
    }

    @Test(
        "mapping mistakes are caught when the mapping loads",
        arguments: [
            ("lines:\n  quantity: qty\n  unit_price: p\n", "lines"),
            ("lines:\n  sku: s\n  quantity: qty\n", "lines"),
            ("lines:\n  sku: s\n  quantity: {path: q, aggregate: sum}\n  unit_price: p\n", "lines.quantity.aggregate"),
            ("lines:\n  sku: s\n  quantity: {path: q, const: 1}\n  unit_price: p\n", "lines.quantity"),
            (
                "lines:\n  sku: {path: s, transforms: [shout]}\n  quantity: q\n  unit_price: p\n",
                "lines.sku.transforms[1]"
            ),
            ("lines:\n  sku: s\n  quantity: q\n  unit_price: p\n  colour: c\n", "lines.colour"),
        ])
    func mappingMistakes(lines: String, key: String) throws {
        let mapping = """
            mapping: m
            document: order
            format: {type: csv}
            order: {channel: {const: x}, external_id: id, placed_at: d, currency: c}

            """ + lines
        #expect {
            try MappingFile.parse(mapping, file: "m.yaml")
        } throws: { error in
            (error as? ConfigurationError)?.key == key
        }
    }
}
