import Foundation
import HamletTestSupport
import XCTest

/// A PostgreSQL server of the test's own: `initdb --no-sync` into a temporary folder, then `postgres` listening on
/// a Unix socket in that folder and on no TCP port; stopped (and the folder removed) by `stop()`, which tests call
/// from their tear-down so that it happens even when they fail. `initdb` and `postgres` refuse to run as root, as
/// CI runs: then they run as the `postgres` user through `setpriv`, which (unlike `runuser`) replaces itself with
/// the program, so the process this harness holds and signals is the server itself. The server's output goes to a
/// file: a pipe would keep a reader waiting as long as the server lives.
final class PrivatePostgres {
    let folder: URL
    /// The server's superuser, which the tests connect as.
    let superuser = "hamlet"
    private let server: Process

    /// The server's socket folder as a libpq URL's `host=`.
    var url: String { "postgresql://\(superuser)@/postgres?host=\(folder.path)" }
    var log: String { (try? String(contentsOf: folder.appendingPathComponent("server.log"), encoding: .utf8)) ?? "" }

    /// Starts a server, or skips the test when PostgreSQL is not installed (fails under CI, which installs it).
    init() throws {
        guard let binaries = Self.binaries() else {
            let why = "PostgreSQL's server programs are not installed (Debian package postgresql)"
            if TestSupport.isCI { XCTFail(why) }
            throw XCTSkip(why)
        }
        folder = try TestSupport.temporaryDirectory("postgres")
        let asRoot = getuid() == 0
        if asRoot {
            guard let account = getpwnam("postgres") else {
                TestSupport.remove(folder)
                throw XCTSkip("running as root and there is no postgres user to run the server as")
            }
            chown(folder.path, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        func command(_ program: String, _ arguments: [String]) -> (String, [String]) {
            let path = binaries.appendingPathComponent(program).path
            guard asRoot else { return (path, arguments) }
            return ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", path] + arguments)
        }
        let data = folder.appendingPathComponent("data").path
        let initdb = Process()
        (initdb.executableURL, initdb.arguments) = {
            let (path, arguments) = command("initdb", ["--no-sync", "-A", "trust", "-U", "hamlet", "-D", data])
            return (URL(fileURLWithPath: path), arguments)
        }()
        let initLog = folder.appendingPathComponent("initdb.log")
        _ = FileManager.default.createFile(atPath: initLog.path, contents: nil)
        initdb.standardOutput = try FileHandle(forWritingTo: initLog)
        initdb.standardError = initdb.standardOutput
        initdb.standardInput = FileHandle.nullDevice
        try initdb.run()
        initdb.waitUntilExit()
        guard initdb.terminationStatus == 0 else {
            let output = (try? String(contentsOf: initLog, encoding: .utf8)) ?? ""
            TestSupport.remove(folder)
            throw XCTSkip("initdb failed: \(output)")
        }
        server = Process()
        let (path, arguments) = command(
            "postgres", ["-D", data, "-k", folder.path, "-c", "listen_addresses=", "-c", "fsync=off"])
        server.executableURL = URL(fileURLWithPath: path)
        server.arguments = arguments
        let serverLog = folder.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: serverLog.path, contents: nil)
        server.standardOutput = try FileHandle(forWritingTo: serverLog)
        server.standardError = server.standardOutput
        server.standardInput = FileHandle.nullDevice
        try server.run()
        let socket = folder.appendingPathComponent(".s.PGSQL.5432").path
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: socket) || !log.contains("ready to accept connections") {
            guard server.isRunning, Date() < deadline else {
                let output = log
                stop()
                throw XCTSkip("the private PostgreSQL server did not start: \(output)")
            }
            usleep(20_000)
        }
    }

    /// Stops the server (fast shutdown, then SIGKILL if it lingers) and removes its folder.
    func stop() {
        if server.isRunning {
            kill(server.processIdentifier, SIGINT)
            let deadline = Date().addingTimeInterval(10)
            while server.isRunning && Date() < deadline { usleep(10_000) }
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
        }
        TestSupport.remove(folder)
    }

    /// The folder of PostgreSQL's programs: Debian keeps them off PATH, under /usr/lib/postgresql/VERSION/bin.
    static func binaries() -> URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = root.appendingPathComponent(version).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("postgres").path) { return bin }
        }
        return nil
    }
}
