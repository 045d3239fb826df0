import Foundation
import Glibc

/// Finds the files waiting in a feed's folder.
///
/// Takes regular files whose name matches the feed's pattern; leaves alone dot files and names
/// ending in `.part`, `.tmp` or `~`, which are files still being written by convention.
enum InboxScanner {
    /// Paths of the candidates in `folder`, sorted by name so cycles are reproducible.
    static func candidates(in folder: String, pattern: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { name in
            !isInProgress(name) && fnmatch(pattern, name, 0) == 0
        }
        .sorted()
        .map { (folder as NSString).appendingPathComponent($0) }
        .filter { FileFacts.of($0) != nil }
    }

    /// Whether a name says the file is still being written.
    static func isInProgress(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".part") || name.hasSuffix(".tmp") || name.hasSuffix("~")
    }
}
