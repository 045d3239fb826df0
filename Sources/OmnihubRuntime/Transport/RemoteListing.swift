/// Reads the long folder listings SFTP and FTP servers send (`ls -l`'s format, which OpenSSH and
/// most FTP servers use).
enum RemoteListing {
    /// The name of the regular file a listing line describes; `nil` for folders, links and devices.
    /// A line not in `ls -l`'s format is taken as a bare name, which a later stat checks.
    static func fileName(inLine line: String) -> String? {
        let trimmed = line.trimmingPrefix { $0 == " " }
        guard let type = trimmed.first, trimmed.count > 10 else { return trimmed.isEmpty ? nil : String(trimmed) }
        let permissions = trimmed.dropFirst().prefix(9)
        let looksLikeLongListing =
            "-dlbcps".contains(type) && permissions.allSatisfy { "rwxsStTl-".contains($0) }
        guard looksLikeLongListing else { return String(trimmed) }
        guard type == "-" else { return nil }
        // Mode, links, owner, group, size, month, day, time or year: the name is what follows.
        let fields = trimmed.split(separator: " ", maxSplits: 8, omittingEmptySubsequences: true)
        guard fields.count == 9 else { return nil }
        return String(fields[8])
    }
}
