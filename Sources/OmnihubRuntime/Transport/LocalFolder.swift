import Foundation

/// A `file://` folder: a partner's share mounted on this machine, with the same rules as a
/// server's (temporary name and rename, no overwrite).
struct LocalFolder: RemoteFolder {
    let endpoint: Endpoint

    private var path: String { endpoint.localFolder }

    private func failure(_ operation: String, _ error: some Error) -> TransportError {
        let code: TransportError.Code =
            (error as NSError).code == NSFileReadNoSuchFileError || (error as NSError).code == NSFileNoSuchFileError
            ? .notFound : .refused
        return TransportError(code, endpoint: endpoint.url, operation: operation, detail: "\(error)")
    }

    func names() throws(TransportError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw failure("list \(path)", error)
        }
        return names.filter { !$0.hasPrefix(".") }.filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isFolder)
                && !isFolder.boolValue
        }
    }

    func stat(_ name: String) throws(TransportError) -> RemoteFile? {
        var facts = Glibc.stat()
        guard lstat(path + "/" + name, &facts) == 0, (facts.st_mode & S_IFMT) == S_IFREG else { return nil }
        return RemoteFile(name: name, size: Int64(facts.st_size), modified: Int64(facts.st_mtim.tv_sec))
    }

    func download(_ name: String, into sink: Int32, limit: Int) throws(TransportError) {
        let bytes = try read(name, limit: limit)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(sink, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw TransportError(
                    .localFile, endpoint: endpoint.url, operation: "download \(name)",
                    detail: String(cString: strerror(errno)))
            }
            offset += written
        }
    }

    func read(_ name: String, limit: Int) throws(TransportError) -> [UInt8] {
        guard let file = try stat(name) else {
            throw TransportError(.notFound, endpoint: endpoint.url, operation: "read \(name)", detail: "not there")
        }
        guard file.size <= limit else {
            throw TransportError(
                .overBudget, endpoint: endpoint.url, operation: "read \(name)", detail: "\(file.size) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path + "/" + name) else {
            throw TransportError(.refused, endpoint: endpoint.url, operation: "read \(name)", detail: "not readable")
        }
        return Array(data)
    }

    func upload(_ bytes: [UInt8], as name: String, via temporary: String) throws(TransportError) {
        let target = path + "/" + name
        let staging = path + "/" + temporary
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: staging))
        } catch {
            throw failure("upload \(name)", error)
        }
        // link(2) refuses an existing target, so a file that is there is never replaced.
        if link(staging, target) != 0 {
            let reason = errno
            unlink(staging)
            throw TransportError(
                reason == EEXIST ? .alreadyThere : .refused, endpoint: endpoint.url, operation: "upload \(name)",
                detail: reason == EEXIST ? "a file named \(name) is already there" : String(cString: strerror(reason)))
        }
        unlink(staging)
    }

    func remove(_ name: String) throws(TransportError) {
        guard unlink(path + "/" + name) == 0 || errno == ENOENT else {
            throw TransportError(
                .refused, endpoint: endpoint.url, operation: "delete \(name)", detail: String(cString: strerror(errno)))
        }
    }

    func move(_ name: String, into folder: String) throws(TransportError) {
        let destination = path + "/" + folder
        try? FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        guard link(path + "/" + name, destination + "/" + name) == 0 || errno == EEXIST else {
            throw TransportError(
                .refused, endpoint: endpoint.url, operation: "move \(name) to \(folder)/",
                detail: String(cString: strerror(errno)))
        }
        try remove(name)
    }
}
