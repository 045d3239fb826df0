import Foundation

/// A file in a partner's folder, as a listing and a stat show it.
package struct RemoteFile: Sendable, Hashable {
    package var name: String
    package var size: Int64
    /// Seconds since 1970, as the server reports the modification time.
    package var modified: Int64
}

/// A folder on a partner's server (or on a local disk, for `file://`): list, stat, download,
/// upload under a temporary name and rename, remove, move. One instance serves one poll or one
/// delivery run; it is not shared between threads.
package protocol RemoteFolder {
    /// The endpoint, for messages.
    var endpoint: Endpoint { get }
    /// The names of the folder's files (folders and dot files left out).
    func names() throws(TransportError) -> [String]
    /// The file's size and modification time; `nil` when it is not there.
    func stat(_ name: String) throws(TransportError) -> RemoteFile?
    /// Downloads the file into the local file descriptor `sink`; refuses more than `limit` bytes.
    func download(_ name: String, into sink: Int32, limit: Int) throws(TransportError)
    /// The file's bytes, up to `limit`.
    func read(_ name: String, limit: Int) throws(TransportError) -> [UInt8]
    /// Uploads `bytes` under `temporary`, then renames it to `name`. Refuses with `alreadyThere`
    /// when `name` exists: omnihub never overwrites a partner's file.
    func upload(_ bytes: [UInt8], as name: String, via temporary: String) throws(TransportError)
    /// Deletes the file.
    func remove(_ name: String) throws(TransportError)
    /// Moves the file into the subfolder `folder` (made when missing), keeping its name.
    func move(_ name: String, into folder: String) throws(TransportError)
}

extension Endpoint {
    /// The folder at this endpoint.
    package func folder() throws(TransportError) -> any RemoteFolder {
        switch scheme {
        case .file: LocalFolder(endpoint: self)
        case .sftp, .ftp, .ftps: try CurlFolder(endpoint: self)
        case .http, .https:
            throw TransportError(
                .refused, endpoint: url, operation: "open the folder", detail: "an HTTP address is not a folder")
        }
    }
}
