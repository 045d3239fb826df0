import Glibc

/// The signals that ask omnihub to stop: SIGTERM and SIGINT.
package enum StopSignals {
    /// Unblocks both in this thread. A parent that blocked signals (a supervisor's thread, a test
    /// runner) hands its mask on through fork and exec; unblocked, a stop request always arrives.
    package static func unblock() {
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
    }
}
