import Glibc

/// An exclusive lock beside the store, shared by every omnihub process that opens it: an `flock`
/// on `<store>.<purpose>.lock`. The kernel releases it when the process dies, so a crash never
/// leaves the store locked.
package final class StoreLock: Sendable {
    /// What a lock serialises.
    package enum Purpose: String, Sendable {
        /// Opening and migrating the store: processes starting together on a new store set it up
        /// one after the other instead of failing with "database is locked" or "table already exists".
        case setup
        /// A cycle: two processes never take the same inbox files or write the same outbox files.
        case cycle
    }

    private let descriptor: Int32
    /// The lock file.
    package let path: String

    /// Takes the lock for `purpose` on the store at `storePath`; when another process holds it,
    /// calls `waiting` once and then waits for it.
    ///
    /// - Throws: ``StoreError`` when the lock file cannot be opened or locked.
    package init(storePath: String, purpose: Purpose, waiting: () -> Void = {}) throws(StoreError) {
        path = storePath + "." + purpose.rawValue + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreLock.failure(path, errno) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK else {
            let code = errno
            close(descriptor)
            throw StoreLock.failure(path, code)
        }
        waiting()
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let code = errno
                close(descriptor)
                throw StoreLock.failure(path, code)
            }
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func failure(_ path: String, _ code: Int32) -> StoreError {
        StoreError(
            .cannotOpen, path: path,
            message: "cannot lock \(path): \(String(cString: strerror(code))). Check that the store's folder is "
                + "writable")
    }
}
