import Foundation
import OmnihubCore
import Testing

@testable import OmnihubRuntime

/// The schedule and the backoff decide on plain times: no test sleeps.
@Suite("When an endpoint is polled")
struct RetryPolicyTests {
    let interval = Duration.seconds(60)
    let cap = Duration.seconds(900)

    @Test("the pause doubles with each failure in a row, from the interval up to the cap")
    func doubling() {
        let pauses = (1...7).map {
            RetryPolicy.pause(afterFailures: $0, interval: interval, cap: cap, jitter: 0)
        }
        #expect(pauses == [60, 120, 240, 480, 900, 900, 900].map { Duration.seconds($0) })
        #expect(RetryPolicy.pause(afterFailures: 1000, interval: interval, cap: cap, jitter: 0) == .seconds(900))
    }

    @Test("jitter takes up to half the pause off, never more")
    func jitter() {
        #expect(RetryPolicy.pause(afterFailures: 2, interval: interval, cap: cap, jitter: 1) == .seconds(60))
        #expect(RetryPolicy.pause(afterFailures: 2, interval: interval, cap: cap, jitter: 0.5) == .seconds(90))
        #expect(RetryPolicy.pause(afterFailures: 2, interval: interval, cap: cap, jitter: 7) == .seconds(60))
    }

    @Test("due at the interval after the last poll, or at the retry time after a failure")
    func due() {
        let last = Timestamp(millisecondsSince1970: 1_800_000_000_000)
        let later = { (seconds: Int64) in Timestamp(millisecondsSince1970: last.millisecondsSince1970 + seconds * 1000)
        }
        #expect(RetryPolicy.isDue(lastPoll: nil, retryAt: nil, interval: interval, now: last))
        #expect(!RetryPolicy.isDue(lastPoll: last, retryAt: nil, interval: interval, now: later(59)))
        #expect(RetryPolicy.isDue(lastPoll: last, retryAt: nil, interval: interval, now: later(60)))
        #expect(!RetryPolicy.isDue(lastPoll: last, retryAt: later(240), interval: interval, now: later(60)))
        #expect(RetryPolicy.isDue(lastPoll: last, retryAt: later(240), interval: interval, now: later(240)))
    }
}

/// What `omnihub.yaml` may say about endpoints, and what it may not.
@Suite("Endpoint configuration")
struct EndpointConfigurationTests {
    private func load(_ source: String) throws -> Configuration {
        let world = try TestWorld()
        try """
        store:
          path: var/omnihub.sqlite
        partners:
          - id: amazon-de
            feeds:
              - name: orders
                folder: inbox/amazon-de
                pattern: "*.tsv"
                mapping: mappings/amazon-de-orders.yaml
                source:
        \(source)
        """.write(to: world.configFile, atomically: true, encoding: .utf8)
        return try Configuration.load(world.configFile.path)
    }

