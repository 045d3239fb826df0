import ArgumentParser
import Foundation
import Glibc
import OmnihubRuntime
import OmnihubStore

/// `omnihub import`: import named files for a partner, outside the inbox cycle.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import files for a partner now, exactly once.",
        discussion: """
            The files are copied (not moved) into the archive or quarantine; the ledger still refuses the \
            same bytes twice. Exit code 0, or 1 when a file was quarantined or was a duplicate, 3 when a \
            file could not be read or stored.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The partner id from omnihub.yaml.")
    var partner: String

    @Option(help: "The partner's feed, when it has several (default: the one whose pattern matches).")
    var feed: String?

    @Flag(help: "Print the result as JSON instead of a table.")
    var json = false

    @Argument(help: "The files to import.")
    var files: [String]

    func run() throws {
        let logger = global.logger()
        let configuration = try global.loadConfiguration()
        guard let partner = configuration.partner(partner) else {
            throw CommandFailure.notFound(
                "there is no partner '\(self.partner)' in \(configuration.file); partners: "
                    + configuration.partners.map(\.id).joined(separator: ", "))
        }
        let store = try global.openStore(configuration)
        let lock = try Cycle.lock(store.path, logger: logger)
        defer { withExtendedLifetime(lock) {} }
        var importer = FileImporter(
            store: store, configuration: configuration, now: SystemClock.now, logger: logger, keepOriginals: true)
        let progress = TerminalProgress.make(json: json)
        importer.progress = progress?.report
        var report = CycleReport()
        for path in files {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let name = (absolute as NSString).lastPathComponent
            let candidates = partner.feeds.filter { feed in
                self.feed.map { $0 == feed.name } ?? (fnmatch(feed.pattern, name, 0) == 0)
            }
            guard
                let chosen = candidates.first ?? (self.feed == nil && partner.feeds.count == 1 ? partner.feeds[0] : nil)
            else {
                throw CommandFailure.notFound(
                    "no feed of partner \(partner.id) takes \(name); feeds: "
                        + partner.feeds.map { "\($0.name) (\($0.pattern))" }.joined(separator: ", ")
                        + ". Name one with --feed")
            }
            do {
                report.outcomes.append(try importer.importFile(at: absolute, partner: partner, feed: chosen))
            } catch {
                report.failures.append(CycleReport.Failure(path: absolute, error: error))
            }
        }
        progress?.finish()
        let view = CycleReportView(report: report)
        try view.show(json: json)
        throw ExitCode(view.exitStatus.rawValue)
    }
}
