import ArgumentParser
import OmnihubRuntime
import OmnihubStore

/// `omnihub files`: the file ledger.
struct Files: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The file ledger: every file received, and what became of it.",
        subcommands: [List.self, Reprocess.self])

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
            let files = try store.ledger.files(partner: partner, limit: limit)
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

    struct Reprocess: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Map a quarantined file again, after its mapping or its data was fixed.",
            discussion: """
                The file is mapped with the partner's current mapping. Orders it imported the first time are \
                recognised, not doubled. It moves to the archive when it now imports cleanly (exit 0), or \
                stays in quarantine with a new report (exit 1). Exit 4 when the file is not in the ledger or \
                not quarantined.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print the result as JSON instead of a table.")
        var json = false

        @Argument(help: "The file's ledger id (omnihub files list).")
        var id: Int64

        func run() throws {
            let logger = global.logger()
            let configuration = try global.loadConfiguration()
            let store = try global.openStore(configuration)
            guard let file = try store.ledger.file(id: id) else {
                throw CommandFailure.notFound("there is no file \(id) in the ledger")
            }
            let importer = FileImporter(
                store: store, configuration: configuration, now: SystemClock.now, logger: logger)
            let outcome: FileOutcome
            do {
                outcome = try importer.reprocess(file)
            } catch let error as ReprocessError {
                throw CommandFailure.notFound(error.message)
            }
            var report = CycleReport()
            report.outcomes = [outcome]
            let view = CycleReportView(report: report)
            try view.show(json: json)
            throw ExitCode(view.exitStatus.rawValue)
        }
    }
}
