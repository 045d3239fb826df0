import Foundation
import Glibc

/// Moves and writes files so that a reader never sees half of one and nothing is overwritten.
enum FileMover {
    /// A path in `folder` for `name` that is not taken yet: `name`, else `name` with `~tag` before
    /// the extension.
    static func freePath(in folder: String, name: String, tag: String) -> String {
        let plain = (folder as NSString).appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: plain) { return plain }
        let url = URL(fileURLWithPath: name)
        let stem = url.deletingPathExtension().lastPathComponent
        let suffix = url.pathExtension.isEmpty ? "" : ".\(url.pathExtension)"
        return (folder as NSString).appendingPathComponent("\(stem)~\(tag)\(suffix)")
    }

    /// Moves (or copies) `source` to `destination`, creating folders; refuses to replace an existing file.
    static func move(_ source: String, to destination: String, keepingOriginal: Bool = false) throws(FileError) {
        let folder = (destination as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileError(operation: "create folder", path: folder, reason: "\(error)")
        }
        if FileManager.default.fileExists(atPath: destination) {
            throw FileError(
                operation: "move a file to", path: destination, reason: "a file with that name is already there")
        }
        if !keepingOriginal {
            if rename(source, destination) == 0 { return }
            guard errno == EXDEV else { throw FileError(operation: "move", path: source, errno: errno) }
        }
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
            if !keepingOriginal { try FileManager.default.removeItem(atPath: source) }
        } catch {
            throw FileError(operation: "move", path: source, reason: "\(error)")
        }
    }

    /// Writes `data` to `path` under a temporary name, flushes it, and renames it into place.
    static func writeAtomically(_ data: Data, to path: String) throws(FileError) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).tmp")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileError(operation: "create folder", path: folder, reason: "\(error)")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileError(operation: "create", path: temporary, errno: errno) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == data.count, synced == 0 else {
            unlink(temporary)
            throw FileError(operation: "write", path: temporary, errno: errno)
        }
        guard rename(temporary, path) == 0 else { throw FileError(operation: "rename", path: temporary, errno: errno) }
    }
}
