import Foundation
import Glibc
import HTTPTypes
import Hummingbird
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

extension WebConsole {
    /// `/portal/`: a partner's own documents (download, acknowledge), its uploads into its inbox,
    /// and what became of each. Every document is looked up through the partner's own
    /// destinations and every upload record through its own id, so one partner's session never
    /// reaches another's files.
    func addPortal(to router: Router<BasicRequestContext>) {
        router.get("/portal/") { request, _ in
            try await asPartner(request) { signedIn, format in
                let partner = signedIn.partner
                let uploadFeed = partner.pull?.uploadFeed
                let nodes = configuration.network.nodes.filter { ($0.partner ?? $0.id) == partner.id }.map(\.id)
                let (documents, uploads, handed) = try await onOwnThread {
                    (
                        try pull.newDocuments(for: partner, limit: 200),
                        try uploadFeed.map {
                            try store.ledger.files(
                                partner: partner.id, feed: $0, status: nil, receivedOn: nil, limit: 100, offset: 0)
                        } ?? [],
                        try store.orders.handed(to: nodes, limit: 50)
                    )
                }
                var model = portalFrame("Your documents", signedIn)
                model["documents"] = documents.map { document in
                    [
                        "id": String(document.id), "name": document.name,
                        "kind": document.kind.replacingOccurrences(of: "_", with: " "),
                        "number": document.number, "created": format.time(document.createdAt),
                    ]
                }
                model["noDocuments"] = documents.isEmpty
                model["uploads"] = uploads.map { fileRow($0, format) }
                model["orders"] = handed.map { line in
                    [
                        "number": line.number, "channel": line.channel, "node": line.node, "sku": line.sku,
                        "handed": format.count(line.handed), "shipped": format.count(line.shipped),
                        "state": line.shipped >= line.handed ? "shipped" : "to ship",
                    ]
                }
                model["waiting"] = waitingUploads(partner).map { ["name": $0] }
                if let feed = uploadFeed, let pattern = partner.feeds.first(where: { $0.name == feed })?.pattern {
                    model["upload"] = ["feed": feed, "pattern": pattern]
                }
                return page("portal", model)
            }
        }
        router.get("/portal/documents/:id") { request, context in
            try await asPartner(request) { signedIn, _ in
                let id = try portalDocumentID(context)
                let partner = signedIn.partner
                let (name, bytes) = try await onOwnThread { try pull.document(id, for: partner) }
                return download(name: name, bytes: bytes)
            }
        }
        router.post("/portal/documents/:id/ack") { request, context in
            try await asPartner(request) { signedIn, _ in
                let id = try portalDocumentID(context)
                _ = try await form(request, session: signedIn.session)
                let partner = signedIn.partner
                try await onOwnThread { try pull.acknowledge(id, for: partner) }
                return redirect("/portal/")
            }
        }
        router.get("/portal/uploads/:id") { request, context in
            try await asPartner(request) { signedIn, format in
                guard let text = context.parameters.get("id"), let id = Int64(text) else {
                    throw PartnerPull.Refusal.notFound("that upload")
                }
                let found = try await onOwnThread { () -> (FileRecord, [MappingIssue])? in
                    guard let file = try store.ledger.file(id: id), file.partner == signedIn.partner.id else {
                        return nil
                    }
                    return (file, try store.ledger.importErrors(fileID: id))
                }
                guard let (file, issues) = found else { throw PartnerPull.Refusal.notFound("upload \(id)") }
                var model = portalFrame("Upload \(file.name)", signedIn)
                model["file"] = fileRow(file, format)
                model["issues"] = issues.map(issueRow)
                model["hasIssues"] = !issues.isEmpty
                return page("portal-upload", model)
            }
        }
        // The upload form's script sends the file's bytes here, with the CSRF token as a header.
        router.put("/portal/inbox/:name") { request, context in
            try await asPartner(request) { signedIn, _ in
                guard seal.isValidCSRF(request.headers[.csrfToken], for: signedIn.session) else {
                    throw ConsoleRefusal.staleForm
                }
                let name = context.parameters.get("name") ?? ""
                let bytes = try await request.uploadedBytes()
                let partner = signedIn.partner
                try await onOwnThread { try pull.receive(bytes, named: name, from: partner) }
                return Response(
                    status: .created, headers: Self.pageHeaders(contentType: "text/plain; charset=utf-8"),
                    body: .init(
                        byteBuffer: ByteBuffer(string: "received \(name); it is imported with the next cycle\n")))
            }
        }
    }

    private func portalDocumentID(_ context: BasicRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw PartnerPull.Refusal.notFound("that document")
        }
        return id
    }

    /// Files the partner uploaded that the next cycle has not taken yet.
    private func waitingUploads(_ partner: Configuration.Partner) -> [String] {
        guard let feed = partner.feeds.first(where: { $0.name == partner.pull?.uploadFeed }),
            let names = try? FileManager.default.contentsOfDirectory(atPath: feed.folder)
        else { return [] }
        return names.filter { !$0.hasPrefix(".") && fnmatch(feed.pattern, $0, 0) == 0 }.sorted()
    }

    private func portalFrame(_ title: String, _ signedIn: (session: ConsoleSession, partner: Configuration.Partner))
        -> [String: Any]
    {
        [
            "title": title, "partner": signedIn.partner.id, "partnerName": signedIn.partner.name,
            "csrf": seal.csrfToken(for: signedIn.session),
        ]
    }

    /// Runs a partner's page: signed in to the portal, else to its sign-in page.
    private func asPartner(
        _ request: Request,
        _ work: ((session: ConsoleSession, partner: Configuration.Partner), ConsoleFormat) async throws -> Response
    ) async throws -> Response {
        guard let signedIn = partnerSession(request) else {
            if request.method == .get { return redirect("/portal/login") }
            return page(
                "problem", ["title": "Signed out", "message": "Sign in to the portal again."], status: .unauthorized)
        }
        do {
            return try await work(signedIn, ConsoleFormat(acceptLanguage: request.headers[.acceptLanguage]))
        } catch let refusal as ConsoleRefusal {
            var model = portalFrame(refusal.title, signedIn)
            model["message"] = refusal.message
            return page("problem", model, status: refusal.status)
        } catch let refusal as PartnerPull.Refusal {
            // The portal's own frame, so the way back leads to the portal, not the console.
            var model = portalFrame("Not possible", signedIn)
            model["message"] = refusal.message + "."
            return page("problem", model, status: HTTPResponse.Status(code: refusal.status))
        }
    }
}

extension HTTPField.Name {
    /// The header the portal's upload script sends the session's CSRF token in. A constant name of
    /// token characters: the initializer cannot fail on it.
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
}
