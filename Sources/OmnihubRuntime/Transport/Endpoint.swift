import Foundation

/// Where a partner's server is and how omnihub logs in: an SFTP, FTP(S), HTTP(S) or local folder
/// address, with credentials read from secrets and, for SFTP, the server's pinned host key.
package struct Endpoint: Sendable {
    /// The protocols omnihub speaks.
    package enum Scheme: String, Sendable, CaseIterable {
        case sftp, ftp, ftps, http, https, file

        /// Whether the address is a folder of files (listed, downloaded, uploaded, renamed).
        package var isFolder: Bool { self != .http && self != .https }
    }

    /// How the server's identity is checked.
    package enum HostKey: Sendable, Hashable {
        /// The SHA-256 fingerprint of the server's public key, as `ssh-keygen -lf` prints it.
        case sha256(String)
        /// A known_hosts file that lists the server.
        case knownHosts(String)
    }

    /// The address without credentials; a folder's ends with `/`.
    package var url: String
    package var scheme: Scheme
    package var user: String?
    package var password: Secret?
    /// A private key file for SFTP, and its passphrase.
    package var privateKey: String?
    package var keyPassphrase: Secret?
    /// A bearer token for HTTP(S).
    package var bearerToken: Secret?
    /// Extra HTTP request headers (no secrets: those go in `bearer_token` or `password`).
    package var headers: [(name: String, value: String)] = []
    /// For SFTP: the pinned host key, required.
    package var hostKey: HostKey?
    /// For FTPS and HTTPS: a file of CA certificates to check the server's certificate against,
    /// instead of the system's (a partner's private CA).
    package var caFile: String?
    /// For `http(s)` destinations: `POST` each document to the URL, or `PUT` it under its name.
    package var method: String = "PUT"
    /// Connection and stall limits: a server that sends nothing for `stallSeconds` has gone away.
    package var connectSeconds: Int = 15
    package var stallSeconds: Int = 30

    /// The address with `name` appended, percent-encoded, for a file in the folder.
    package func address(of name: String) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#;"))
        return url + (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name)
    }

    /// The local path of a `file://` endpoint's folder.
    package var localFolder: String {
        URL(string: url)?.path ?? String(url.dropFirst("file://".count))
    }

    /// The folder's path on the server, for FTP and SFTP commands (`rename`, `DELE`).
    package var remotePath: String {
        let path = URL(string: url)?.path ?? "/"
        return path.hasSuffix("/") ? path : path + "/"
    }
}
