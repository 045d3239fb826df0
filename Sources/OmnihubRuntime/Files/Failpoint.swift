import Glibc

/// Named points where a test can make omnihub die on the spot, to prove that a crash at that
/// moment loses and doubles nothing.
///
/// Set `OMNIHUB_FAILPOINT` to a point's name; when the process reaches it, it kills itself with
/// SIGKILL, as a power cut or an OOM kill would. Unset, a failpoint costs one comparison.
enum Failpoint: String {
    /// After a file was marked in hand, before it is mapped: a crash in a reader, as a poison file causes.
    case whileInHand = "while-in-hand"
    /// After a file's import transaction committed, before its original is archived.
    case afterImportCommit = "after-import-commit"
    /// After an outbound document was rendered, inside the transaction that records it.
    case afterOutboxRender = "after-outbox-render"
    /// After outbound documents were recorded, before their file is written.
    case beforeOutboxWrite = "before-outbox-write"
    /// After an outbound file was renamed into place, before it is marked written.
    case afterOutboxWrite = "after-outbox-write"

    private static let armed: String? = getenv("OMNIHUB_FAILPOINT").map { String(cString: $0) }

    func reach() {
        if Failpoint.armed == rawValue { kill(getpid(), SIGKILL) }
    }
}
