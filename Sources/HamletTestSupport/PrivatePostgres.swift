import Foundation

/// A PostgreSQL server of the test's own: `initdb --no-sync` into a temporary folder, then `postgres` listening on
/// a Unix socket in that folder and on no TCP port; stopped (and the folder removed) by `stop()`, which tests call
/// from their tear-down so that it happens even when they fail. `initdb` and `postgres` refuse to run as root, as
/// CI runs: then they run as the `postgres` user through `setpriv`, which (unlike `runuser`) replaces itself with
/// the program, so the process this harness holds and signals is the server itself. The server's output goes to a
/// file: a pipe would keep a reader waiting as long as the server lives. When there can be no server it throws
/// `Unavailable`, which a test turns into a skip except under CI (`XCTestCase.privatePostgres()` in each target).
public final class PrivatePostgres {
    public let folder: URL
    /// The server's superuser, which the tests connect as.
    public let superuser = "hamlet"
    /// The TCP port on loopback, when the server listens on one (`tcp`), else the port its socket is named by.
    public let port: Int
    private let listensOnTCP: Bool
    private let tls: Bool
    private var server: Process?
    private let binaries: URL

    /// The server's socket folder as a libpq URL's `host=`.
    public var url: String { "postgresql://\(superuser)@/postgres?host=\(folder.path)&port=\(port)" }
    /// The server's TCP address as a URL (with `tcp`).
    public var tcpURL: String { "postgresql://\(superuser)@127.0.0.1:\(port)/postgres" }
    public var log: String {
        (try? String(contentsOf: folder.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    /// Starts a server, or throws `Unavailable` saying why there can be none. With `password`, every connection
    /// must give it (SCRAM); with `tcp`, it also listens on a free loopback port; with `tls`, there with TLS on
    /// (a self-signed certificate made here by `openssl`).
    public init(password: String? = nil, tcp: Bool = false, tls: Bool = false) throws {
        guard let binaries = Self.binaries() else {
            throw Self.unavailable("PostgreSQL's server programs are not installed (Debian package postgresql)")
        }
        self.binaries = binaries
        listensOnTCP = tcp || tls
        self.tls = tls
        port = listensOnTCP ? TestSupport.freeLoopbackPort() : 5432
        folder = try TestSupport.temporaryDirectory("postgres")
        if getuid() == 0 {
            guard let account = getpwnam("postgres") else {
                TestSupport.remove(folder)
                throw Self.unavailable("running as root and there is no postgres user to run the server as")
            }
            chown(folder.path, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        let data = folder.appendingPathComponent("data").path
        var authentication = ["-A", "trust"]
        if let password {
            let file = folder.appendingPathComponent("superuser-password")
            try password.write(to: file, atomically: true, encoding: .utf8)
            if getuid() == 0 { chown(file.path, Self.postgresAccount.uid, Self.postgresAccount.gid) }
            authentication = ["-A", "scram-sha-256", "--pwfile", file.path]
        }
        let initdb = try Self.launch(
            command("initdb", ["--no-sync"] + authentication + ["-U", "hamlet", "-D", data]),
            log: folder.appendingPathComponent("initdb.log"))
        initdb.waitUntilExit()
        guard initdb.terminationStatus == 0 else {
            let output = (try? String(contentsOf: folder.appendingPathComponent("initdb.log"), encoding: .utf8)) ?? ""
            TestSupport.remove(folder)
            throw Self.unavailable("initdb failed: \(output)")
        }
        do {
            if tls { try makeCertificate() }
            try startServer()
        } catch {
            stop()
            throw error
        }
    }

    /// Starts `postgres` on the data folder and waits until it accepts connections.
    private func startServer() throws {
        let data = folder.appendingPathComponent("data").path
        var settings = ["-c", "fsync=off", "-p", String(port)]
        settings += ["-c", "listen_addresses=" + (listensOnTCP ? "127.0.0.1" : "")]
        if tls { settings += ["-c", "ssl=on", "-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key"] }
        let started = try Self.launch(
            command("postgres", ["-D", data, "-k", folder.path] + settings),
            log: folder.appendingPathComponent("server.log"))
        server = started
        let socket = folder.appendingPathComponent(".s.PGSQL.\(port)").path
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: socket) || !log.contains("ready to accept connections") {
            guard started.isRunning, Date() < deadline else {
                throw Self.unavailable("the private PostgreSQL server did not start: \(log)")
            }
            usleep(20_000)
        }
    }

    /// A self-signed certificate and its key in the data folder, readable by the server alone.
    private func makeCertificate() throws {
        let data = folder.appendingPathComponent("data")
        let openssl = try Self.launch(
            (
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", data.appendingPathComponent("server.key").path,
                    "-out", data.appendingPathComponent("server.crt").path
                ]
            ), log: folder.appendingPathComponent("openssl.log"))
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            throw Self.unavailable("openssl could not make a certificate (Debian package openssl)")
        }
        for name in ["server.key", "server.crt"] {
            let path = data.appendingPathComponent(name).path
            chmod(path, 0o600)
            if getuid() == 0 { chown(path, Self.postgresAccount.uid, Self.postgresAccount.gid) }
        }
    }

    /// The `postgres` account's ids (when running as root).
    static var postgresAccount: (uid: uid_t, gid: gid_t) {
        guard let account = getpwnam("postgres") else { return (0, 0) }
        return (account.pointee.pw_uid, account.pointee.pw_gid)
    }

    /// The server's program and arguments: through `setpriv` as `postgres` when this process is root.
    private func command(_ program: String, _ arguments: [String]) -> (path: String, arguments: [String]) {
        let path = binaries.appendingPathComponent(program).path
        guard getuid() == 0 else { return (path, arguments) }
        return ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", path] + arguments)
    }

    /// Stops the server (a fast shutdown) and keeps its data, for `restart()`: a server going away under a client.
    public func pause() {
        guard let server, server.isRunning else { return }
        kill(server.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(10)
        while server.isRunning && Date() < deadline { usleep(10_000) }
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        server.waitUntilExit()
    }

    /// Starts the server again on the same data after `pause()`.
    public func restart() throws {
        pause()
        // The new server's "ready" line must not be taken from the old one's log.
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("server.log"))
        try startServer()
    }

    static func unavailable(_ why: String) -> Error { Unavailable(reason: why) }

    /// Why there can be no server here.
    public struct Unavailable: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
        public init(reason: String) { self.reason = reason }
    }

    /// Starts `program` with its output going to `log`.
    static func launch(_ command: (path: String, arguments: [String]), log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command.path)
        process.arguments = command.arguments
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Stops the server (fast shutdown, then SIGKILL if it lingers) and removes its folder.
    public func stop() {
        pause()
        TestSupport.remove(folder)
    }

    /// The folder of PostgreSQL's programs: Debian keeps them off PATH, under /usr/lib/postgresql/VERSION/bin.
    public static func binaries() -> URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = root.appendingPathComponent(version).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("postgres").path) { return bin }
        }
        return nil
    }
}
