import Foundation
import HTTPTypes
package import Hummingbird
package import Logging
import Mustache
package import OmnihubCore
package import OmnihubRuntime
package import OmnihubStore

/// The web console for operations and customer care (`/console/`) and the partner portal
/// (`/portal/`), served by the daemon's HTTP server and rendered there from Mustache templates.
///
/// Every page reads the store through the same queries the commands use, and every change goes
/// through the same store operations as `omnihub order …`: the console decides nothing of its own.
/// A session is a signed cookie (`Secure`, `HttpOnly`, `SameSite=Strict`); every form carries the
/// session's CSRF token; `{{ }}` escapes every value a template shows.
package struct WebConsole: Sendable {
    let configuration: Configuration
    let console: Configuration.Console
    let store: OrderStore
    let pull: PartnerPull
    let seal: SessionSeal
    let throttle: LoginThrottle
    let templates: MustacheLibrary
    let logger: Logger
    let now: @Sendable () -> Timestamp

    /// The cookie of an operator's session, sent to `/console` alone.
    static let operatorCookie = "omnihub_console"
    /// The cookie of a partner's session, sent to `/portal` alone.
    static let partnerCookie = "omnihub_portal"
    /// Rows on a page of a list.
    static let pageSize = 50

    /// The console of `configuration`, with its templates loaded; `nil` without a `console:` section.
    package static func load(
        configuration: Configuration, store: OrderStore, logger: Logger,
        now: @escaping @Sendable () -> Timestamp = SystemClock.now
    ) async throws -> WebConsole? {
        guard let console = configuration.console else { return nil }
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw ConsoleSetupError(message: "the console's templates are not installed beside omnihub")
        }
        let templates = try await MustacheLibrary(directory: folder)
        if console.sessionKey == nil {
            logger.notice("console: no session_key configured; sessions end when omnihub restarts")
        }
        return WebConsole(
            configuration: configuration, console: console, store: store,
            pull: PartnerPull(configuration: configuration, store: store, logger: logger),
            seal: SessionSeal(secret: console.sessionKey?.value), throttle: LoginThrottle(), templates: templates,
            logger: logger, now: now)
    }

    /// Adds the console's and the portal's pages to `router`.
    package func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/console/assets/:name") { _, context in try asset(context.parameters.get("name") ?? "") }
        router.get("/portal/assets/:name") { _, context in try asset(context.parameters.get("name") ?? "") }
        addSignIn(to: router)
        addDashboard(to: router)
        addOrders(to: router)
        addFiles(to: router)
        addNetwork(to: router)
        addWhatIf(to: router)
        addPortal(to: router)
    }

    // MARK: - Sessions

    /// The operator signed in on `request`, or `nil`.
    func operatorSession(_ request: Request) -> (
        session: ConsoleSession, name: String, role: Configuration.Console.Role
    )? {
        guard let session = seal.session(from: request.cookies[Self.operatorCookie]?.value, at: now()),
            case .operator(let name, let roleText) = session.subject,
            // The configuration may have taken the operator away or changed the role since.
            let configured = console.operator(name), configured.role.rawValue == roleText
        else { return nil }
        return (session, name, configured.role)
    }

    /// The partner signed in on `request`, or `nil`.
    func partnerSession(_ request: Request) -> (session: ConsoleSession, partner: Configuration.Partner)? {
        guard let session = seal.session(from: request.cookies[Self.partnerCookie]?.value, at: now()),
            case .partner(let id) = session.subject,
            let partner = configuration.partner(id), partner.pull?.portalPasswordHash != nil
        else { return nil }
        return (session, partner)
    }

    /// A cookie carrying `session`, or ending it when `nil`.
    func cookie(_ name: String, _ session: ConsoleSession?) -> Cookie {
        let path = name == Self.operatorCookie ? "/console" : "/portal"
        guard let session else {
            return Cookie(name: name, value: "", maxAge: 0, path: path, secure: true, httpOnly: true, sameSite: .strict)
        }
        let seconds = max(0, Int((session.expires.millisecondsSince1970 - now().millisecondsSince1970) / 1000))
        return Cookie(
            name: name, value: seal.cookieValue(for: session), maxAge: seconds, path: path, secure: true,
            httpOnly: true, sameSite: .strict)
    }

    /// A visitor session for a sign-in form, for its CSRF token.
    func visitorSession() -> ConsoleSession {
        ConsoleSession(
            subject: .visitor, expires: Timestamp(millisecondsSince1970: now().millisecondsSince1970 + 3_600_000))
    }

    /// The fields of a posted form, when it carries the CSRF token of `session`; a refusal otherwise.
    func form(_ request: Request, session: ConsoleSession) async throws -> FormFields {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 10)
        let fields = FormFields(String(buffer: body))
        guard seal.isValidCSRF(fields["csrf"], for: session) else { throw ConsoleRefusal.staleForm }
        return fields
    }

    // MARK: - Responses

    /// A page: `template` rendered with `model`, with headers that keep it out of frames and caches.
    func page(_ template: String, _ model: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = templates.render(model, withTemplate: template) ?? "<p>missing template \(template)</p>"
        return Response(
            status: status, headers: Self.pageHeaders(contentType: "text/html; charset=utf-8"),
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func pageHeaders(contentType: String) -> HTTPFields {
        [
            .contentType: contentType,
            .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "same-origin",
        ]
    }

    /// `value` percent-encoded for a link's query.
    func queryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// A redirect after a form, so a reload does not post it again.
    func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    /// A document's bytes as a download.
    func download(name: String, bytes: [UInt8]) -> Response {
        var headers = Self.pageHeaders(contentType: "application/octet-stream")
        let safe = String(name.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" })
        headers[.contentDisposition] = "attachment; filename=\"\(safe)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func asset(_ name: String) throws -> Response {
        let types = ["console.css": "text/css; charset=utf-8", "console.js": "text/javascript; charset=utf-8"]
        guard let type = types[name], let url = Bundle.module.resourceURL?.appendingPathComponent("Assets/\(name)"),
            let bytes = FileManager.default.contents(atPath: url.path)
        else { throw HTTPError(.notFound) }
        var headers = Self.pageHeaders(contentType: type)
        headers[.cacheControl] = "max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// What every page of the console shows around its content.
    func frame(
        _ title: String, _ signedIn: (session: ConsoleSession, name: String, role: Configuration.Console.Role),
        _ request: Request, section: String
    ) -> [String: Any] {
        [
            "title": title, "operator": signedIn.name, "role": signedIn.role.rawValue,
            "csrf": seal.csrfToken(for: signedIn.session), "section_\(section)": true,
            "mayCare": signedIn.role >= .care, "mayAdmin": signedIn.role >= .admin,
        ]
    }

    /// Runs an operator's page: signed in (else to the sign-in page), with at least `role`.
    func asOperator(
        _ request: Request, role: Configuration.Console.Role = .viewer,
        _ work: ((session: ConsoleSession, name: String, role: Configuration.Console.Role), ConsoleFormat) async throws
            -> Response
    ) async throws -> Response {
        guard let signedIn = operatorSession(request) else {
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return redirect(
                "/console/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        guard signedIn.role >= role else {
            return page(
                "problem",
                [
                    "title": "Not allowed",
                    "message": "Your role (\(signedIn.role.rawValue)) may not do this; ask an admin.",
                ],
                status: .forbidden)
        }
        do {
            return try await work(signedIn, ConsoleFormat(acceptLanguage: request.headers[.acceptLanguage]))
        } catch let refusal as ConsoleRefusal {
            return page("problem", ["title": refusal.title, "message": refusal.message], status: refusal.status)
        }
    }
}

extension HTTPField.Name {
    /// `Referrer-Policy`, which HTTPTypes does not name. A constant name of token characters: the
    /// initializer cannot fail on it.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}

/// Why the console cannot start.
package struct ConsoleSetupError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}

/// Why a page is refused, with its status and a sentence for the person.
enum ConsoleRefusal: Error {
    case staleForm
    case notFound(String)
    case badRequest(String)

    var status: HTTPResponse.Status {
        switch self {
        case .staleForm: .forbidden
        case .notFound: .notFound
        case .badRequest: .badRequest
        }
    }

    var title: String {
        switch self {
        case .staleForm: "Form expired"
        case .notFound: "Not found"
        case .badRequest: "Not possible"
        }
    }

    var message: String {
        switch self {
        case .staleForm: "This form is from another session or has expired. Go back, reload the page and send it again."
        case .notFound(let what): "\(what) is not there."
        case .badRequest(let why): why
        }
    }
}
