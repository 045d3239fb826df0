import Foundation
import Hummingbird
import Logging
import OmnihubCore
import OmnihubRuntime
import OmnihubStore

extension WebConsole {
    /// `/console/files`: the ledger and the archive by day; `/console/files/{id}`: one file, and a
    /// quarantined file's errors as a table, with the button that sends it through again.
    func addFiles(to router: Router<BasicRequestContext>) {
        router.get("/console/files") { request, _ in
            try await asOperator(request) { signedIn, format in
                let query = FormFields(request.uri.query ?? "")
                let status = query["status"].flatMap(FileStatus.init(rawValue:))
                let day = query["date"].flatMap {
                    $0.count == 10 && $0.allSatisfy { $0.isNumber || $0 == "-" } ? $0 : nil
                }
                let partner = query["partner"]
                let pageNumber = max(1, min(query["page"].flatMap { Int($0) } ?? 1, 10_000))
                let files = try await onOwnThread {
                    try store.ledger.files(
                        partner: partner, status: status, receivedOn: day, limit: Self.pageSize + 1,
                        offset: (pageNumber - 1) * Self.pageSize)
                }
                var model = frame("Files", signedIn, request, section: "files")
                model["files"] = files.prefix(Self.pageSize).map { fileRow($0, format) }
                model["none"] = files.isEmpty
                model["statuses"] = FileStatus.allCases.map { ["value": $0.rawValue, "selected": $0 == status] }
                model["partners"] = configuration.partners.map { ["value": $0.id, "selected": $0.id == partner] }
                model["date"] = day ?? ""
                var base: [String] = []
                for (name, value) in [("partner", partner), ("status", status?.rawValue), ("date", day)] {
                    if let value {
                        base.append(
                            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
                    }
                }
                let link = { (page: Int) in "/console/files?" + (base + ["page=\(page)"]).joined(separator: "&") }
                if pageNumber > 1 { model["previous"] = link(pageNumber - 1) }
                if files.count > Self.pageSize { model["next"] = link(pageNumber + 1) }
                model["page"] = pageNumber
                return page("files", model)
            }
        }
        router.get("/console/files/:id") { request, context in
            try await asOperator(request) { signedIn, format in
                let id = try fileID(context)
                let found = try await onOwnThread { () -> (FileRecord, [MappingIssue])? in
                    guard let file = try store.ledger.file(id: id) else { return nil }
                    return (file, try store.ledger.importErrors(fileID: id))
                }
                guard let (file, issues) = found else { throw ConsoleRefusal.notFound("File \(id)") }
                var model = frame("File \(file.name)", signedIn, request, section: "files")
                model["file"] = fileRow(file, format)
                model["storedPath"] = file.storedPath
                model["sha256"] = file.sha256
                model["issues"] = issues.map(issueRow)
                model["hasIssues"] = !issues.isEmpty
                model["quarantined"] = file.status == .quarantined
                model["reprocessAction"] = "/console/files/\(id)/reprocess"
                return page("file", model)
            }
        }
        router.post("/console/files/:id/reprocess") { request, context in
            try await asOperator(request, role: .admin) { signedIn, _ in
                let id = try fileID(context)
                _ = try await form(request, session: signedIn.session)
                let importer = FileImporter(store: store, configuration: configuration, now: now, logger: logger)
                do {
                    try await onOwnThread {
                        guard let file = try store.ledger.file(id: id) else {
                            throw ConsoleRefusal.notFound("File \(id)")
                        }
                        _ = try importer.reprocess(file)
                    }
                } catch let error as ReprocessError {
                    throw ConsoleRefusal.badRequest(error.message)
                }
                logger.notice("console: \(signedIn.name) sent file \(id) through again", metadata: ["file": "\(id)"])
                return redirect("/console/files/\(id)")
            }
        }
    }

    private func fileID(_ context: BasicRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw ConsoleRefusal.notFound("That file")
        }
        return id
    }

    func fileRow(_ file: FileRecord, _ format: ConsoleFormat) -> [String: Any] {
        [
            "id": String(file.id), "partner": file.partner, "feed": file.feed, "name": file.name,
            "size": format.count(Int(file.size)), "status": file.status.rawValue,
            "received": format.time(file.receivedAt), "quarantined": file.status == .quarantined,
        ]
    }

    func issueRow(_ issue: MappingIssue) -> [String: Any] {
        [
            "line": issue.line.map(String.init) ?? issue.record.map { "record \($0)" } ?? "–",
            "field": issue.field ?? issue.source ?? "–", "value": issue.value ?? "", "message": issue.message,
            "code": issue.code.rawValue,
        ]
    }
}
