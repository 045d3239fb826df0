import ArgumentParser
import Foundation
import Logging
import OmnihubRuntime
import OmnihubStore

/// Options every command that reads the configuration takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file; paths in it are relative to its folder.")
    var config = "omnihub.yaml"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: LogLevel = .info

    /// Starts logging to standard error at the chosen level and returns the command's logger.
    func logger() -> Logger {
        let level = Logger.Level(rawValue: logLevel.rawValue) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "omnihub")
    }

    /// The configuration, or exit 78 with the mistake explained.
    func loadConfiguration() throws -> Configuration {
        do {
            return try Configuration.load(config)
        } catch {
            fail("\(error)", code: .configuration)
        }
    }

    /// The one order `id` (omnihub's id or a channel's order number) names, or exit 4 saying that
    /// none or several match.
    func singleOrder(_ id: String, channel: String?, in store: OrderStore) throws -> StoredOrder {
        let orders = try store.orders(matching: id, channel: channel)
        guard orders.count == 1, let stored = orders.first else {
            fail(
                orders.isEmpty ? "no order matches '\(id)'" : "\(orders.count) orders match '\(id)'; name --channel",
                code: .notFound)
        }
        return stored
    }

    /// The store the configuration names, or exit 70 with the reason.
    func openStore(_ configuration: Configuration) throws -> OrderStore {
        do {
            return try OrderStore(path: configuration.storePath)
        } catch {
            fail("\(error)", code: .store)
        }
    }
}

/// The log levels, as the command line spells them.
enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// The documented exit codes.
enum ExitStatus: Int32 {
    case success = 0
    case rejected = 1
    case leftInInbox = 3
    case notFound = 4
    case store = 70
    case configuration = 78
}

/// Prints `message` to standard error as omnihub's error and exits with `code`.
func fail(_ message: String, code: ExitStatus) -> Never {
    FileHandle.standardError.write(Data("omnihub: error: \(message)\n".utf8))
    Omnihub.exit(withError: ExitCode(code.rawValue))
}

/// Writes a line to standard output.
func say(_ text: String) {
    print(text)
}
