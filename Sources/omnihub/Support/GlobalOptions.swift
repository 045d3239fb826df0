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

    /// The configuration, or a ``ConfigurationError`` explaining the mistake (exit 78).
    func loadConfiguration() throws -> Configuration {
        try Configuration.load(config)
    }

    /// The one order `id` (omnihub's id or a channel's order number) names, or exit 4 saying that
    /// none or several match.
    func singleOrder(_ id: String, channel: String?, in store: OrderStore) throws -> StoredOrder {
        let orders = try store.orders.matching(id, channel: channel)
        guard orders.count == 1, let stored = orders.first else {
            throw CommandFailure.notFound(
                orders.isEmpty ? "no order matches '\(id)'" : "\(orders.count) orders match '\(id)'; name --channel")
        }
        return stored
    }

    /// The store the configuration names, or a ``StoreError`` with the reason (exit 70).
    func openStore(_ configuration: Configuration) throws -> OrderStore {
        try OrderStore(path: configuration.storePath)
    }
}

/// The log levels, as the command line spells them.
enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// Writes a line to standard output.
func say(_ text: String) {
    print(text)
}
