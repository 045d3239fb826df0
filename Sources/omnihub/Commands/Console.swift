import ArgumentParser
import Foundation
import Glibc
import OmnihubConsole

/// `omnihub console`: what the web console needs set up.
struct Console: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set up the web console and the partner portal (served by `omnihub run` with a console: section).",
        discussion: """
            The console and the portal are served by the daemon's HTTP server under /console/ and
            /portal/. Operators are listed under console.operators with a role (viewer, care, admin)
            and a password hash; a partner signs in to the portal with pull.portal_password_hash.
            See docs/console.md.
            """,
        subcommands: [HashPassword.self])

    struct HashPassword: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash-password",
            abstract: "Print the bcrypt hash of a password, for password_hash: or portal_password_hash:.",
            discussion: """
                The password is read from standard input (the first line), or asked for without echo
                when standard input is a terminal; it is never taken as an argument, which would
                leave it in the shell's history. Exit code 64 when it is shorter than 8 characters.
                """)

        func run() throws {
            let password: String
            if isatty(STDIN_FILENO) == 1 {
                guard let typed = getpass("Password: ") else { throw ValidationError("no password given") }
                password = String(cString: typed)
            } else {
                password = readLine(strippingNewline: true) ?? ""
            }
            guard password.count >= 8 else {
                throw ValidationError("a password has at least 8 characters")
            }
            print(PasswordHash.make(password))
        }
    }
}
