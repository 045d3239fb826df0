import Foundation

/// The forms a pinned SSH host key fingerprint is written in.
enum HostKeyFingerprint {
    /// libcurl wants the bare base64 of the key's SHA-256: `ssh-keygen -lf` prints it after
    /// `SHA256:` and without padding, some tools with `=` padding; both are accepted.
    static func curlForm(_ fingerprint: String) -> String {
        var text = Substring(fingerprint.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("SHA256:") { text = text.dropFirst("SHA256:".count) }
        while text.hasSuffix("=") { text = text.dropLast() }
        return String(text)
    }
}
