import Crypto
import Foundation
package import OmnihubCore

/// Who a browser is signed in as, carried in a cookie the hub signed: nothing is kept on the
/// server, so a restart with the same key keeps everyone signed in and a cookie cannot be forged
/// or changed without the key.
package struct ConsoleSession: Sendable, Hashable {
    /// Who the session is for.
    package enum Subject: Sendable, Hashable {
        /// Not signed in yet: carries only the CSRF secret of the sign-in form.
        case visitor
        /// An operator of the console, with the role the configuration gave when signing in.
        case `operator`(name: String, role: String)
        /// A partner of the portal.
        case partner(id: String)
    }

    package var subject: Subject
    /// When the session ends.
    package var expires: Timestamp
    /// Random, per session: the CSRF tokens of the session's forms are derived from it.
    package var nonce: String

    package init(subject: Subject, expires: Timestamp, nonce: String = ConsoleSession.randomNonce()) {
        self.subject = subject
        self.expires = expires
        self.nonce = nonce
    }

    /// 128 random bits, hex.
    package static func randomNonce() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    /// The fields, joined with a separator none of them may contain.
    var payload: String {
        let who: String
        switch subject {
        case .visitor: who = "v"
        case .operator(let name, let role): who = "o\u{1F}\(name)\u{1F}\(role)"
        case .partner(let id): who = "p\u{1F}\(id)"
        }
        return "\(expires.millisecondsSince1970)\u{1F}\(nonce)\u{1F}\(who)"
    }

    init?(payload: String) {
        let fields = payload.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 3, let expires = Int64(fields[0]), !fields[1].isEmpty else { return nil }
        switch (fields[2], fields.count) {
        case ("v", 3): subject = .visitor
        case ("o", 5): subject = .operator(name: fields[3], role: fields[4])
        case ("p", 4): subject = .partner(id: fields[3])
        default: return nil
        }
        self.expires = Timestamp(millisecondsSince1970: expires)
        nonce = fields[1]
    }
}

/// Signs sessions into cookie values and checks them back, with HMAC-Crypto.SHA256.
package struct SessionSeal: Sendable {
    private let key: SymmetricKey

    /// A seal with `secret` as its key; a random key when `nil`.
    package init(secret: String?) {
        key = secret.map { SymmetricKey(data: Crypto.SHA256.hash(data: Data($0.utf8))) } ?? SymmetricKey(size: .bits256)
    }

    /// `payload.signature`, both base64url.
    package func cookieValue(for session: ConsoleSession) -> String {
        let payload = Data(session.payload.utf8)
        let signature = HMAC<Crypto.SHA256>.authenticationCode(for: payload, using: key)
        return Self.base64URL(payload) + "." + Self.base64URL(Data(signature))
    }

    /// The session a cookie value carries, when the hub signed it and it has not expired.
    package func session(from value: String?, at now: Timestamp) -> ConsoleSession? {
        guard let value, value.utf8.count <= 4096 else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.data(base64URL: parts[0]),
            let signature = Self.data(base64URL: parts[1]),
            HMAC<Crypto.SHA256>.isValidAuthenticationCode(signature, authenticating: payload, using: key),
            let session = ConsoleSession(payload: String(decoding: payload, as: UTF8.self)), session.expires > now
        else { return nil }
        return session
    }

    /// The CSRF token of a session's forms: only the holder of the session's cookie can know it.
    package func csrfToken(for session: ConsoleSession) -> String {
        Self.base64URL(
            Data(HMAC<Crypto.SHA256>.authenticationCode(for: Data("csrf:\(session.nonce)".utf8), using: key)))
    }

    /// Whether `token` is the session's CSRF token, compared in constant time.
    package func isValidCSRF(_ token: String?, for session: ConsoleSession) -> Bool {
        guard let token, let given = Self.data(base64URL: Substring(token)) else { return false }
        return HMAC<Crypto.SHA256>.isValidAuthenticationCode(
            given, authenticating: Data("csrf:\(session.nonce)".utf8), using: key)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of a base64url text, only in its one canonical spelling: the last character of an
    /// unpadded text has bits no byte uses, and a text that sets them is refused rather than read
    /// as the same bytes, so a cookie or token has exactly one accepted form.
    static func data(base64URL text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), base64URL(data) == text else { return nil }
        return data
    }
}
