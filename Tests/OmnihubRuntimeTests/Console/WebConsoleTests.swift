import Foundation
import GRDB
import HummingbirdBcrypt
import Logging
import OmnihubConsole
import OmnihubCore
import OmnihubService
import OmnihubStore
import Testing

@testable import OmnihubRuntime

/// The web console and the partner portal over HTTP on loopback: the shipped sample world after
/// one cycle, with three operators and two dropshippers that sign in to the portal.
@Suite("Web console and partner portal", .serialized)
struct WebConsoleTests {
    /// bcrypt at its lowest cost, so the suite does not spend seconds hashing.
    static let password = "correct horse battery"
    static let hash = Bcrypt.hash(password, cost: 4)

    private func withConsole(
        shipped: Bool = false, _ body: (String, TestWorld, OrderStore) async throws -> Void
    ) async throws {
        let world = try TestWorld.shippedSampleWorld()
        var yaml = try String(contentsOf: world.configFile, encoding: .utf8)
        for (partner, name) in [
            ("dropship-nordic", "Nordic Home (dropshipper, stock changes)"),
            ("dropship-bavaria", "Bavaria Living (dropshipper, stock as XML)"),
        ] {
            let heading = "  - id: \(partner)\n    name: \(name)\n"
            #expect(yaml.contains(heading))
            let upload = partner == "dropship-nordic" ? ", upload_feed: dispatches" : ""
            yaml = yaml.replacingOccurrences(
                of: heading, with: heading + "    pull: {portal_password_hash: \"\(Self.hash)\"\(upload)}\n")
        }
        yaml += """

            server:
              listen: 127.0.0.1:0
            console:
              operators:
                - {name: vera, role: viewer, password_hash: "\(Self.hash)"}
                - {name: carl, role: care, password_hash: "\(Self.hash)"}
                - {name: ada, role: admin, password_hash: "\(Self.hash)"}

            """
        try yaml.write(to: world.configFile, atomically: true, encoding: .utf8)
        // A file whose name is markup: every page that shows it must show it as text.
        let webshop = world.root.appendingPathComponent("inbox/webshop/<img src=x onerror=alert(1)>.json")
        try "{\"orders\": [".write(to: webshop, atomically: false, encoding: .utf8)
        try world.setModified(webshop, secondsBeforeNow: 60)
        _ = try world.cycle()
        if shipped {
            try world.dropLaterFiles()
            _ = try world.cycle()
        }
        let configuration = try world.configuration()
        let store = try world.store()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let console = try #require(
            try await WebConsole.load(configuration: configuration, store: store, logger: logger))
        try await withHubServer(configuration, store, console: console) { base in try await body(base, world, store) }
    }

    @Test("signing in: a wrong password or an unknown name is refused, and five failures lock the name")
    func signIn() async throws {
        try await withConsole { base, _, _ in
            let browser = Browser(base: base)
            #expect(try await browser.get("/console/").status == 303)
            #expect(try await browser.signIn("/console/login", "carl", "wrong").status == 401)
            #expect(try await browser.signIn("/console/login", "nobody", Self.password).status == 401)
            for _ in 0..<4 { _ = try await browser.signIn("/console/login", "vera", "wrong") }
            // The fifth failure locks vera: from then on even her password is refused for a while.
            #expect(try await browser.signIn("/console/login", "vera", Self.password).status == 303)
            let other = Browser(base: base)
            for _ in 0..<5 { _ = try await other.signIn("/console/login", "carl", "wrong") }
            let locked = try await other.signIn("/console/login", "carl", Self.password)
            #expect(locked.status == 429)
            #expect(locked.text.contains("Too many failed sign-ins"))
            // A partner's password does not open the console, nor an operator's the portal.
            let stranger = Browser(base: base)
            #expect(try await stranger.signIn("/console/login", "dropship-nordic", Self.password).status == 401)
            #expect(try await stranger.signIn("/portal/login", "ada", Self.password).status == 401)
        }
    }

    @Test("every console page needs a session, and a session cookie cannot be forged")
    func sessions() async throws {
        try await withConsole { base, _, _ in
            for path in [
                "/console/", "/console/orders", "/console/orders/1", "/console/files", "/console/stock",
                "/console/partners", "/console/documents/1", "/portal/", "/portal/documents/1",
            ] {
                let visitor = Browser(base: base)
                let answer = try await visitor.get(path)
                #expect(answer.status == 303, "\(path)")
            }
            let browser = Browser(base: base)
            #expect(try await browser.signIn("/console/login", "vera", Self.password).status == 303)
            let dashboard = try await browser.get("/console/")
            #expect(dashboard.status == 200)
            #expect(dashboard.text.contains("Dashboard"))
            let setCookie = try #require(browser.lastSetCookie)
            #expect(
                setCookie.contains("HttpOnly") && setCookie.contains("Secure") && setCookie.contains("SameSite=Strict"))
            // vera's cookie with the first character of its signature changed is no session (the
            // last character's unused bits are the seal's own test).
            let value = try #require(browser.cookies["omnihub_console"])
            let first = value.index(after: try #require(value.firstIndex(of: ".")))
            let forged = Browser(base: base)
            forged.cookies["omnihub_console"] = value.replacingCharacters(
                in: first...first, with: value[first] == "A" ? "B" : "A")
            #expect(try await forged.get("/console/").status == 303)
            // A portal session is no console session.
            let partner = Browser(base: base)
            #expect(try await partner.signIn("/portal/login", "dropship-nordic", Self.password).status == 303)
            partner.cookies["omnihub_console"] = partner.cookies["omnihub_portal"]
            #expect(try await partner.get("/console/").status == 303)
        }
    }

    @Test(
        "a form without its session's CSRF token changes nothing; with it, the note is recorded with the operator's name"
    )
    func csrf() async throws {
        try await withConsole { base, _, store in
            let carl = Browser(base: base)
            #expect(try await carl.signIn("/console/login", "carl", Self.password).status == 303)
            let before = try store.care.history(orderID: 1)
            #expect(
                try await carl.post("/console/orders/1/note", ["text": "called the customer"], csrf: nil).status == 403)
            #expect(
                try await carl.post("/console/orders/1/note", ["text": "called the customer"], csrf: "forged").status
                    == 403)
            // Another session's token does not do either.
            let ada = Browser(base: base)
            _ = try await ada.signIn("/console/login", "ada", Self.password)
            let adaPage = try await ada.get("/console/orders/1")
            let adaToken = try #require(Browser.csrf(in: adaPage.text))
            #expect(
                try await carl.post("/console/orders/1/note", ["text": "called the customer"], csrf: adaToken).status
                    == 403)
            #expect(try store.care.history(orderID: 1) == before)

            let page = try await carl.get("/console/orders/1")
            let token = try #require(Browser.csrf(in: page.text))
            #expect(
                try await carl.post("/console/orders/1/note", ["text": "called the customer"], csrf: token).status
                    == 303)
            let note = try #require(try store.care.history(orderID: 1).last)
            #expect(note.event == "note")
            #expect(note.detail.contains("called the customer") && note.detail.contains("carl"))
        }
    }

    @Test("a viewer may read but not cancel; care cancels only after the confirmation")
    func roles() async throws {
        try await withConsole { base, _, store in
            let vera = Browser(base: base)
            _ = try await vera.signIn("/console/login", "vera", Self.password)
            let page = try await vera.get("/console/orders/1")
            #expect(page.status == 200)
            #expect(!page.text.contains("Cancel units"))
            let token = try #require(Browser.csrf(in: page.text))
            let refused = try await vera.post(
                "/console/orders/1/cancel", ["reason": "test", "confirmed": "yes"], csrf: token)
            #expect(refused.status == 403)
            #expect(try store.care.lines(orderID: 1).allSatisfy { $0.cancelled == 0 })

            let carl = Browser(base: base)
            _ = try await carl.signIn("/console/login", "carl", Self.password)
            let carlToken = try #require(Browser.csrf(in: try await carl.get("/console/orders/1").text))
            let line = try #require(try store.care.lines(orderID: 1).first)
            let asked = try await carl.post(
                "/console/orders/1/cancel", ["line": line.lineID, "qty": "1", "reason": "customer asked"],
                csrf: carlToken)
            #expect(asked.status == 200)
            #expect(asked.text.contains("Yes, cancel"))
            #expect(try store.care.lines(orderID: 1).allSatisfy { $0.cancelled == 0 })
            let done = try await carl.post(
                "/console/orders/1/cancel",
                ["line": line.lineID, "qty": "1", "reason": "customer asked", "confirmed": "yes"], csrf: carlToken)
            #expect(done.status == 303)
            #expect(try store.care.lines(orderID: 1).first?.cancelled == 1)
            let tooMany = try await carl.post(
                "/console/orders/1/cancel",
                ["line": line.lineID, "qty": "99", "reason": "customer asked", "confirmed": "yes"], csrf: carlToken)
            #expect(tooMany.status == 400)
            #expect(tooMany.text.contains("Nothing was cancelled"))
        }
    }

    @Test("care takes back a shipped unit after the confirmation; its credit note and refund are booked")
    func takeBack() async throws {
        try await withConsole(shipped: true) { base, _, store in
            let shipped = try #require(try store.orders.matching("#1044").first)
            let line = try #require(try store.care.lines(orderID: shipped.id).first { $0.shipped > 0 })
            let carl = Browser(base: base)
            _ = try await carl.signIn("/console/login", "carl", Self.password)
            let page = try await carl.get("/console/orders/\(shipped.id)")
            #expect(page.text.contains("Take back units"))
            let token = try #require(Browser.csrf(in: page.text))
            let fields = ["line": line.lineID, "qty": "1", "store": "store-berlin-mitte", "condition": "resellable"]
            let asked = try await carl.post("/console/orders/\(shipped.id)/return", fields, csrf: token)
            #expect(asked.status == 200)
            #expect(asked.text.contains("Yes, take back"))
            #expect(try store.refunds.refunds(orderID: shipped.id).isEmpty)
            var confirmed = fields
            confirmed["confirmed"] = "yes"
            #expect(try await carl.post("/console/orders/\(shipped.id)/return", confirmed, csrf: token).status == 303)
            #expect(try store.care.lines(orderID: shipped.id).first { $0.lineID == line.lineID }?.returned == 1)
            let refunds = try store.refunds.refunds(orderID: shipped.id)
            #expect(refunds.count == 1)
            #expect(refunds.first?.cause == "credit_note")
            let after = try await carl.get("/console/orders/\(shipped.id)")
            #expect(after.text.contains("refund-amount"))
            #expect(try store.outbox.documents(orderID: shipped.id).contains { $0.kind == .creditNote })
        }
    }

    @Test("care exchanges a unit not shipped yet for another article: cancelled, and sent in a replacement order")
    func exchange() async throws {
        try await withConsole { base, _, store in
            let order = try #require(try store.orders.matching("#1045").first)
            let line = try #require(order.order.lines.first)
            let carl = Browser(base: base)
            _ = try await carl.signIn("/console/login", "carl", Self.password)
            let page = try await carl.get("/console/orders/\(order.id)")
            #expect(page.text.contains("Exchange for another article"))
            let token = try #require(Browser.csrf(in: page.text))
            let fields = ["line": line.lineID, "qty": "1", "sku": "TSHIRT-WHT-M", "reason": "wants a shirt"]
            let asked = try await carl.post("/console/orders/\(order.id)/exchange", fields, csrf: token)
            #expect(asked.status == 200)
            #expect(asked.text.contains("Yes, exchange"))
            #expect(try store.orders.matching("#1045-X1").isEmpty)
            var confirmed = fields
            confirmed["confirmed"] = "yes"
            let done = try await carl.post("/console/orders/\(order.id)/exchange", confirmed, csrf: token)
            #expect(done.status == 303)
            let replacement = try #require(try store.orders.matching("#1045-X1").first)
            #expect(done.headers.contains { $0.hasSuffix("/console/orders/\(replacement.id)") })
            #expect(replacement.order.lines.map(\.sku) == ["TSHIRT-WHT-M"])
            #expect(try store.care.lines(orderID: order.id).first?.cancelled == 1)
        }
    }

    @Test(
        "the dashboard counts the day's orders by channel and status as they stand after shipments and a cancellation")
    func orderCounts() async throws {
        try await withConsole(shipped: true) { base, world, store in
            let carl = Browser(base: base)
            _ = try await carl.signIn("/console/login", "carl", Self.password)
            // Order 2 waits for stock with nothing shipped: cancelled whole, it is cancelled.
            let token = try #require(Browser.csrf(in: try await carl.get("/console/orders/2").text))
            let cancelled = try await carl.post(
                "/console/orders/2/cancel", ["reason": "customer asked", "confirmed": "yes"], csrf: token)
            #expect(cancelled.status == 303)
            let database = try DatabaseQueue(path: try world.configuration().storePath)
            let counted = try await database.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT channel, status, COUNT(*) FROM orders GROUP BY 1, 2 ORDER BY 1, 2"
                ).map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int)" }
            }
            let shown = try store.orders.counts(importedSince: Timestamp(millisecondsSince1970: 0)).map {
                "\($0.channel) \($0.status.rawValue) \($0.orders)"
            }
            #expect(shown == counted)
            #expect(Set(counted.map { $0.split(separator: " ")[1] }) == ["cancelled", "shipped", "sourced"])
            // Imported from the next day on: none yet.
            let tomorrow = (world.clock.now().millisecondsSince1970 / 86_400_000 + 1) * 86_400_000
            let later = Timestamp(millisecondsSince1970: tomorrow)
            #expect(try store.orders.counts(importedSince: later).isEmpty)
        }
    }

    @Test("a file name that is markup is shown as text on every page")
    func escaping() async throws {
        try await withConsole { base, _, store in
            let hostile = try #require(try store.ledger.files().first { $0.name.hasPrefix("<img") })
            #expect(hostile.status == .quarantined)
            let ada = Browser(base: base)
            _ = try await ada.signIn("/console/login", "ada", Self.password)
            for path in ["/console/files", "/console/files/\(hostile.id)", "/console/files?status=quarantined"] {
                let page = try await ada.get(path)
                #expect(page.status == 200)
                #expect(!page.text.contains("<img src=x"), "\(path)")
                #expect(page.text.contains("&lt;img src=x onerror=alert(1)&gt;.json"), "\(path)")
            }
            let quarantined = try await ada.get("/console/files/\(hostile.id)")
            #expect(quarantined.text.contains("id=\"issues\""))
            #expect(quarantined.text.contains("Reprocess"))
            #expect(
                quarantined.headers.contains {
                    $0.lowercased().hasPrefix("content-security-policy: default-src 'self'")
                })
        }
    }

    @Test("a partner sees, downloads and acknowledges its own documents and never another partner's")
    func partnerIsolation() async throws {
        try await withConsole { base, _, store in
            let documents = try store.outbox.documents(limit: 1000)
            let nordics = documents.filter { $0.destination == "dropship-nordic" }
            let bavarias = documents.filter { $0.destination == "dropship-bavaria" }
            let nordic = try #require(nordics.first)
            let bavaria = try #require(bavarias.first)
            let partner = Browser(base: base)
            #expect(try await partner.signIn("/portal/login", "dropship-nordic", Self.password).status == 303)
            let home = try await partner.get("/portal/")
            #expect(home.status == 200)
            #expect(home.text.contains((nordic.path as NSString).lastPathComponent))
            #expect(!home.text.contains((bavaria.path as NSString).lastPathComponent))
            #expect(try await partner.get("/portal/documents/\(nordic.id)").status == 200)
            let foreign = try await partner.get("/portal/documents/\(bavaria.id)")
            #expect(foreign.status == 404)
            #expect(foreign.text.contains("href=\"/portal/\" id=\"back\""))
            for other in documents where other.destination != "dropship-nordic" {
                #expect(try await partner.get("/portal/documents/\(other.id)").status == 404)
            }
            let token = try #require(Browser.csrf(in: home.text))
            #expect(try await partner.post("/portal/documents/\(bavaria.id)/ack", [:], csrf: token).status == 404)
            #expect(try await partner.post("/portal/documents/\(nordic.id)/ack", [:], csrf: token).status == 303)
            #expect(!(try await partner.get("/portal/").text.contains("/portal/documents/\(nordic.id)\"")))
            // Another partner's upload record is not shown either.
            let foreignFile = try #require(try store.ledger.files().first { $0.partner != "dropship-nordic" })
            #expect(try await partner.get("/portal/uploads/\(foreignFile.id)").status == 404)
        }
    }

    @Test("a partner's upload lands in its own feed folder, only with the session's CSRF token")
    func upload() async throws {
        try await withConsole { base, world, _ in
            let partner = Browser(base: base)
            _ = try await partner.signIn("/portal/login", "dropship-nordic", Self.password)
            let token = try #require(Browser.csrf(in: try await partner.get("/portal/").text))
            let content = Array("dispatch,channel,customer_order,sku,quantity,shipped_at,carrier,tracking\n".utf8)
            let folder = world.root.appendingPathComponent("inbox/dropship-nordic")
            #expect(try await partner.put("/portal/inbox/dispatch-7.csv", content, csrf: nil).status == 403)
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("dispatch-7.csv").path))
            #expect(try await partner.put("/portal/inbox/dispatch-7.csv", content, csrf: token).status == 201)
            #expect(
                FileManager.default.contents(atPath: folder.appendingPathComponent("dispatch-7.csv").path)
                    == Data(content))
            #expect(try await partner.put("/portal/inbox/..%2Fescape.csv", content, csrf: token).status == 400)
            #expect(try await partner.get("/portal/").text.contains("dispatch-7.csv"))
            // Bavaria has no upload feed.
            let bavaria = Browser(base: base)
            _ = try await bavaria.signIn("/portal/login", "dropship-bavaria", Self.password)
            let bavariaToken = try #require(Browser.csrf(in: try await bavaria.get("/portal/").text))
            #expect(try await bavaria.put("/portal/inbox/stock.xml", content, csrf: bavariaToken).status == 404)
        }
    }
}

