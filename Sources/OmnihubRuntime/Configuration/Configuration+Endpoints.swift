import Foundation

extension Configuration {
    /// Where a feed's files come from when they are not dropped in its folder: a partner's
    /// server, polled on a schedule (a feed's `source:`).
    package struct RemoteSource: Sendable {
        package var endpoint: Endpoint
        /// What happens to the partner's copy once the ledger holds the file.
        package var afterImport: AfterImport
        /// A file is taken once a marker file of its name plus this suffix is there (e.g. `.ok`);
        /// without one, once two listings `stable_after_seconds` apart show it unchanged.
        package var marker: String?
        package var schedule: PollSchedule
        package var budget: PollBudget
    }

    /// What happens to a partner's copy of a file once omnihub holds it.
    package enum AfterImport: Sendable, Hashable {
        /// Left where it is; omnihub remembers it and does not fetch it again.
        case leave
        /// Deleted.
        case delete
        /// Moved into a subfolder, e.g. `done`.
        case move(String)
    }

    /// Where an outbox destination's documents are delivered (a `destinations:` entry).
    package struct RemoteDestination: Sendable {
        /// The outbox destination, e.g. `erp`, `amazon-de` or a node id.
        package var name: String
        package var endpoint: Endpoint
        package var schedule: PollSchedule
        package var budget: PollBudget
    }

    /// When an endpoint is polled.
    package struct PollSchedule: Sendable, Hashable {
        /// The pause between two polls.
        package var interval: Duration
        /// When set, polls are due at the times it names instead of every `interval` (which then
        /// only starts the backoff after a failure).
        package var cron: CronSchedule?
        /// The longest pause after failures in a row (backoff grows to this).
        package var maxBackoff: Duration = .seconds(900)
        /// Failures in a row after which the endpoint is flagged in the log and the status.
        package var flagAfter: Int = 3
        /// Longer than this without a new file, the feed is reported stale; `nil` never.
        package var expectEvery: Duration?
    }

    /// How much one poll may carry, so one partner's backlog does not hold up the others.
    package struct PollBudget: Sendable, Hashable {
        package var files: Int = 100
        package var bytes: Int = 256 << 20
        package var seconds: Int = 300
    }

    static func parseRemoteSource(_ node: YAMLNode, resolve: (String) -> String) throws(ConfigurationError)
        -> RemoteSource
    {
        try node.allowOnly(endpointKeys + scheduleKeys + ["after_import", "marker"])
        let endpoint = try parseEndpoint(node, resolve: resolve)
        var after = AfterImport.leave
        if let afterNode = try node.optional("after_import") {
            switch try afterNode.text() {
            case "leave": after = .leave
            case "delete": after = .delete
            case let move where move.hasPrefix("move to "):
                let folder = String(move.dropFirst("move to ".count))
                guard !folder.isEmpty, !folder.contains("/"), folder != "..", folder != "." else {
                    throw afterNode.error("'\(folder)' is not a subfolder name such as done")
                }
                after = .move(folder)
            case let other:
                throw afterNode.error("'\(other)' is not leave, delete or 'move to done' (any subfolder name)")
            }
        }
        if !endpoint.scheme.isFolder && after != .leave { throw node.error("an HTTP feed can only leave its file") }
        return RemoteSource(
            endpoint: endpoint, afterImport: after, marker: try node.optional("marker")?.text(),
            schedule: try parseSchedule(node), budget: try parseBudget(node))
    }

    static func parseDestination(_ node: YAMLNode, resolve: (String) -> String) throws(ConfigurationError)
        -> RemoteDestination
    {
        try node.allowOnly(["name"] + endpointKeys + scheduleKeys)
        let name = try node.required("name", "the outbox destination, e.g. erp or a partner id").text()
        return RemoteDestination(
            name: name, endpoint: try parseEndpoint(node, resolve: resolve), schedule: try parseSchedule(node),
            budget: try parseBudget(node))
    }

    private static let endpointKeys = [
        "url", "user", "password", "private_key", "key_passphrase", "bearer_token", "host_key", "ca_file", "headers",
        "method",
        "connect_timeout_seconds", "stall_seconds",
    ]
    private static let scheduleKeys = [
        "every_seconds", "max_backoff_seconds", "flag_after_failures", "expect_every_hours", "budget",
    ]

