import Foundation
import Hummingbird
import Logging
import OmnihubCore
import OmnihubRuntime

extension WebConsole {
    /// Signing in and out, for operators (`/console/login`) and partners (`/portal/login`).
    func addSignIn(to router: Router<BasicRequestContext>) {
        router.get("/console/login") { request, _ in
            signInPage(request, portal: false, message: nil)
        }
        router.get("/portal/login") { request, _ in
            signInPage(request, portal: true, message: nil)
        }
        router.post("/console/login") { request, _ in
            try await signIn(request, portal: false)
        }
        router.post("/portal/login") { request, _ in
            try await signIn(request, portal: true)
        }
        router.post("/console/logout") { request, _ in
            try await signOut(request, portal: false)
        }
        router.post("/portal/logout") { request, _ in
            try await signOut(request, portal: true)
        }
    }

    private func cookieName(portal: Bool) -> String { portal ? Self.partnerCookie : Self.operatorCookie }

    /// The sign-in form, with a visitor session whose CSRF token the form carries.
    private func signInPage(_ request: Request, portal: Bool, message: String?, status: HTTPResponse.Status = .ok)
        -> Response
    {
        let name = cookieName(portal: portal)
        var session = seal.session(from: request.cookies[name]?.value, at: now())
        if session?.subject != .visitor { session = nil }
        let visitor = session ?? visitorSession()
        var model: [String: Any] = [
            "title": portal ? "Partner portal: sign in" : "omnihub console: sign in",
            "action": portal ? "/portal/login" : "/console/login", "portal": portal,
            "csrf": seal.csrfToken(for: visitor),
            "next": FormFields(request.uri.query ?? "")["next"] ?? "",
        ]
        if let message { model["message"] = message }
        var response = page("login", model, status: status)
        response.setCookie(cookie(name, visitor))
        return response
    }

    private func signIn(_ request: Request, portal: Bool) async throws -> Response {
        let name = cookieName(portal: portal)
        guard let visitor = seal.session(from: request.cookies[name]?.value, at: now()), visitor.subject == .visitor
        else {
            return signInPage(request, portal: portal, message: "Your sign-in form had expired; please sign in again.")
        }
        let fields: FormFields
        do {
            fields = try await form(request, session: visitor)
        } catch {
            return signInPage(request, portal: portal, message: "Your sign-in form had expired; please sign in again.")
        }
        let account = fields["name"] ?? ""
        let password = fields["password"] ?? ""
        let throttleKey = (portal ? "partner:" : "operator:") + account
        if let until = throttle.blockedUntil(throttleKey, at: now()) {
            logger.warning(
                "console: sign-in for \(account) refused, too many failures", metadata: ["name": "\(account)"])
            return signInPage(
                request, portal: portal,
                message:
                    "Too many failed sign-ins for this name. Try again after \(ConsoleFormat(acceptLanguage: nil).time(until.description)).",
                status: .tooManyRequests)
        }
        let hours = Int64(console.sessionHours) * 3_600_000
        let expires = Timestamp(millisecondsSince1970: now().millisecondsSince1970 + hours)
        var session: ConsoleSession?
        if portal {
            if let partner = configuration.partner(account), let hash = partner.pull?.portalPasswordHash,
                try await onOwnThread({ PasswordHash.matches(password, hash: hash) })
            {
                session = ConsoleSession(subject: .partner(id: partner.id), expires: expires)
            }
        } else if let person = console.operator(account) {
            let hash = person.passwordHash
            if try await onOwnThread({ PasswordHash.matches(password, hash: hash) }) {
                session = ConsoleSession(
                    subject: .operator(name: person.name, role: person.role.rawValue), expires: expires)
            }
        } else {
            // As slow as a real check, so the time does not tell which names exist.
            _ = try await onOwnThread { PasswordHash.matches(password, hash: Self.unknownNameHash) }
        }
        guard let session else {
            throttle.recordFailure(throttleKey, at: now())
            logger.warning("console: failed sign-in for \(account)", metadata: ["name": "\(account)"])
            return signInPage(
                request, portal: portal, message: "That name and password do not match.", status: .unauthorized)
        }
        throttle.recordSuccess(throttleKey)
        logger.info("console: \(account) signed in", metadata: ["name": "\(account)"])
        let home = portal ? "/portal/" : "/console/"
        // Only a path of this console is followed, never another site.
        let next = fields["next"].flatMap { $0.hasPrefix(home) && !$0.contains("//") && !$0.contains("\\") ? $0 : nil }
        return redirect(next ?? home, cookies: [cookie(name, session)])
    }

    private func signOut(_ request: Request, portal: Bool) async throws -> Response {
        let name = cookieName(portal: portal)
        if let session = seal.session(from: request.cookies[name]?.value, at: now()) {
            _ = try await form(request, session: session)
        }
        return redirect(portal ? "/portal/login" : "/console/login", cookies: [cookie(name, nil)])
    }

    /// A bcrypt hash of a random password nobody knows, checked against when a name is unknown.
    static let unknownNameHash = PasswordHash.make(ConsoleSession.randomNonce())
}
