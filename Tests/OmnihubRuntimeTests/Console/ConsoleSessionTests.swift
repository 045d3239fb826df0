import Foundation
import OmnihubConsole
import OmnihubCore
import Testing

/// The signed session cookie, its CSRF tokens, and the sign-in throttle.
@Suite("Console sessions")
struct ConsoleSessionTests {
    let now = Timestamp(millisecondsSince1970: 1_796_000_000_000)
    var later: Timestamp { Timestamp(millisecondsSince1970: now.millisecondsSince1970 + 3_600_000) }

    @Test("a sealed session opens again with the same key, and with no other")
    func roundTrip() {
        let seal = SessionSeal(secret: String(repeating: "k", count: 40))
        let session = ConsoleSession(subject: .operator(name: "anna", role: "care"), expires: later)
        let value = seal.cookieValue(for: session)
        #expect(seal.session(from: value, at: now) == session)
        #expect(SessionSeal(secret: String(repeating: "k", count: 40)).session(from: value, at: now) == session)
        #expect(SessionSeal(secret: String(repeating: "x", count: 40)).session(from: value, at: now) == nil)
        #expect(SessionSeal(secret: nil).session(from: value, at: now) == nil)
    }

    @Test("a changed, cut or expired cookie opens nothing")
    func tampering() throws {
        let seal = SessionSeal(secret: nil)
        let session = ConsoleSession(subject: .operator(name: "anna", role: "viewer"), expires: later)
        let value = seal.cookieValue(for: session)
        let parts = value.split(separator: ".").map(String.init)
        // The same signature over a payload that makes anna an admin.
        let forged = ConsoleSession(
            subject: .operator(name: "anna", role: "admin"), expires: later, nonce: session.nonce)
        let forgedPayload = try #require(seal.cookieValue(for: forged).split(separator: ".").first)
        #expect(seal.session(from: "\(forgedPayload).\(parts[1])", at: now) == nil)
        #expect(seal.session(from: parts[0], at: now) == nil)
        #expect(seal.session(from: value + "A", at: now) == nil)
        #expect(seal.session(from: "", at: now) == nil)
        #expect(seal.session(from: value, at: later) == nil)
    }

    @Test("a signature spelled with the unused bits of its last character set is refused")
    func canonicalSpelling() {
        // 32 signature bytes take 43 base64url characters; the last carries 4 bits and 2 unused.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let seal = SessionSeal(secret: nil)
        for _ in 0..<8 {
            let session = ConsoleSession(subject: .operator(name: "anna", role: "viewer"), expires: later)
            let value = seal.cookieValue(for: session)
            let last = value.last.flatMap { alphabet.firstIndex(of: $0) } ?? 0
            let sameBytes = String(value.dropLast()) + String(alphabet[last ^ 1])
            #expect(seal.session(from: value, at: now) == session)
            #expect(seal.session(from: sameBytes, at: now) == nil, "\(sameBytes)")
            let token = seal.csrfToken(for: session)
            let tokenLast = token.last.flatMap { alphabet.firstIndex(of: $0) } ?? 0
            #expect(!seal.isValidCSRF(String(token.dropLast()) + String(alphabet[tokenLast ^ 1]), for: session))
        }
    }

    @Test("a CSRF token belongs to one session")
    func csrf() {
        let seal = SessionSeal(secret: nil)
        let mine = ConsoleSession(subject: .partner(id: "dropship-nordic"), expires: later)
        let theirs = ConsoleSession(subject: .partner(id: "dropship-nordic"), expires: later)
        let token = seal.csrfToken(for: mine)
        #expect(seal.isValidCSRF(token, for: mine))
        #expect(!seal.isValidCSRF(token, for: theirs))
        #expect(!seal.isValidCSRF(nil, for: mine))
        #expect(!seal.isValidCSRF("", for: mine))
        #expect(!seal.isValidCSRF(String(token.dropLast()), for: mine))
    }

    @Test("five failed sign-ins lock a name for the window; a success clears it; other names go on")
    func throttle() {
        let throttle = LoginThrottle(limit: 5, window: .seconds(900))
        for minute in 0..<4 {
            throttle.recordFailure(
                "anna", at: Timestamp(millisecondsSince1970: now.millisecondsSince1970 + Int64(minute) * 60_000))
            #expect(throttle.blockedUntil("anna", at: now) == nil)
        }
        throttle.recordFailure("anna", at: now)
        #expect(
            throttle.blockedUntil("anna", at: now)
                == Timestamp(millisecondsSince1970: now.millisecondsSince1970 + 900_000))
        #expect(throttle.blockedUntil("ben", at: now) == nil)
        let afterWindow = Timestamp(millisecondsSince1970: now.millisecondsSince1970 + 900_001 + 3 * 60_000)
        #expect(throttle.blockedUntil("anna", at: afterWindow) == nil)
        throttle.recordFailure("ben", at: now)
        throttle.recordSuccess("ben")
        for _ in 0..<4 { throttle.recordFailure("ben", at: now) }
        #expect(throttle.blockedUntil("ben", at: now) == nil)
    }
}
