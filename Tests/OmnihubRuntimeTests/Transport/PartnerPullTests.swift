import Foundation
import Logging
import OmnihubCore
import OmnihubService
import OmnihubStore
import Testing

@testable import OmnihubRuntime

/// The HTTP server's partner pull API, on loopback: the shipped sample world after one cycle, with
/// the two dropshippers pulling their purchase orders.
@Suite("Partners who pull over HTTP", .serialized)
struct PartnerPullTests {
    let nordicToken = "nordic-" + UUID().uuidString
    let bavariaToken = "bavaria-" + UUID().uuidString

    /// Runs `body` against a server on a free port, then stops the server. `body` runs on a thread
    /// of its own: its blocking requests must not hold the threads the server's handlers need.
    private func withServer(_ body: @escaping @Sendable (String, TestWorld, OrderStore) throws -> Void) async throws {
        let world = try TestWorld.shippedSampleWorld()
        try nordicToken.write(to: world.root.appendingPathComponent("nordic.token"), atomically: true, encoding: .utf8)
        try bavariaToken.write(
            to: world.root.appendingPathComponent("bavaria.token"), atomically: true, encoding: .utf8)
        var yaml = try String(contentsOf: world.configFile, encoding: .utf8)
        yaml = yaml.replacingOccurrences(
            of: "  - id: dropship-nordic\n    name: Nordic Home (dropshipper, stock changes)\n",
            with:
                "  - id: dropship-nordic\n    name: Nordic Home (dropshipper, stock changes)\n    pull: {token: {file: nordic.token}, upload_feed: dispatches}\n"
        )
        yaml = yaml.replacingOccurrences(
            of: "  - id: dropship-bavaria\n    name: Bavaria Living (dropshipper, stock as XML)\n",
            with:
                "  - id: dropship-bavaria\n    name: Bavaria Living (dropshipper, stock as XML)\n    pull: {token: {file: bavaria.token}}\n"
        )
        try yaml.write(to: world.configFile, atomically: true, encoding: .utf8)
        _ = try world.cycle()
        let configuration = try world.configuration()
        #expect(configuration.partner("dropship-nordic")?.pull != nil)
        let store = try world.store()
        try await withHubServer(configuration, store) { base in try await onOwnThread { try body(base, world, store) } }
    }

    private struct Listed: Decodable {
        var id: Int64
        var number: String
        var name: String
        var destination: String
    }

    private func listing(_ bytes: [UInt8]) throws -> [Listed] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([Listed].self, from: Data(bytes))
    }

    @Test("a partner lists, downloads and acknowledges its own documents, and never another's")
    func pullOwnDocuments() async throws {
        try await withServer { base, _, store in
            let documents = "\(base)/partners/dropship-nordic/documents"
            #expect(try httpRequest("GET", documents).status == 401)
            #expect(try httpRequest("GET", documents, token: bavariaToken).status == 403)
            #expect(try httpRequest("GET", documents, token: nordicToken + "x").status == 403)
            #expect(try httpRequest("GET", "\(base)/partners/webshop/documents", token: nordicToken).status == 404)

            let answer = try httpRequest("GET", documents, token: nordicToken)
            #expect(answer.status == 200)
            let listed = try listing(answer.body)
            #expect(!listed.isEmpty)
            #expect(listed.allSatisfy { $0.destination == "dropship-nordic" })

            // Another destination's document is not found through this partner, even by id.
            let others = try store.outbox.documents().filter { $0.destination != "dropship-nordic" }
            let foreign = try #require(others.first)
            #expect(try httpRequest("GET", "\(documents)/\(foreign.id)", token: nordicToken).status == 404)
            #expect(try httpRequest("GET", "\(documents)/\(foreign.id)", token: bavariaToken).status == 403)

            let first = listed[0]
            let fetched = try httpRequest("GET", "\(documents)/\(first.id)", token: nordicToken)
            #expect(fetched.status == 200)
            let stored = try #require(
                try store.transfers.writtenDocument(id: first.id, destinations: ["dropship-nordic"]))
            #expect(fetched.body == stored.1)
            #expect(try httpRequest("POST", "\(documents)/\(first.id)/ack", token: bavariaToken).status == 403)
            #expect(try httpRequest("POST", "\(documents)/\(first.id)/ack", token: nordicToken).status == 200)
            let after = try listing(try httpRequest("GET", documents, token: nordicToken).body)
            #expect(after.map(\.id) == listed.dropFirst().map(\.id))
            #expect(try httpRequest("GET", "\(documents)/abc", token: nordicToken).status == 400)
        }
    }

    @Test("a partner uploads into its own inbox; a name that is there, a path, or a foreign pattern is refused")
    func upload() async throws {
        try await withServer { base, world, _ in
            let inbox = "\(base)/partners/dropship-nordic/inbox"
            let content = Array("order,sku,qty\n".utf8)
            let status1 = try httpPut("\(inbox)/dispatch-1.csv", bavariaToken, content)

            #expect(status1 == 403)
            let status2 = try httpPut("\(inbox)/dispatch-1.csv", nordicToken, content)

            #expect(status2 == 201)
            let folder = world.root.appendingPathComponent("inbox/dropship-nordic")
            #expect(
                FileManager.default.contents(atPath: folder.appendingPathComponent("dispatch-1.csv").path)
                    == Data(content))
            let status3 = try httpPut("\(inbox)/dispatch-1.csv", nordicToken, [1])

            #expect(status3 == 409)
            let status4 = try httpPut("\(inbox)/..%2F..%2Fescape.csv", nordicToken, content)

            #expect(status4 == 400)
            let status5 = try httpPut("\(inbox)/.dispatch-2.csv", nordicToken, content)

            #expect(status5 == 400)
            let status6 = try httpPut("\(inbox)/orders.csv", nordicToken, content)

            #expect(status6 == 400)
            #expect(!FileManager.default.fileExists(atPath: world.root.appendingPathComponent("escape.csv").path))
            let bavaria = "\(base)/partners/dropship-bavaria/inbox/stock.xml"
            let status7 = try httpPut(bavaria, bavariaToken, content)

            #expect(status7 == 404)
        }
    }

    @Test("health, readiness and metrics answer")
    func healthAndMetrics() async throws {
        try await withServer { base, _, _ in
            #expect(try httpRequest("GET", "\(base)/healthz").status == 200)
            #expect(try httpRequest("GET", "\(base)/readyz").status == 503)  // no cycle has run in this server
            let metrics = try httpRequest("GET", "\(base)/metrics")
            #expect(metrics.status == 200)
        }
    }
}

/// The status of a PUT of `body` to `url` with the bearer `token`.
private func httpPut(_ url: String, _ token: String, _ body: [UInt8]) throws -> Int {
    try httpRequest("PUT", url, token: token, body: body).status
}
