import ArgumentParser
import OmnihubStore

/// `omnihub files`: the file ledger.
struct Files: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The file ledger: every file received, and what became of it.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List received files, newest first.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Only files from this partner.")
        var partner: String?

        @Option(help: "How many files to show.")
        var limit = 50

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let store = try global.openStore(try global.loadConfiguration())
            let files = try store.files(partner: partner, limit: limit)
            if json {
                try JSONOutput.print(files)
                return
            }
            guard !files.isEmpty else {
                say("No files received yet.")
                return
            }
            var table = TextTable(
                "ID", "PARTNER", "FILE", "STATUS", "RECEIVED", "IMPORTED", "KNOWN", "REJECTED", "SHA256")
            for file in files {
                table.add(
                    String(file.id), file.partner, file.name,
                    file.duplicateOf.map { "duplicate of \($0)" } ?? file.status.rawValue, file.receivedAt,
                    String(file.ordersImported), String(file.ordersAlreadyKnown), String(file.ordersRejected),
                    String(file.sha256.prefix(12)))
            }
            say(table.rendered)
        }
    }
}
