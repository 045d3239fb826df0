import ArgumentParser
import OmnihubCore
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

        @Option(help: "Only documents of this kind, e.g. invoice, fulfilment_order, customer_notification.")
        var kind: String?

        func validate() throws {
            if let kind, OutboundDocumentKind(rawValue: kind) == nil {
                throw ValidationError(
                    "'\(kind)' is not a kind of document; expected one of "
                        + OutboundDocumentKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }

        @Option(name: .customLong("for"), help: "Only documents for this node or partner, e.g. erp, DC-CENTRAL.")
        var destination: String?

        @Flag(help: "Only documents recorded but not written yet.")
        var pending = false

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let store = try global.openStore(try global.loadConfiguration())
            let documents = try store.outbox.documents(
                limit: limit, kind: kind.flatMap(OutboundDocumentKind.init(rawValue:)), destination: destination,
                status: pending ? .pending : nil)
            if json {
                try JSONOutput.print(documents)
                return
            }
            guard !documents.isEmpty else {
                say(kind == nil && destination == nil && !pending ? "The outbox is empty." : "No document matches.")
                return
            }
            var table = TextTable("ID", "KIND", "FOR", "NUMBER", "STATUS", "PATH")
            for document in documents {
                table.add(
                    String(document.id), document.kind.rawValue, document.destination, document.number,
                    document.status.rawValue, document.path)
            }
            say(table.rendered)
        }
    }
}
