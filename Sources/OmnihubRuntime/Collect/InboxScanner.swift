import Foundation
import Glibc

/// Finds the files waiting in a feed's folder.
///
/// Takes regular files whose name matches the feed's pattern; leaves alone dot files and names
/// ending in `.part`, `.tmp` or `~`, which are files still being written by convention. Entries
/// that match but cannot be taken (a symbolic link, a FIFO, a name that is not UTF-8) are listed
/// as refused, so the cycle can say so instead of passing over them in silence.
enum InboxScanner {
    /// What a folder holds for a feed.
    struct Listing {
        /// Paths of the files to take, sorted by name so cycles are reproducible.
        var candidates: [String] = []
        /// Entries that match but are never taken, with the reason and what to do.
        var refused: [(name: String, reason: String)] = []
    }

    /// The candidates in `folder`, and what was refused.
    static func scan(_ folder: String, pattern: String) -> Listing {
        var listing = Listing()
        guard let directory = opendir(folder) else {
            // A folder not made yet holds nothing; one omnihub may not read is said every cycle.
            if errno != ENOENT {
                listing.refused.append(
                    (".", "the folder cannot be read: \(String(cString: strerror(errno))); check its permissions"))
            }
            return listing
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                let shown = String(decoding: bytes, as: UTF8.self)
                if fnmatch(pattern, shown, 0) == 0 && !isInProgress(shown) {
                    listing.refused.append(
                        (
                            shown,
                            "its name is not valid UTF-8, which omnihub records names in; rename it (or have the "
                                + "partner send UTF-8 names) and it is taken"
                        ))
                }
                continue
            }
            guard name != "." && name != "..", !isInProgress(name), fnmatch(pattern, name, 0) == 0 else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                listing.candidates.append(path)
            case S_IFDIR:
                continue
            case S_IFLNK:
                listing.refused.append(
                    (
                        name,
                        "it is a symbolic link; omnihub takes only files that are in the inbox themselves. Put "
                            + "the file itself into the inbox"
                    ))
            default:
                listing.refused.append(
                    (name, "it is not a regular file (a FIFO, device or socket); remove it from the inbox"))
            }
        }
        listing.candidates.sort()
        listing.refused.sort { $0.name < $1.name }
        return listing
    }

    /// Whether a name says the file is still being written.
    static func isInProgress(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".part") || name.hasSuffix(".tmp") || name.hasSuffix("~")
    }
}
