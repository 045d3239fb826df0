import Glibc

/// An exclusive lock, held while a process opens and migrates the store, so that processes starting
/// together on a new store set it up one after the other instead of failing with "database is
/// locked" or "table already exists".
///
/// The lock is an `flock` on `<store>.lock` beside the database: the kernel releases it when the
/// process dies, so a crash during set-up never leaves the store locked.
struct StoreSetupLock {
    private let descriptor: Int32

    /// Waits until no other process is setting up the store at `storePath`, then holds the lock.
    init(storePath: String) throws(StoreSetupLockError) {
        let lockPath = storePath + ".lock"
        descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreSetupLockError(path: lockPath, code: errno) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let code = errno
                close(descriptor)
                throw StoreSetupLockError(path: lockPath, code: code)
            }
        }
    }

    /// Lets the next process set up or open the store.
    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// The set-up lock beside the store could not be taken.
struct StoreSetupLockError: Error, CustomStringConvertible {
    let path: String
    let code: Int32

    var description: String {
        "cannot lock \(path) while the store is set up: \(String(cString: strerror(code)))"
    }
}
