import ArgumentParser
import Foundation
import OmnihubCore
import OmnihubRuntime

/// `omnihub map`: a dry run of a mapping over a file.
struct Map: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Map a file without importing it: canonical documents as JSON lines.",
        discussion: """
            Documents go to standard output, one JSON object a line; every issue goes to standard error, one \
            a line. Exit code 0 when every record mapped, 1 when any failed, 78 when the mapping itself has \
            a mistake. Nothing is stored or moved.
            """)

    @Option(help: "The mapping file.")
    var mapping: String

    @Flag(help: "Print issues as JSON lines on standard error.")
    var json = false

    @Argument(help: "The feed file to map.")
    var file: String

    func run() throws {
        let orderMapping: DocumentMapping
        do {
            orderMapping = try MappingFile.load(mapping)
        } catch {
            throw error
        }
        let encoder = JSONOutput.encoder(pretty: false)
        var failed = false
        func report(_ issue: MappingIssue) throws {
            failed = true
            let text = json ? String(decoding: try encoder.encode(issue), as: UTF8.self) : "\(issue)"
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
        let name = (file as NSString).lastPathComponent
        var output = LineOutput()
        defer { output.flush() }
        let source: FileByteSource
        do {
            source = try FileByteSource(path: file)
        } catch {
            throw CommandFailure.notFound("\(error)")
        }
        do {
            try FeedMapper(mapping: orderMapping, fileName: name).map(source) { outcome in
                switch outcome {
                case .document(let document):
                    try output.write(document.canonicalJSON())
                case .rejected(let rejection):
                    for issue in rejection.issues { try report(issue) }
                }
            }
        } catch let issue as MappingIssue {
            try report(issue)
        }
        if failed { throw ExitCode(ExitStatus.rejected.rawValue) }
    }
}
