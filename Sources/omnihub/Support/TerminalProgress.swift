import Foundation
import OmnihubCore
import OmnihubRuntime

/// The one-line progress of a long run in a terminal, on standard error: the file being imported
/// with its records and records per second, the sourcing, the documents being written. Redrawn at
/// most ten times a second; nothing at all when standard error is not a terminal or `--json` is
/// given, so logs and scripts see only what they always saw.
///
/// `@unchecked Sendable`: the cycle reports from its import thread and its main thread, and every
/// stored property is read and written only under `lock` (an `NSLock`, which the thread sanitizer
/// sees). The one partner text it shows, an inbox file's name, is shown with control characters
/// replaced (``OutputEncoding/safeFileName(_:)``), so a name cannot steer the terminal.
final class TerminalProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw: UInt64 = 0
    private var shown = ""
    private var file = ""
    private var fileStarted: UInt64 = 0

    /// A progress line, or `nil` when nobody would see it.
    static func make(json: Bool) -> TerminalProgress? {
        guard !json, isatty(STDERR_FILENO) == 1, ProcessInfo.processInfo.environment["TERM"] != "dumb" else {
            return nil
        }
        return TerminalProgress()
    }

    /// Takes one report of the cycle; called from any thread.
    func report(_ progress: CycleProgress) {
        lock.lock()
        defer { lock.unlock() }
        // Read under the lock: the import thread and the main thread both report, and a time read
        // before another thread's later start would make the unsigned differences below trap.
        let now = DispatchTime.now().uptimeNanoseconds
        let text: String
        var urgent = false
        switch progress {
        case .importing(let name, let records):
            if name != file || records == 0 {
                file = name
                fileStarted = now
                urgent = true
            }
            let seconds = Double(now - fileStarted) / 1e9
            let rate = seconds > 0.5 ? ", \(Self.count(Int(Double(records) / seconds)))/s" : ""
            text = "importing \(OutputEncoding.safeFileName(name)): \(Self.count(records)) records\(rate)"
        case .sourcing:
            text = "sourcing and reserving the open orders"
            urgent = true
        case .writing(let documents, let written):
            text = "writing \(documents): \(Self.count(written)) files written so far"
            urgent = !shown.hasPrefix("writing \(documents)")
        }
        guard urgent || now - lastDraw >= 100_000_000 else { return }
        lastDraw = now
        shown = text
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    /// Clears the line, before the run's summary is printed.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !shown.isEmpty else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = ""
    }

    /// `12345` as `12,345`.
    static func count(_ number: Int) -> String {
        let digits = String(number)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return grouped
    }
}
