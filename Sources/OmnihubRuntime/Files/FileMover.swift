import CFileSystem
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
            throw FileError(operation: "create folder", path: folder, cause: error)
        }
        if FileManager.default.fileExists(atPath: destination) {
            throw FileError(
                .alreadyThere, operation: "move a file to", path: destination,
                reason: "a file with that name is already there, and omnihub never overwrites one; move it away")
        }
        if !keepingOriginal {
            if rename(source, destination) == 0 { return }
            guard errno == EXDEV else { throw FileError(operation: "move", path: source, errno: errno) }
        }
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
            if !keepingOriginal { try FileManager.default.removeItem(atPath: source) }
        } catch {
            throw FileError(operation: "move", path: source, cause: error)
        }
    }

    /// Writes each file under a temporary name, flushes them all, and renames them into place,
    /// then flushes their folders. The files are flushed with one `syncfs` per folder after all
    /// are written, so the file system commits them together instead of one by one (a file
    /// system without a journal otherwise writes each file's blocks and inode on its own).
    /// Returns the files that failed, by path.
    static func writeAllAtomically(_ files: [(data: Data, path: String)]) -> [String: FileError] {
        var failed: [String: FileError] = [:]
        var temporaries: [(temporary: String, path: String)] = []
        var folders = Set<String>()
        let process = getpid()
        for file in files {
            let folder = PathName.folder(of: file.path)
            // The process id keeps two processes writing the same document apart.
            let temporary = PathName.joined(folder, ".\(PathName.name(of: file.path)).\(process).tmp")
            do {
                if folders.insert(folder).inserted {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
            } catch {
                failed[file.path] = FileError(operation: "create folder", path: folder, cause: error)
                continue
            }
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                failed[file.path] = FileError(operation: "create", path: temporary, errno: errno)
                continue
            }
            let written = file.data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
            guard written == file.data.count else {
                failed[file.path] = FileError(operation: "write", path: temporary, errno: errno)
                unlink(temporary)
                continue
            }
            temporaries.append((temporary, file.path))
        }
        var unflushed: [String: Int32] = [:]
        for folder in Set(temporaries.map { PathName.folder(of: $0.path) }) {
            let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if descriptor < 0 || omnihub_syncfs(descriptor) != 0 { unflushed[folder] = errno }
            if descriptor >= 0 { close(descriptor) }
        }
        var synced: [(temporary: String, path: String)] = []
        for entry in temporaries {
            if let code = unflushed[PathName.folder(of: entry.path)] {
                failed[entry.path] = FileError(operation: "flush", path: entry.temporary, errno: code)
                unlink(entry.temporary)
                continue
            }
            synced.append(entry)
        }
        if !synced.isEmpty { Failpoint.beforeOutboxRename.reach() }
        for entry in synced where rename(entry.temporary, entry.path) != 0 {
            failed[entry.path] = FileError(operation: "rename", path: entry.temporary, errno: errno)
        }
        for folder in folders {
            let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if descriptor >= 0 {
                fsync(descriptor)
                close(descriptor)
            }
        }
        return failed
    }

    /// What ``writeAllNew(_:unnamed:)`` did.
    struct NewFiles: Sendable {
        /// How many files it created.
        var created = 0
        /// The paths where another file with other bytes was already there: left as they were.
        var occupied: [String] = []
        /// The files that could not be written, by path.
        var failed: [String: FileError] = [:]
    }

    /// How many unnamed files are open at once: a part's files are written in batches of this
    /// many, each flushed with one `syncfs`, so a long part stays far below the descriptor limit.
    static let filesOpenAtOnce = 256

    /// Writes files that are not there yet, each seen whole or not at all, flushed, and never in
    /// place of another file. Each is written unnamed (`O_TMPFILE`) and linked in under its name
    /// once flushed: no temporary name to create and rename, and none left behind by a process
    /// that dies. A path already taken by the same bytes counts as written (an earlier run got
    /// that far), by other bytes as occupied. Where the file system has no unnamed files, or
    /// linking one in fails (no `/proc`), the file is written under a temporary name instead, as
    /// every file is when `unnamed` is false.
    static func writeAllNew(_ files: [(content: [UInt8], path: String)], unnamed: Bool = true) -> NewFiles {
        var outcome = NewFiles()
        var folders = Set<String>()
        var unnamedUnsupported = Set<String>()
        var named: [(data: Data, path: String)] = []
        for start in stride(from: 0, to: files.count, by: filesOpenAtOnce) {
            var open: [(descriptor: Int32, index: Int)] = []
            var batchFolders = Set<String>()
            for index in start..<min(files.count, start + filesOpenAtOnce) {
                let file = files[index]
                let folder = PathName.folder(of: file.path)
                do {
                    if folders.insert(folder).inserted {
                        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    }
                } catch {
                    outcome.failed[file.path] = FileError(operation: "create folder", path: folder, cause: error)
                    continue
                }
                if !unnamed || unnamedUnsupported.contains(folder) {
                    named.append((Data(file.content), file.path))
                    continue
                }
                let descriptor = omnihub_open_unnamed(folder)
                guard descriptor >= 0 else {
                    if errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL {
                        unnamedUnsupported.insert(folder)
                        named.append((Data(file.content), file.path))
                    } else {
                        outcome.failed[file.path] = FileError(operation: "create", path: file.path, errno: errno)
                    }
                    continue
                }
                let written = file.content.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                guard written == file.content.count else {
                    outcome.failed[file.path] = FileError(operation: "write", path: file.path, errno: errno)
                    close(descriptor)
                    continue
                }
                open.append((descriptor, index))
                batchFolders.insert(folder)
            }
            var unflushed: [String: Int32] = [:]
            for folder in batchFolders {
                let descriptor = Glibc.open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                if descriptor < 0 || omnihub_syncfs(descriptor) != 0 { unflushed[folder] = errno }
                if descriptor >= 0 { close(descriptor) }
            }
            if !open.isEmpty { Failpoint.beforeOutboxRename.reach() }
            for (descriptor, index) in open {
                defer { close(descriptor) }
                let file = files[index]
                if let code = unflushed[PathName.folder(of: file.path)] {
                    outcome.failed[file.path] = FileError(operation: "flush", path: file.path, errno: code)
                } else if omnihub_link_unnamed(descriptor, file.path) == 0 {
                    outcome.created += 1
                } else if errno == EEXIST {
                    if FileManager.default.contents(atPath: file.path).map(Array.init) != file.content {
                        outcome.occupied.append(file.path)
                    }
                } else {
                    named.append((Data(file.content), file.path))
                }
            }
        }
        // Files written under a temporary name: each checked first, as a rename would replace.
        var toRename: [(data: Data, path: String)] = []
        for file in named {
            if let existing = FileManager.default.contents(atPath: file.path) {
                if existing != file.data { outcome.occupied.append(file.path) }
            } else {
                toRename.append(file)
            }
        }
        let refused = writeAllAtomically(toRename)
        outcome.failed.merge(refused) { first, _ in first }
        outcome.created += toRename.count - refused.count
        for folder in folders {
            let descriptor = Glibc.open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if descriptor >= 0 {
                fsync(descriptor)
                close(descriptor)
            }
        }
        return outcome
    }

    /// Removes the temporary files (`.NAME.PID.tmp`) that a process killed while writing left in
    /// `folders`: those of processes no longer running. Returns how many went.
    @discardableResult
    static func removeStaleTemporaries(in folders: [String]) -> Int {
        var removed = 0
        for folder in folders {
            for name in hiddenNames(in: folder) where name.hasSuffix(".tmp") {
                let parts = name.dropLast(4).split(separator: ".")
                guard let pid = parts.last.flatMap({ Int32($0) }), pid != getpid() else { continue }
                guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
                if unlink((folder as NSString).appendingPathComponent(name)) == 0 { removed += 1 }
            }
        }
        return removed
    }

    /// The names in `folder` that start with a dot (not `.` and `..`); none when it cannot be read.
    /// Read with `readdir`, and only those names become strings: an outbox folder may hold a peak
    /// day's hundred thousand files, and it is looked through every cycle.
    static func hiddenNames(in folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name: String? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                guard raw.first == UInt8(ascii: ".") else { return nil }
                return String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let name, name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Writes `data` to `path` under a temporary name, flushes it, and renames it into place.
    static func writeAtomically(_ data: Data, to path: String) throws(FileError) {
        if let error = writeAllAtomically([(data, path)])[path] { throw error }
    }
}
