import CCurl
import Foundation

/// A folder on an SFTP or FTP(S) server, through one libcurl handle whose connection every
/// operation of a poll reuses.
final class CurlFolder: RemoteFolder {
    let endpoint: Endpoint
    private let curl: CurlHandle

    init(endpoint: Endpoint) throws(TransportError) {
        self.endpoint = endpoint
        curl = try CurlHandle(endpoint)
    }

    private var isSFTP: Bool { endpoint.scheme == .sftp }

    func names() throws(TransportError) -> [String] {
        let response = try curl.perform(endpoint.url, operation: "list \(endpoint.url)", limit: 16 << 20)
        return String(decoding: response.body, as: UTF8.self)
            .split(whereSeparator: \.isNewline)
            .compactMap { RemoteListing.fileName(inLine: String($0)) }
            .filter { !$0.hasPrefix(".") && !$0.contains("/") }
    }

    func stat(_ name: String) throws(TransportError) -> RemoteFile? {
        do {
            let response = try curl.perform(endpoint.address(of: name), operation: "look at \(name)") {
                curl throws(TransportError) in
                try curl.set(CURLOPT_NOBODY, 1, "stat")
            }
            // A folder has no size; it is not a file to take.
            guard response.contentLength >= 0 else { return nil }
            return RemoteFile(name: name, size: response.contentLength, modified: response.fileTime)
        } catch  where error.code == .notFound || (error.code == .refused && !isSFTP) {
            return nil
        }
    }

    func download(_ name: String, into sink: Int32, limit: Int) throws(TransportError) {
        _ = try curl.perform(endpoint.address(of: name), operation: "download \(name)", limit: limit, into: sink)
    }

    func read(_ name: String, limit: Int) throws(TransportError) -> [UInt8] {
        try curl.perform(endpoint.address(of: name), operation: "read \(name)", limit: limit).body
    }

    func upload(_ bytes: [UInt8], as name: String, via temporary: String) throws(TransportError) {
        if try stat(name) != nil {
            throw TransportError(
                .alreadyThere, endpoint: endpoint.url, operation: "upload \(name)",
                detail: "a file named \(name) is already there")
        }
        let folder = endpoint.remotePath
        let rename =
            isSFTP
            ? ["rename \(quoted(folder + temporary)) \(quoted(folder + name))"]
            : ["RNFR \(temporary)", "RNTO \(name)"]
        do {
            _ = try curl.perform(
                endpoint.address(of: temporary), operation: "upload \(name)", upload: bytes, postQuote: rename)
        } catch  where error.code == .refused {
            // The upload or the rename was refused: a file that appeared under the name meanwhile
            // is a clash, anything else the server's refusal.
            if try stat(name) != nil {
                try? remove(temporary)
                throw TransportError(
                    .alreadyThere, endpoint: endpoint.url, operation: "upload \(name)",
                    detail: "a file named \(name) appeared while it was uploaded")
            }
            throw error
        }
    }

    func remove(_ name: String) throws(TransportError) {
        let command = isSFTP ? "rm \(quoted(endpoint.remotePath + name))" : "DELE \(name)"
        _ = try curl.perform(endpoint.url, operation: "delete \(name)", quote: [command]) {
            curl throws(TransportError) in
            try curl.set(CURLOPT_NOBODY, 1, "delete")
        }
    }

    func move(_ name: String, into folder: String) throws(TransportError) {
        let from = endpoint.remotePath + name
        let to = endpoint.remotePath + folder + "/" + name
        let commands =
            isSFTP
            ? ["*mkdir \(quoted(endpoint.remotePath + folder))", "rename \(quoted(from)) \(quoted(to))"]
            : ["*MKD \(folder)", "RNFR \(name)", "RNTO \(folder)/\(name)"]
        _ = try curl.perform(endpoint.url, operation: "move \(name) to \(folder)/", quote: commands) {
            curl throws(TransportError) in
            try curl.set(CURLOPT_NOBODY, 1, "move")
        }
    }

    /// A path for libcurl's SFTP commands, in double quotes with quotes and backslashes escaped.
    private func quoted(_ path: String) -> String {
        "\"" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