    private func refusal(_ source: String) -> String? {
        do {
            _ = try load(source)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("an SFTP server's host key must be pinned")
    func hostKeyRequired() {
        let message = refusal("          url: sftp://sftp.example.com/out/\n          user: omnihub")
        #expect(message?.contains("host key must be pinned") == true)
        #expect(message?.contains("partners[1].feeds[1].source") == true)
    }

    @Test("credentials in the address, or a secret in the YAML, are refused")
    func noSecretsInTheFile() {
        #expect(
            refusal("          url: ftp://omnihub:hunter2@ftp.example.com/\n")?.contains("carries credentials") == true)
        let inline = refusal("          url: ftp://ftp.example.com/\n          password: hunter2-secret")
        #expect(inline?.contains("secrets never go in omnihub.yaml") == true)
        #expect(inline?.contains("hunter2-secret") == false)
        let missing = refusal(
            "          url: ftp://ftp.example.com/\n          password: {env: OMNIHUB_NOT_SET_ANYWHERE}")
        #expect(missing?.contains("OMNIHUB_NOT_SET_ANYWHERE is not set") == true)
    }

    @Test("a folder address gets its trailing slash, and a schedule and budget are read")
    func parsed() throws {
        let configuration = try load(
            """
                      url: ftps://ftp.example.com/out
                      user: omnihub
                      every_seconds: 300
                      max_backoff_seconds: 3600
                      budget: {files: 10, megabytes: 5, seconds: 60}
                      after_import: move to archive
            """)
        let source = try #require(configuration.partners[0].feeds[0].source)
        #expect(source.endpoint.url == "ftps://ftp.example.com/out/")
        #expect(source.schedule.interval == .seconds(300))
        #expect(source.budget == Configuration.PollBudget(files: 10, bytes: 5 << 20, seconds: 60))
        #expect(source.afterImport == .move("archive"))
    }
}

/// Cron schedules, in UTC, on plain times.
@Suite("Cron schedules")
struct CronScheduleTests {
    /// 2026-11-29 (a Sunday) at `hour`:`minute` UTC.
    private func sunday(_ hour: Int, _ minute: Int) -> Timestamp {
        Timestamp(millisecondsSince1970: (1_795_910_400 + Int64(hour * 3600 + minute * 60)) * 1000)
    }

    private func next(_ expression: String, after time: Timestamp) throws -> String? {
        try CronSchedule(parsing: expression).next(after: time)?.description
    }

    @Test("the next minute an expression names, strictly after the time")
    func nextTimes() throws {
        #expect(try next("*/15 * * * *", after: sunday(10, 7)) == "2026-11-29T10:15:00Z")
        #expect(try next("*/15 * * * *", after: sunday(10, 15)) == "2026-11-29T10:30:00Z")
        #expect(try next("0 6-22/4 * * *", after: sunday(10, 7)) == "2026-11-29T14:00:00Z")
        #expect(try next("30 5 * * 1-5", after: sunday(10, 7)) == "2026-11-30T05:30:00Z")  // Monday
        #expect(try next("0 0 1 * *", after: sunday(10, 7)) == "2026-12-01T00:00:00Z")
        #expect(try next("0 12 1 1 *", after: sunday(10, 7)) == "2027-01-01T12:00:00Z")
        #expect(try next("0 9 * * 7", after: sunday(8, 59)) == "2026-11-29T09:00:00Z")  // 7 is Sunday too
        // Day of month and day of week both restricted: either matches (cron's rule).
        #expect(try next("0 0 15 * 1", after: sunday(10, 7)) == "2026-11-30T00:00:00Z")
        #expect(try next("0 0 31 2 *", after: sunday(10, 7)) == nil)
    }

    @Test("a cron schedule is due at its next time after the last poll")
    func due() throws {
        let cron = try CronSchedule(parsing: "0 * * * *")
        #expect(
            !RetryPolicy.isDue(
                lastPoll: sunday(10, 0), retryAt: nil, interval: .seconds(60), cron: cron, now: sunday(10, 59)))
        #expect(
            RetryPolicy.isDue(
                lastPoll: sunday(10, 0), retryAt: nil, interval: .seconds(60), cron: cron, now: sunday(11, 0)))
    }

    @Test("mistakes name the field")
    func mistakes() {
        for (expression, says) in [
            ("* * * *", "five"), ("60 * * * *", "minute"), ("* 24 * * *", "hour"), ("* * 0 * *", "day of month"),
            ("* * * 13 *", "month"), ("* * * * 8", "day of week"), ("*/0 * * * *", "step"), ("5-1 * * * *", "minute"),
            ("a * * * *", "minute"),
        ] {
            #expect(throws: CronSchedule.Mistake.self) { try CronSchedule(parsing: expression) }
            var message = ""
            do {
                _ = try CronSchedule(parsing: expression)
            } catch {
                message = error.description
            }
            #expect(message.contains(says), "\(expression): \(message)")
        }
    }
}
