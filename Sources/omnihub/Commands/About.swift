import ArgumentParser
import OmnihubRuntime

/// `omnihub about`: what this build is made of.
struct About: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show omnihub's version and the versions of the C libraries it runs on.")

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    struct Library: Encodable {
        let name: String
        let version: String
    }

    struct Components: Encodable {
        let omnihub: String
        let libraries: [Library]
    }

    func run() throws {
        let libraries = LinkedLibraries.versions.map { Library(name: $0.name, version: $0.version) }
        if json {
            try JSONOutput.print(Components(omnihub: Omnihub.configuration.version, libraries: libraries))
            return
        }
        var table = TextTable("COMPONENT", "VERSION")
        table.add("omnihub", Omnihub.configuration.version)
        for library in libraries { table.add(library.name, library.version) }
        say(table.rendered)
    }
}
