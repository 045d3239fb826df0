import ServiceLifecycle

/// Runs `round` again and again, `pause` apart, until the service group asks the service to stop.
///
/// The service's own stop ends the loop; the shared `stop`, set by any service's graceful
/// shutdown, makes the work in hand finish its file and keeps new rounds from starting while the
/// group shuts the services down one by one. Pauses are slept in short steps on `clock`, so a stop
/// is heard within 50 ms.
func repeatRounds(
    every pause: Duration, stop: StopFlag, clock: any Clock<Duration>, _ round: () async throws -> Void
) async throws {
    let ownStop = StopFlag()
    try await withGracefulShutdownHandler {
        while !ownStop.isSet {
            if !stop.isSet { try await round() }
            var waited = Duration.zero
            repeat {
                try await clock.sleep(for: .milliseconds(50))
                waited += .milliseconds(50)
            } while waited < pause && !ownStop.isSet && !stop.isSet
        }
    } onGracefulShutdown: {
        ownStop.set()
        stop.set()
    }
}