/// A client that keeps its cookies, as a browser does, over the test's curl helper; each request
/// runs on a thread of its own, so a blocking transfer never holds one of the few threads the
/// server's handlers need.
private final class Browser {
    let base: String
    var cookies: [String: String] = [:]
    var lastSetCookie: String?

    init(base: String) { self.base = base }

    struct Answer {
        var status: Int
        var text: String
        var headers: [String]
    }

    func request(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [String] = []) async throws
        -> Answer
    {
        var sent = headers
        if !cookies.isEmpty {
            sent.append(
                "Cookie: " + cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let url = base + path
        let headers = sent
        let answer = try await onOwnThread { try httpRequest(method, url, body: body, headers: headers) }
        for header in answer.headers where header.lowercased().hasPrefix("set-cookie:") {
            let cookie = header.dropFirst("set-cookie:".count).trimmingCharacters(in: .whitespaces)
            lastSetCookie = cookie
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { cookies[pair[0]] = pair[1].isEmpty ? nil : pair[1] }
        }
        return Answer(
            status: answer.status, text: String(decoding: answer.body, as: UTF8.self), headers: answer.headers)
    }

    func get(_ path: String) async throws -> Answer { try await request("GET", path) }

    func post(_ path: String, _ fields: [String: String], csrf: String?) async throws -> Answer {
        var all = fields
        if let csrf { all["csrf"] = csrf }
        let body = all.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return try await request(
            "POST", path, body: Array(body.utf8), headers: ["Content-Type: application/x-www-form-urlencoded"])
    }

    func put(_ path: String, _ body: [UInt8], csrf: String?) async throws -> Answer {
        try await request("PUT", path, body: body, headers: csrf.map { ["X-CSRF-Token: \($0)"] } ?? [])
    }

    /// Opens the sign-in form, then sends it.
    func signIn(_ path: String, _ name: String, _ password: String) async throws -> Answer {
        let form = try await get(path)
        return try await post(path, ["name": name, "password": password], csrf: Self.csrf(in: form.text))
    }

    /// The CSRF token of the first form on a page.
    static func csrf(in html: String) -> String? {
        guard let start = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }
}
