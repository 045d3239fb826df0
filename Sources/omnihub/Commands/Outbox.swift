import ArgumentParser
import OmnihubStore

/// `omnihub outbox`: the documents omnihub emits.
struct Outbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The outbox ledger: every document written for a partner or node.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List outbound documents, newest first; pending ones are recorded but not written yet.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "How many documents to show.")
        var limit = 50

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let store = try global.openStore(try global.loadConfiguration())
            let documents = try store.outboundDocuments(limit: limit)
            if json {
                try JSONOutput.print(documents)
                return
            }
            guard !documents.isEmpty else {
                say("The outbox is empty.")
                return
            }
            var table = TextTable("ID", "KIND", "FOR", "NUMBER", "STATUS", "PATH")
            for document in documents {
                table.add(
                    String(document.id), document.kind, document.destination, document.number, document.status,
                    document.path)
            }
            say(table.rendered)
        }
    }
}
