import Foundation
import Testing

@testable import OmnihubRuntime

/// The folder operations against real servers on loopback: OpenSSH's sshd (SFTP), pyftpdlib (FTP)
/// and a local `file://` folder, each with the same rules.
@Suite("Remote folders", .serialized)
struct RemoteFolderTests {
    /// Runs the operations every folder kind must support, on `folder` whose files live in `disk`.
    private func exercise(_ folder: any RemoteFolder, disk: String) throws {
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: disk + "/orders-1.csv"))
        try FileManager.default.createDirectory(atPath: disk + "/archive", withIntermediateDirectories: true)
        try Data("hidden".utf8).write(to: URL(fileURLWithPath: disk + "/.orders-2.csv.part"))

        #expect(try folder.names() == ["orders-1.csv"])
        let file = try #require(try folder.stat("orders-1.csv"))
        #expect(file.size == 8)
        #expect(file.modified > 1_700_000_000)
        #expect(try folder.stat("missing.csv") == nil)
        #expect(try folder.read("orders-1.csv", limit: 100) == Array("a,b\n1,2\n".utf8))
        #expect(throws: TransportError.self) { try folder.read("orders-1.csv", limit: 4) }

        try folder.upload(Array("pick list".utf8), as: "picks-1.csv", via: ".picks-1.csv.part")
        #expect(try String(contentsOfFile: disk + "/picks-1.csv", encoding: .utf8) == "pick list")
        #expect(!FileManager.default.fileExists(atPath: disk + "/.picks-1.csv.part"))

        // A file of the name is never overwritten: the upload is refused and the file unchanged.
        let clash = #expect(throws: TransportError.self) {
            try folder.upload(Array("other".utf8), as: "picks-1.csv", via: ".picks-1.csv.part")
        }
        #expect(clash?.code == .alreadyThere)
        #expect(try String(contentsOfFile: disk + "/picks-1.csv", encoding: .utf8) == "pick list")

        try folder.move("orders-1.csv", into: "done")
        #expect(FileManager.default.fileExists(atPath: disk + "/done/orders-1.csv"))
        #expect(!FileManager.default.fileExists(atPath: disk + "/orders-1.csv"))
        try folder.remove("picks-1.csv")
        #expect(!FileManager.default.fileExists(atPath: disk + "/picks-1.csv"))
    }

    @Test("SFTP: list, stat, download, upload and rename, no overwrite, move, delete")
    func sftp() throws {
        let server = try SFTPServer()
        let disk = try server.scratch.folder("outgoing")
        try exercise(try server.endpoint(disk).folder(), disk: disk)
    }

    @Test("SFTP: the host key pinned in a known_hosts file is accepted")
    func knownHosts() throws {
        let server = try SFTPServer()
        let disk = try server.scratch.folder("outgoing")
        try Data("x".utf8).write(to: URL(fileURLWithPath: disk + "/a.csv"))
        let folder = try server.endpoint(disk, hostKey: .knownHosts(server.knownHosts)).folder()
        #expect(try folder.names() == ["a.csv"])
    }

    @Test("SFTP: a server whose host key is not the pinned one is refused, permanently")
    func wrongHostKey() throws {
        let server = try SFTPServer()
        let disk = try server.scratch.folder("outgoing")
        let other =
            "SHA256:" + Data((0..<32).map { UInt8($0) }).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let error = #expect(throws: TransportError.self) {
            _ = try server.endpoint(disk, hostKey: .sha256(other)).folder().names()
        }
        #expect(error?.code == .hostKeyMismatch)
        #expect(error?.isTransient == false)

        let wrongKnownHosts = server.scratch.path + "/other_known_hosts"
        try
            "[127.0.0.1]:\(server.port) ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=\n"
            .write(toFile: wrongKnownHosts, atomically: true, encoding: .utf8)
        let mismatch = #expect(throws: TransportError.self) {
            _ = try server.endpoint(disk, hostKey: .knownHosts(wrongKnownHosts)).folder().names()
        }
        #expect(mismatch?.isTransient == false)
    }

    @Test("SFTP: a server that is gone is a transient failure")
    func serverGone() throws {
        let server = try SFTPServer()
        let disk = try server.scratch.folder("outgoing")
        server.stop()
        let error = #expect(throws: TransportError.self) { _ = try server.endpoint(disk).folder().names() }
        #expect(error?.code == .unreachable, "\(String(describing: error))")
        #expect(error?.isTransient == true)
        try server.start()
        #expect(try server.endpoint(disk).folder().names() == [])
    }

    @Test("FTP: the same operations, logged in with a password from a secret")
    func ftp() throws {
        let server = try FTPServer()
        let disk = server.root + "/outgoing"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try exercise(try server.endpoint("/outgoing").folder(), disk: disk)
    }

    @Test("FTP: a refused login is permanent and its error does not carry the password")
    func ftpLoginRefused() throws {
        let server = try FTPServer()
        let wrong = "wrong-\(UUID().uuidString)"
        let error = #expect(throws: TransportError.self) {
            _ = try server.endpoint("/", password: wrong).folder().names()
        }
        #expect(error?.code == .loginRefused)
        #expect(error?.isTransient == false)
        #expect(error.map { !"\($0)".contains(wrong) && !"\($0)".contains(server.password) } == true)
    }

    @Test("FTPS: the same operations over explicit TLS, the server's certificate checked")
    func ftps() throws {
        let server = try FTPServer(tls: true)
        let disk = server.root + "/outgoing"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try exercise(try server.endpoint("/outgoing").folder(), disk: disk)

        // A certificate the client does not trust: refused, permanently.
        var untrusted = server.endpoint("/outgoing")
        untrusted.caFile = nil
        let error = #expect(throws: TransportError.self) { _ = try untrusted.folder().names() }
        #expect(error?.code == .hostKeyMismatch)
        #expect(error?.isTransient == false)
        // Plain FTP to a server that requires TLS does not get in.
        var plain = server.endpoint("/outgoing")
        plain.scheme = .ftp
        plain.url = "ftp://127.0.0.1:\(server.port)/outgoing/"
        #expect(throws: TransportError.self) { _ = try plain.folder().names() }
    }

    @Test("file://: the same operations on a local folder")
    func localFolder() throws {
        let scratch = try ScratchFolder("file-endpoint")
        let disk = try scratch.folder("share")
        try exercise(try Endpoint(url: "file://\(disk)/", scheme: .file).folder(), disk: disk)
    }
}
