import HummingbirdBcrypt

/// Password hashes for the console's operators and the portal's partners: bcrypt, cost 12.
package enum PasswordHash {
    /// The bcrypt hash of `password`, for `password_hash:` or `portal_password_hash:`.
    package static func make(_ password: String) -> String { Bcrypt.hash(password, cost: 12) }

    /// Whether `password` is the one `hash` was made from.
    package static func matches(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }
}
