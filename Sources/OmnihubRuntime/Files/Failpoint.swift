import Glibc

/// Named points where a test can make omnihub die on the spot, to prove that a crash at that
/// moment loses and doubles nothing.
///
/// Set `OMNIHUB_FAILPOINT` to a point's name; when the process reaches it, it kills itself with
/// SIGKILL, as a power cut or an OOM kill would. Unset, a failpoint costs one comparison. The
/// crash matrix test (`CrashMatrixTests`) kills the sample world at every one of them, in the order
/// a cycle reaches them.
enum Failpoint: String, CaseIterable {
    /// After a file was marked in hand, before it is mapped: a crash in a reader, as a poison file causes.
    case whileInHand = "while-in-hand"
    /// After a file was mapped and stored, inside its import transaction, before the commit.
    case whileImporting = "while-importing"
    /// After a file's import transaction committed, before its original is archived.
    case afterImportCommit = "after-import-commit"
    /// After a file's original was archived or quarantined.
    case afterArchive = "after-archive"
    /// After sourcing decided, inside the transaction that writes the reservations.
    case whileSourcing = "while-sourcing"
    /// After the reservations were committed, before the outbox is written.
    case afterSourcing = "after-sourcing"
    /// After an outbound document was rendered, inside the transaction that records it.
    case afterOutboxRender = "after-outbox-render"
    /// After outbound documents were recorded, before their file is written.
    case beforeOutboxWrite = "before-outbox-write"
    /// After outbound files were written and flushed (unnamed, or under temporary names), before
    /// they are linked or renamed into place.
    case beforeOutboxRename = "before-outbox-rename"
    /// After outbound files were linked or renamed into place, before they are marked written.
    case afterOutboxWrite = "after-outbox-write"
    /// After a file fetched from a partner's server was recorded, before it is renamed into the inbox.
    case afterRemoteFetchRecorded = "after-remote-fetch-recorded"
    /// After a document was renamed into place on a partner's server, before it is recorded delivered.
    case afterRemoteDelivery = "after-remote-delivery"

    /// The points a cycle reaches, in its order; the others are reached by pollers.
    static var cycle: [Failpoint] {
        allCases.filter { ![.afterRemoteFetchRecorded, .afterRemoteDelivery].contains($0) }
    }

    private static let armed: String? = getenv("OMNIHUB_FAILPOINT").map { String(cString: $0) }

    func reach() {
        if Failpoint.armed == rawValue { kill(getpid(), SIGKILL) }
    }
}