    private static func parseEndpoint(_ node: YAMLNode, resolve: (String) -> String) throws(ConfigurationError)
        -> Endpoint
    {
        let urlNode = try node.required("url", "the address, e.g. sftp://sftp.partner.example/outgoing/")
        var url = try urlNode.text()
        guard let parsed = URL(string: url), let schemeText = parsed.scheme?.lowercased(),
            let scheme = Endpoint.Scheme(rawValue: schemeText)
        else {
            throw urlNode.error("'\(url)' is not an sftp://, ftp://, ftps://, http://, https:// or file:// address")
        }
        guard parsed.user == nil, parsed.password == nil else {
            throw urlNode.error(
                "the address carries credentials; put the user under user: and the password in an environment "
                    + "variable or file named by password: {env: NAME}")
        }
        if scheme.isFolder && !url.hasSuffix("/") { url += "/" }
        if scheme == .file {
            let path = parsed.path
            url = "file://" + resolve(path.isEmpty ? "." : path) + "/"
        }
        var endpoint = Endpoint(url: url, scheme: scheme)
        endpoint.user = try node.optional("user")?.text()
        endpoint.password = try node.optional("password").map { node throws(ConfigurationError) in
            try parseSecret(node, resolve: resolve)
        }
        endpoint.privateKey = try node.optional("private_key").map { node throws(ConfigurationError) in
            resolve(try node.text())
        }
        endpoint.keyPassphrase = try node.optional("key_passphrase").map { node throws(ConfigurationError) in
            try parseSecret(node, resolve: resolve)
        }
        endpoint.bearerToken = try node.optional("bearer_token").map { node throws(ConfigurationError) in
            try parseSecret(node, resolve: resolve)
        }
        if let hostKey = try node.optional("host_key") {
            try hostKey.allowOnly(["sha256", "known_hosts"])
            if let fingerprint = try hostKey.optional("sha256") {
                endpoint.hostKey = .sha256(try fingerprint.text())
            } else if let file = try hostKey.optional("known_hosts") {
                endpoint.hostKey = .knownHosts(resolve(try file.text()))
            }
        }
        endpoint.caFile = try node.optional("ca_file").map { node throws(ConfigurationError) in resolve(try node.text())
        }
        if scheme == .sftp && endpoint.hostKey == nil {
            throw node.error(
                "an SFTP server's host key must be pinned: host_key: {sha256: \"SHA256:…\"} as ssh-keygen -lf prints "
                    + "it, or host_key: {known_hosts: path}; omnihub never accepts any key")
        }
        if let headers = try node.optional("headers") {
            for (name, value) in try headers.entries() {
                let lowered = name.lowercased()
                guard lowered != "authorization", lowered != "cookie" else {
                    throw value.error("'\(name)' carries a secret; use bearer_token: {env: NAME} or password:")
                }
                endpoint.headers.append((name, try value.text()))
            }
        }
        if let method = try node.optional("method") {
            let text = try method.text().uppercased()
            guard text == "PUT" || text == "POST" else { throw method.error("'\(text)' is not PUT or POST") }
            endpoint.method = text
        }
        endpoint.connectSeconds = try node.optional("connect_timeout_seconds")?.integer("seconds") ?? 15
        endpoint.stallSeconds = try node.optional("stall_seconds")?.integer("seconds") ?? 30
        return endpoint
    }

