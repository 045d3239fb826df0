package import OmnihubCore

/// Why a transfer with a partner's server failed, and whether trying again later can help.
///
/// Transient failures (refused, timed out, name not found, the server gone mid-transfer, HTTP 5xx)
/// are retried with backoff; permanent ones (login refused, a host key that does not match, HTTP
/// 4xx, a folder that is not there) stop the endpoint until someone fixes the cause.
package struct TransportError: OmnihubError, Hashable {
    package enum Code: String, Sendable, Hashable {
        /// The server could not be reached or went away; try again later.
        case unreachable
        /// The server answered too slowly or stalled.
        case timedOut = "timed_out"
        /// The server refused the login.
        case loginRefused = "login_refused"
        /// The server's host key or certificate is not the one pinned.
        case hostKeyMismatch = "host_key_mismatch"
        /// The file or folder is not there.
        case notFound = "not_found"
        /// The server refused the operation (permissions, a bad request).
        case refused
        /// A file with the name is already at the destination; omnihub never overwrites one.
        case alreadyThere = "already_there"
        /// The server had a failure of its own (HTTP 5xx, an FTP 4xx reply).
        case serverFailure = "server_failure"
        /// A file or answer larger than the poll's budget.
        case overBudget = "over_budget"
        /// A local file could not be read or written.
        case localFile = "local_file"
        /// Some files of a poll could not be taken (over the budget, a name the inbox cannot hold);
        /// the others were.
        case filesNotTaken = "files_not_taken"
    }

    package let code: Code
    /// The endpoint's address, without credentials.
    package let endpoint: String
    /// What was being done, e.g. `download orders-1.tsv`.
    package let operation: String
    /// What went wrong, in the server's or libcurl's words, scrubbed of secrets.
    package let detail: String

    package init(_ code: Code, endpoint: String, operation: String, detail: String) {
        self.code = code
        self.endpoint = endpoint
        self.operation = operation
        self.detail = Secret.redacted(detail)
    }

    /// Whether trying again later can help without omnihub's configuration changing. A clash is:
    /// the partner moves its file away, and the other documents must keep flowing meanwhile.
    package var isTransient: Bool {
        switch code {
        case .unreachable, .timedOut, .serverFailure, .alreadyThere, .filesNotTaken: true
        case .loginRefused, .hostKeyMismatch, .notFound, .refused, .overBudget, .localFile: false
        }
    }

    package var kind: FailureKind { .leftForNextCycle }
    package var errorCode: String { code.rawValue }
    package var location: String { endpoint }

    package var message: String {
        "\(operation) failed: \(detail); \(remedy)"
    }

    private var remedy: String {
        switch code {
        case .unreachable, .timedOut, .serverFailure:
            "omnihub tries again with growing pauses"
        case .loginRefused:
            "check the user and the secret the configuration names; the endpoint waits until then"
        case .hostKeyMismatch:
            "the server is not the one pinned (SFTP host key) or trusted (TLS certificate); confirm its new key "
                + "or certificate with the partner, then update host_key or ca_file"
        case .notFound:
            "check the path in the endpoint's URL"
        case .refused:
            "check the account's rights on the server"
        case .alreadyThere:
            "a file of that name is there with other content; the document waits and is tried again until the "
                + "partner moves that file away"
        case .overBudget:
            "raise the endpoint's budget or ask the partner for smaller files"
        case .localFile:
            "check the staging folder's space and rights"
        case .filesNotTaken:
            "the other files were fetched; these are tried again at each poll, and the log says why each failed"
        }
    }

    package var description: String { "\(endpoint): \(message)" }
}
