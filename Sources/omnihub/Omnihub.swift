import ArgumentParser

/// The `omnihub` command: the root only names the subcommands.
@main
struct Omnihub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omnihub",
        abstract: "An omnichannel order hub: imports partners' order files, keeps every order once.",
        discussion: """
            Exit codes:
              0   done, nothing rejected
              1   done, but records or files were rejected or quarantined (see the reports)
              3   some files could not be read or stored and stay in the inbox for the next cycle
              4   the order, file or partner asked for does not exist
              64  the command line is wrong
              70  the store failed (SQLite)
              78  omnihub.yaml or a mapping file has a mistake
            """,
        version: "0.1.0",
        subcommands: [
            Run.self, Import.self, Map.self, Orders.self, OrderCommand.self, Files.self, Trace.self, Stock.self,
            Source.self, Explain.self,
            Outbox.self, Finance.self, Status.self, Partner.self, Console.self, About.self,
        ]
    )
}
