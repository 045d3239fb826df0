import Foundation
import Glibc

@testable import OmnihubRuntime

/// A scratch folder removed when the value is let go of.
final class ScratchFolder: @unchecked Sendable {
    let path: String

    init(_ label: String) throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func folder(_ name: String) throws -> String {
        let folder = path + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Why a loopback server could not be started.
struct ServerStartFailure: Error, CustomStringConvertible {
    let description: String
}

/// 127.0.0.1 at `port` (0: any free one).
func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return address
}

/// A free TCP port on loopback, as the kernel hands one out.
func freeLoopbackPort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            Glibc.bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
        }
    }
    guard bound else { throw ServerStartFailure(description: "no free port: \(String(cString: strerror(errno)))") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A socket bound to the loopback port without listening, or -1 when the port is taken.
func holdPort(_ port: Int) -> Int32 {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = loopbackAddress(port: port)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
    guard bound else {
        close(socket)
        return -1
    }
    return socket
}

/// Whether something accepts connections on the loopback port.
func acceptsConnections(_ port: Int) -> Bool {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = loopbackAddress(port: port)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

/// Runs a command to its end and returns what it printed; throws when it fails.
@discardableResult
func runTool(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw ServerStartFailure(description: "\(path) \(arguments.joined(separator: " ")) failed: \(text)")
    }
    return text
}

/// A server process on a loopback port that a test starts, stops and starts again.
///
/// Started with posix_spawn rather than Foundation's `Process`: on Linux, `Process` reaps its
/// children from one monitor thread that can block in `wait4` on a server that is still running,
/// and then never sees the omnihub process a test runs beside it end.
class LoopbackServer: @unchecked Sendable {
    let port: Int
    let scratch: ScratchFolder
    /// Guards `pid` and `portHolder`: a test may stop the server from another thread.
    private let lock = NSLock()
    private var pid: pid_t = 0
    /// While the server is stopped, a socket bound to its port (not listening): connections are
    /// refused as from a server that is gone, and no other test's server can take the port.
    private var portHolder: Int32 = -1

    init(scratch: ScratchFolder, port: Int) {
        self.scratch = scratch
        self.port = port
    }

    /// The command that runs the server in the foreground.
    func command() -> (String, [String]) { fatalError("a server names its command") }

    func start() throws {
        lock.lock()
        defer { lock.unlock() }
        if portHolder >= 0 {
            close(portHolder)
            portHolder = -1
        }
        let (path, arguments) = command()
        let log = scratch.path + "/server.log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process: a file another test has open for writing at this
        // moment would stay open in the server for as long as it runs, and the inbox would take
        // that file for one a partner is still writing.
        guard closeFrom(&actions, 3) == 0 else {
            throw ServerStartFailure(description: "posix_spawn cannot close the test process's files in \(path)")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The test runner blocks signals in its threads; the server must not inherit that mask.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        // A process group of its own, so stopping the server also ends the sessions it forked.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw ServerStartFailure(description: "\(path) could not be started: \(String(cString: strerror(spawned)))")
        }
        pid = child
        let deadline = Date().addingTimeInterval(10)
        while !acceptsConnections(port) {
            var status: Int32 = 0
            let ended = waitpid(child, &status, WNOHANG) == child
            guard !ended, Date() < deadline else {
                if !ended { kill(child, SIGKILL) }
                pid = 0
                let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw ServerStartFailure(description: "\(path) did not start on port \(port): \(said)")
            }
            usleep(20_000)
        }
    }

    /// Kills the server and the sessions it forked, as a crash or a pulled cable would, and waits
    /// for it to end: the port refuses connections afterwards, and open transfers break off.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard pid > 0 else { return }
        // sshd's sessions run in processes of their own session (setsid); they are found by parent.
        for child in descendants(of: pid) { kill(child, SIGKILL) }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        pid = 0
        portHolder = holdPort(port)
    }

    deinit {
        stop()
        lock.withLock {
            if portHolder >= 0 { close(portHolder) }
        }
    }
}

/// The processes below `parent`, children first, read from /proc.
func descendants(of parent: pid_t) -> [pid_t] {
    var children: [pid_t: [pid_t]] = [:]
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
        guard let pid = pid_t(entry),
            let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { continue }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        if fields.count > 1, let parentID = pid_t(fields[1]) { children[parentID, default: []].append(pid) }
    }
    var found: [pid_t] = []
    var queue = children[parent] ?? []
    while let next = queue.popLast() {
        found.append(next)
        queue += children[next] ?? []
    }
    return found
}

