/// A file's path taken apart and put together on its bytes: the outbox does this for every file
/// it writes, and Foundation's `NSString` path methods bridge the string each time.
///
/// For the paths omnihub makes itself (a folder and a name it checked); `NSString` stays for paths
/// a person wrote, with its handling of `..`, `~` and trailing slashes.
enum PathName {
    /// The folder `path` is in: `a/b` for `a/b/c.xml`, `/` for `/c.xml`, `""` for `c.xml`.
    static func folder(of path: String) -> String {
        let bytes = path.utf8
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        if slash == bytes.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last part of `path`: `c.xml` for `a/b/c.xml`.
    static func name(of path: String) -> String {
        let bytes = path.utf8
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[bytes.index(after: slash)...])
    }

    /// `name` in `folder`, with one `/` between them.
    static func joined(_ folder: String, _ name: String) -> String {
        if folder.isEmpty { return name }
        return folder.utf8.last == UInt8(ascii: "/") ? folder + name : folder + "/" + name
    }
}
