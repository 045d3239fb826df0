import ArgumentParser
import Foundation
import OmnihubCore

/// The documented exit codes (`omnihub --help`).
enum ExitStatus: Int32 {
    case success = 0
    case rejected = 1
    case leftInInbox = 3
    case notFound = 4
    case usage = 64
    case store = 70
    case configuration = 78

    /// The exit code of a failure of `kind`: the one place errors become exit codes.
    init(_ kind: FailureKind) {
        switch kind {
        case .rejected: self = .rejected
        case .leftForNextCycle: self = .leftInInbox
        case .notFound: self = .notFound
        case .store: self = .store
        case .configuration: self = .configuration
        }
    }
}

/// A command cannot do what was asked, and says why.
struct CommandFailure: OmnihubError {
    let kind: FailureKind
    let message: String
    var location: String { "omnihub" }
    var errorCode: String { kind.rawValue }
    var description: String { message }

    /// Nothing matches what was named: an order, a file, a partner, a feed.
    static func notFound(_ message: String) -> Self { Self(kind: .notFound, message: message) }

    /// The configuration lacks what the command needs.
    static func configuration(_ message: String) -> Self { Self(kind: .configuration, message: message) }
}

extension Omnihub {
    /// Runs the command named on the command line (with one allocator arena per core,
    /// ``MallocArenas``). An omnihub error is printed as
    /// `omnihub: error: …` and exits with its kind's documented code; command-line mistakes,
    /// `--help` and explicit exit codes are ArgumentParser's.
    static func main() {
        MallocArenas.limitToCores()
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as any OmnihubError {
            FileHandle.standardError.write(Data("omnihub: error: \(error)\n".utf8))
            exit(withError: ExitCode(ExitStatus(error.kind).rawValue))
        } catch {
            exit(withError: error)
        }
    }
}
