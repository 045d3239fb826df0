import Foundation
import Glibc
package import Logging
package import OmnihubCore
package import OmnihubStore

/// What a partner that pulls may do over HTTP: list the documents new to it, download one,
/// acknowledge it (so it is never listed as new again), and upload its own files into its inbox.
///
/// Every request names the partner and carries its token; a token opens that partner's documents
/// alone (compared in constant time), and no part of a request becomes a path: documents are
/// found by id in the store, uploads get a checked name in the partner's own feed folder.
package struct PartnerPull: Sendable {
    let configuration: Configuration
    let store: OrderStore
    let logger: Logger
    let now: @Sendable () -> Timestamp

    package init(
        configuration: Configuration, store: OrderStore, logger: Logger,
        now: @escaping @Sendable () -> Timestamp = SystemClock.now
    ) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.now = now
    }

    /// Why a request is refused, with its HTTP status.
    package enum Refusal: Error, Sendable, Hashable {
        /// No token, or not a bearer token (401).
        case unauthenticated
        /// A token that is not this partner's (403).
        case forbidden
        /// No such partner, document or feed for this partner (404).
        case notFound(String)
        /// A file of the name is already in the inbox (409).
        case conflict(String)
        /// A name or body that cannot be taken (400, 413).
        case badRequest(String)
        case tooLarge(Int)

        package var status: Int {
            switch self {
            case .unauthenticated: 401
            case .forbidden: 403
            case .notFound: 404
            case .conflict: 409
            case .badRequest: 400
            case .tooLarge: 413
            }
        }

        package var message: String {
            switch self {
            case .unauthenticated: "send the partner's token as Authorization: Bearer <token>"
            case .forbidden: "this token does not open this partner's documents"
            case .notFound(let what): "\(what) is not there"
            case .conflict(let name): "\(name) is already in the inbox; send it under another name"
            case .badRequest(let why): why
            case .tooLarge(let limit): "an upload may have at most \(limit) bytes"
            }
        }
    }

    /// A document as the listing shows it.
    package struct Listed: Sendable, Codable, Hashable {
        package var id: Int64
        package var number: String
        package var kind: String
        package var name: String
        package var destination: String
        package var createdAt: String
    }

    /// The largest upload taken.
    package static let uploadLimit = 64 << 20

    /// The partner the request may act for: it must exist, pull, and the token must be its own.
    package func authorize(partner id: String, authorization: String?) throws(Refusal) -> Configuration.Partner {
        guard let partner = configuration.partner(id), let pull = partner.pull else {
            throw .notFound("partner \(id)")
        }
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { throw .unauthenticated }
        let offered = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let token = pull.token, token.matches(offered) else {
            logger.warning(
                "a request for \(id)'s documents carried another token; refused", metadata: ["partner": "\(id)"])
            throw .forbidden
        }
        return partner
    }

    private func endpointID(_ partner: Configuration.Partner) -> String { "\(partner.id)/pull" }

    /// The documents not yet acknowledged by the partner, oldest first.
    package func newDocuments(for partner: Configuration.Partner, limit: Int = 500) throws -> [Listed] {
        var listed: [Listed] = []
        for destination in partner.pull?.destinations ?? [] {
            for document in try store.transfers.waitingDocuments(
                destination: destination, endpoint: endpointID(partner), limit: limit)
            {
                listed.append(
                    Listed(
                        id: document.id, number: document.number, kind: document.kind.rawValue,
                        name: (document.path as NSString).lastPathComponent, destination: destination,
                        createdAt: document.createdAt))
            }
        }
        return Array(listed.sorted { $0.id < $1.id }.prefix(limit))
    }

    /// One of the partner's documents, with its bytes and file name.
    package func document(_ id: Int64, for partner: Configuration.Partner) throws -> (name: String, bytes: [UInt8]) {
        guard
            let (document, bytes) = try store.transfers.writtenDocument(
                id: id, destinations: partner.pull?.destinations ?? [])
        else { throw Refusal.notFound("document \(id)") }
        return ((document.path as NSString).lastPathComponent, bytes)
    }

    /// Records that the partner has the document: it is not listed as new again.
    package func acknowledge(_ id: Int64, for partner: Configuration.Partner) throws {
        let (name, _) = try document(id, for: partner)
        try store.transfers.recordDelivery(documentID: id, endpoint: endpointID(partner), remoteName: name, at: now())
        try store.transfers.recordPoll(
            endpointID(partner), partner: partner.id, direction: .outbound, .succeeded(files: 1, bytes: 0), at: now())
        logger.info("\(partner.id) acknowledged \(name)", metadata: ["partner": "\(partner.id)"])
    }

    /// Puts an uploaded file into the partner's upload feed folder, under a temporary name first.
    package func receive(_ bytes: [UInt8], named name: String, from partner: Configuration.Partner) throws {
        guard let feedName = partner.pull?.uploadFeed, let feed = partner.feeds.first(where: { $0.name == feedName })
        else { throw Refusal.notFound("an upload feed for \(partner.id)") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard !name.isEmpty, name.count <= 200, name.allSatisfy(allowed.contains), !name.hasPrefix("."),
            !name.contains("..")
        else {
            throw Refusal.badRequest("'\(name)' is not a file name of letters, digits, '-', '_' and '.'")
        }
        guard fnmatch(feed.pattern, name, 0) == 0 else {
            throw Refusal.badRequest("'\(name)' does not match the feed's pattern \(feed.pattern)")
        }
        let target = (feed.folder as NSString).appendingPathComponent(name)
        guard !FileManager.default.fileExists(atPath: target) else { throw Refusal.conflict(name) }
        try FileManager.default.createDirectory(atPath: feed.folder, withIntermediateDirectories: true)
        let temporary = (feed.folder as NSString).appendingPathComponent(".\(name).\(getpid()).tmp")
        try FileMover.writeAtomically(Data(bytes), to: temporary)
        do {
            try FileMover.move(temporary, to: target)
        } catch {
            unlink(temporary)
            throw Refusal.conflict(name)
        }
        try store.transfers.recordPoll(
            "\(partner.id)/upload", partner: partner.id, direction: .inbound,
            .succeeded(files: 1, bytes: Int64(bytes.count)), at: now())
        logger.info("\(partner.id) uploaded \(name) (\(bytes.count) bytes)", metadata: ["partner": "\(partner.id)"])
    }
}
