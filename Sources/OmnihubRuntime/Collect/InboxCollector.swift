import Foundation
import Logging

/// The collect stage: which files of a feed's inbox are ready to import. Links, FIFOs and names
/// that are not UTF-8 are refused (and reported every cycle); files still changing wait.
struct InboxCollector: Sendable {
    let stability: StabilityCheck
    let logger: Logger

    /// The stable files of `feed`, oldest first; refused entries and files still changing are
    /// added to `report`.
    func collect(_ feed: Configuration.Feed, of partner: Configuration.Partner, into report: inout CycleReport)
        -> [String]
    {
        let listing = InboxScanner.scan(feed.folder, pattern: feed.pattern)
        for (name, reason) in listing.refused {
            logger.warning(
                "\(name) in \(feed.folder) is not taken: \(reason)", metadata: ["partner": "\(partner.id)"])
            report.refused.append(
                CycleReport.Failure(path: (feed.folder as NSString).appendingPathComponent(name), message: reason))
        }
        let candidates = listing.candidates
        let stable = stability.stableFiles(candidates)
        report.waiting += candidates.count - stable.count
        if candidates.count > stable.count {
            logger.info(
                "\(candidates.count - stable.count) file(s) in \(feed.folder) are still changing; next cycle",
                metadata: ["partner": "\(partner.id)"])
        }
        return stable.map(\.0)
    }
}
