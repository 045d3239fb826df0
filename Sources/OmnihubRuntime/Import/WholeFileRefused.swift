import OmnihubCore
import OmnihubStore

/// What storing a file's contents came to: the file's status, its counts and every issue.
typealias ImportedContents = (status: FileStatus, counts: FileImportCounts, issues: [MappingIssue])

/// Nothing of a file may be kept: it cannot be read to its end, or it is all-or-nothing and has
/// bad records. Thrown out of the import's transaction, so that SQLite undoes everything stored
/// from it; the ledger then records the file with these counts and issues in a transaction of its
/// own.
struct WholeFileRefused: Error {
    /// The quarantined status, the counts with nothing imported, and the issues that say why.
    let contents: ImportedContents
}
