extension Configuration {
    /// The web console for operations and customer care (`console:`), served by the daemon's HTTP
    /// server under `/console/`, and the partner portal under `/portal/`.
    package struct Console: Sendable {
        /// What an operator may do; each role may do all that the ones before it may.
        package enum Role: String, Sendable, CaseIterable, Comparable {
            /// Reads every page.
            case viewer
            /// Also cancels, takes back, exchanges and annotates orders.
            case care
            /// Also pauses and resumes partners and sends quarantined files through again.
            case admin

            package static func < (left: Role, right: Role) -> Bool {
                allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
            }
        }

        /// A person who signs in to the console.
        package struct Operator: Sendable {
            package var name: String
            package var role: Role
            /// A bcrypt hash (`$2b$…`), as `omnihub console hash-password` prints it.
            package var passwordHash: String
        }

        package var operators: [Operator] = []
        /// The key session cookies are signed with; without one, a new random key at every start
        /// (everyone signs in again after a restart).
        package var sessionKey: Secret?
        /// How long a session lasts without signing in again.
        package var sessionHours = 12
        /// A SKU whose available units across the network fall below this is a stock warning.
        package var stockWarningBelow = 3

        /// The operator called `name`.
        package func `operator`(_ name: String) -> Operator? { operators.first { $0.name == name } }
    }

    /// Whether `text` has the shape of a bcrypt hash: `$2a$`, `$2b$` or `$2y$`, a cost, 53 more characters.
    package static func isBcryptHash(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 60, text.hasPrefix("$2a$") || text.hasPrefix("$2b$") || text.hasPrefix("$2y$"),
            bytes[6] == UInt8(ascii: "$")
        else { return false }
        return bytes[4...5].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    static func parseConsole(_ node: YAMLNode, resolve: (String) -> String) throws(ConfigurationError) -> Console {
        try node.allowOnly(["operators", "session_key", "session_hours", "stock_warning_below"])
        var console = Console()
        for item in try node.required("operators", "a list of {name, role, password_hash}").items() {
            try item.allowOnly(["name", "role", "password_hash"])
            let name = try item.required("name", "the name the operator signs in with").text()
            guard !name.isEmpty, name.count <= 64,
                !name.unicodeScalars.contains(where: {
                    $0.properties.isWhitespace || $0.properties.generalCategory == .control
                })
            else {
                throw item.error("an operator's name is 1 to 64 characters without spaces or control characters")
            }
            guard console.operator(name) == nil else { throw item.error("operator '\(name)' appears twice") }
            let role = try item.required("role", "viewer, care or admin").choice(Console.Role.self)
            let hashNode = try item.required("password_hash", "a bcrypt hash from `omnihub console hash-password`")
            let hash = try hashNode.text()
            guard isBcryptHash(hash) else {
                throw hashNode.error(
                    "not a bcrypt hash; make one with `omnihub console hash-password` (never put a password here)")
            }
            console.operators.append(Console.Operator(name: name, role: role, passwordHash: hash))
        }
        if let key = try node.optional("session_key") {
            let secret = try parseSecret(key, resolve: resolve)
            guard secret.value.utf8.count >= 32 else {
                throw key.error("a session key must be at least 32 characters long, e.g. `openssl rand -hex 32`")
            }
            console.sessionKey = secret
        }
        if let hours = try node.optional("session_hours") {
            console.sessionHours = try hours.integer("hours, e.g. 12")
            guard (1...720).contains(console.sessionHours) else { throw hours.error("from 1 to 720 hours") }
        }
        if let below = try node.optional("stock_warning_below") {
            console.stockWarningBelow = try below.integer("units, e.g. 3")
            guard console.stockWarningBelow >= 0 else { throw below.error("a number of units, 0 or more") }
        }
        return console
    }
}