    /// A secret: `{env: NAME}` or `{file: path}`; text in the YAML itself is refused.
    static func parseSecret(_ node: YAMLNode, resolve: (String) -> String) throws(ConfigurationError)
        -> Secret
    {
        guard !node.isScalar else {
            throw node.error(
                "secrets never go in omnihub.yaml; name an environment variable ({env: NAME}) or a file ({file: path})")
        }
        try node.allowOnly(["env", "file"])
        if let variable = try node.optional("env") {
            let name = try variable.text()
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw variable.error("the environment variable \(name) is not set; set it before starting omnihub")
            }
            return Secret(value: value, source: "environment variable \(name)")
        }
        if let file = try node.optional("file") {
            let path = resolve(try file.text())
            guard let data = FileManager.default.contents(atPath: path) else {
                throw file.error("the secret file \(path) cannot be read")
            }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            guard !value.isEmpty else { throw file.error("the secret file \(path) is empty") }
            return Secret(value: value, source: "file \(path)")
        }
        throw node.error("name an environment variable ({env: NAME}) or a file ({file: path})")
    }

    private static func parseSchedule(_ node: YAMLNode) throws(ConfigurationError) -> PollSchedule {
        let every = try node.optional("every_seconds")?.number("seconds, e.g. 60") ?? 60
        let maxBackoff = try node.optional("max_backoff_seconds")?.number("seconds, e.g. 900") ?? 900
        guard every > 0, maxBackoff > 0 else { throw node.error("seconds must be positive") }
        var schedule = PollSchedule(interval: .milliseconds(Int(every * 1000)))
        schedule.maxBackoff = .milliseconds(Int(maxBackoff * 1000))
        schedule.flagAfter = try node.optional("flag_after_failures")?.integer("a number of polls") ?? 3
        if let cron = try node.optional("cron") {
            guard try node.optional("every_seconds") == nil else {
                throw cron.error("give every_seconds or cron, not both")
            }
            do {
                schedule.cron = try CronSchedule(
                    parsing: try cron.text("a cron expression such as \"*/15 6-22 * * *\""))
            } catch let mistake as CronSchedule.Mistake {
                throw cron.error("\(mistake) (UTC)")
            } catch {
                throw cron.error("\(error)")
            }
        }
        if let hours = try node.optional("expect_every_hours")?.number("hours, e.g. 24") {
            schedule.expectEvery = .seconds(Int(hours * 3600))
        }
        return schedule
    }

    private static func parseBudget(_ node: YAMLNode) throws(ConfigurationError) -> PollBudget {
        var budget = PollBudget()
        guard let budgetNode = try node.optional("budget") else { return budget }
        try budgetNode.allowOnly(["files", "megabytes", "seconds"])
        budget.files = try budgetNode.optional("files")?.integer("a number of files") ?? budget.files
        budget.bytes =
            try budgetNode.optional("megabytes")?.integer("megabytes").multipliedReportingOverflow(by: 1 << 20)
            .partialValue ?? budget.bytes
        budget.seconds = try budgetNode.optional("seconds")?.integer("seconds") ?? budget.seconds
        guard budget.files > 0, budget.bytes > 0, budget.seconds > 0 else {
            throw budgetNode.error("a budget must be positive")
        }
        return budget
    }
}

extension Configuration {
    /// The HTTP server of `omnihub run` (the `server:` section): health, metrics, and the
    /// documents partners pull.
    package struct Server: Sendable {
        package var host: String
        package var port: Int
    }

    /// What a partner that pulls may do through the HTTP server (a partner's `pull:`).
    package struct Pull: Sendable {
        /// The partner's token, sent as `Authorization: Bearer …`; `nil`: the API is closed to it.
        package var token: Secret?
        /// The bcrypt hash of the password the partner signs in to the portal with; `nil`: no portal.
        package var portalPasswordHash: String?
        /// The outbox destinations whose documents the partner may fetch; its own id by default.
        package var destinations: [String]
        /// The feed the partner's uploads go into; `nil` refuses uploads.
        package var uploadFeed: String?
    }

    static func parseServer(_ node: YAMLNode) throws(ConfigurationError) -> Server {
        try node.allowOnly(["listen"])
        let listen = try node.required("listen", "host:port, e.g. 127.0.0.1:8470")
        let text = try listen.text()
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port), colon != text.startIndex
        else {
            throw listen.error("'\(text)' is not host:port, e.g. 127.0.0.1:8470")
        }
        return Server(host: String(text[..<colon]), port: port)
    }

    static func parsePull(_ node: YAMLNode, partner: String, resolve: (String) -> String) throws(ConfigurationError)
        -> Pull
    {
        try node.allowOnly(["token", "portal_password_hash", "destinations", "upload_feed"])
        var token: Secret?
        if let tokenNode = try node.optional("token") {
            let secret = try parseSecret(tokenNode, resolve: resolve)
            guard secret.value.count >= 16 else {
                throw tokenNode.error("a pull token must be at least 16 characters long")
            }
            token = secret
        }
        var portalPasswordHash: String?
        if let hashNode = try node.optional("portal_password_hash") {
            let hash = try hashNode.text()
            guard isBcryptHash(hash) else {
                throw hashNode.error(
                    "not a bcrypt hash; make one with `omnihub console hash-password` (never put a password here)")
            }
            portalPasswordHash = hash
        }
        guard token != nil || portalPasswordHash != nil else {
            throw node.error(
                "a partner that pulls needs a token (the API), a portal_password_hash (the portal), or both")
        }
        var destinations = [partner]
        if let list = try node.optional("destinations") {
            destinations = try list.items().map { item throws(ConfigurationError) in try item.text() }
        }
        return Pull(
            token: token, portalPasswordHash: portalPasswordHash, destinations: destinations,
            uploadFeed: try node.optional("upload_feed")?.text())
    }
}