/// OpenSSH's sshd with its SFTP subsystem, a host key and a user key made for the test; the
/// test's own user logs in with the key.
final class SFTPServer: LoopbackServer, @unchecked Sendable {
    let userKey: String
    let hostKeyFingerprint: String
    let knownHosts: String
    let user: String

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") else {
            throw ServerStartFailure(
                description: "/usr/sbin/sshd is missing; scripts/setup-test-servers.sh installs it")
        }
        let scratch = try ScratchFolder("sshd")
        let keys = try scratch.folder("keys")
        try runTool("/usr/bin/ssh-keygen", ["-q", "-t", "ecdsa", "-N", "", "-f", keys + "/host_key"])
        try runTool("/usr/bin/ssh-keygen", ["-q", "-t", "ecdsa", "-m", "PEM", "-N", "", "-f", keys + "/user_key"])
        try FileManager.default.copyItem(atPath: keys + "/user_key.pub", toPath: keys + "/authorized_keys")
        let printed = try runTool("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", keys + "/host_key.pub"])
        hostKeyFingerprint = printed.split(separator: " ").first { $0.hasPrefix("SHA256:") }.map(String.init) ?? ""
        userKey = keys + "/user_key"
        user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        let port = try freeLoopbackPort()
        let hostKey = try String(contentsOfFile: keys + "/host_key.pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        knownHosts = keys + "/known_hosts"
        try "[127.0.0.1]:\(port) \(hostKey)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
        try """
        ListenAddress 127.0.0.1
        Port \(port)
        HostKey \(keys)/host_key
        PidFile \(scratch.path)/sshd.pid
        AuthorizedKeysFile \(keys)/authorized_keys
        StrictModes no
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PermitRootLogin prohibit-password
        Subsystem sftp internal-sftp
        LogLevel ERROR

        """.write(toFile: scratch.path + "/sshd_config", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: scratch.path + "/server.log", contents: nil)
        // sshd wants its privilege separation folder, which a system sshd would have made.
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        super.init(scratch: scratch, port: port)
        try start()
    }

    override func command() -> (String, [String]) {
        ("/usr/sbin/sshd", ["-D", "-e", "-f", scratch.path + "/sshd_config"])
    }

    /// An endpoint for `folder` on this server, logged in with the user key and the host key pinned.
    func endpoint(_ folder: String, hostKey: Endpoint.HostKey? = nil) -> Endpoint {
        var endpoint = Endpoint(url: "sftp://127.0.0.1:\(port)\(folder)/", scheme: .sftp)
        endpoint.user = user
        endpoint.privateKey = userKey
        endpoint.hostKey = hostKey ?? .sha256(hostKeyFingerprint)
        endpoint.connectSeconds = 5
        endpoint.stallSeconds = 5
        return endpoint
    }
}

/// pyftpdlib's FTP server, serving one folder to one user with a password; with `tls`, FTPS
/// (explicit TLS, required on the control and data connections) with a certificate made for it.
final class FTPServer: LoopbackServer, @unchecked Sendable {
    let root: String
    let password = "ftp-\(UUID().uuidString.prefix(12))"
    /// The server's certificate, which a client trusts as its CA file; `nil` without TLS.
    let certificate: String?

    init(tls: Bool = false) throws {
        let scratch = try ScratchFolder("ftpd")
        root = try scratch.folder("root")
        if tls {
            let certificate = scratch.path + "/cert.pem"
            try runTool(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", scratch.path + "/key.pem", "-out", certificate,
                ])
            self.certificate = certificate
        } else {
            certificate = nil
        }
        _ = FileManager.default.createFile(atPath: scratch.path + "/server.log", contents: nil)
        super.init(scratch: scratch, port: try freeLoopbackPort())
        try start()
    }

    override func command() -> (String, [String]) {
        (
            "/usr/bin/env",
            [
                "python3", "-m", "pyftpdlib", "-i", "127.0.0.1", "-p", "\(port)", "-w", "-d", root, "-u", "omnihub",
                "-P", password,
            ]
                + (certificate.map {
                    [
                        "--tls", "--certfile", $0, "--keyfile", scratch.path + "/key.pem", "--tls-control-required",
                        "--tls-data-required",
                    ]
                } ?? [])
        )
    }

    func endpoint(_ folder: String, password: String? = nil) -> Endpoint {
        let scheme: Endpoint.Scheme = certificate == nil ? .ftp : .ftps
        var endpoint = Endpoint(url: "\(scheme.rawValue)://127.0.0.1:\(port)\(folder)/", scheme: scheme)
        endpoint.caFile = certificate
        endpoint.user = "omnihub"
        endpoint.password = Secret(value: password ?? self.password, source: "the test")
        endpoint.connectSeconds = 5
        endpoint.stallSeconds = 5
        return endpoint
    }
}

/// A partner's HTTP server (`Servers/http_partner_server.py`): a feed with an ETag, and an
/// upload folder that refuses a name that is there.
final class HTTPPartnerServer: LoopbackServer, @unchecked Sendable {
    let root: String

    init() throws {
        let scratch = try ScratchFolder("httpd")
        root = try scratch.folder("root")
        _ = FileManager.default.createFile(atPath: scratch.path + "/server.log", contents: nil)
        super.init(scratch: scratch, port: try freeLoopbackPort())
        try start()
    }

    override func command() -> (String, [String]) {
        let script = repositoryRoot.appendingPathComponent("Tests/OmnihubRuntimeTests/Servers/http_partner_server.py")
        return ("/usr/bin/env", ["python3", script.path, "\(port)", root])
    }

    /// The requests the server saw, one line each.
    var requests: [String] {
        ((try? String(contentsOfFile: root + "/requests.log", encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    /// Makes every answer a 503 until `failing` is set back.
    var failing: Bool {
        get { FileManager.default.fileExists(atPath: root + "/fail") }
        set {
            if newValue {
                _ = FileManager.default.createFile(atPath: root + "/fail", contents: Data())
            } else {
                try? FileManager.default.removeItem(atPath: root + "/fail")
            }
        }
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Glibc module
/// does not import.
private let closeFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
        fatalError("this C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later has)")
    }
    return unsafeBitCast(
        symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
}()
