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

    /// Starts a server, or skips the test when there can be none (fails under CI, which installs PostgreSQL).
    init() throws {
        guard let binaries = Self.binaries() else {
            throw Self.unavailable("PostgreSQL's server programs are not installed (Debian package postgresql)")
        }
        folder = try TestSupport.temporaryDirectory("postgres")
        let asRoot = getuid() == 0
        if asRoot {
            guard let account = getpwnam("postgres") else {
                TestSupport.remove(folder)
                throw Self.unavailable("running as root and there is no postgres user to run the server as")
            }
            chown(folder.path, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        func command(_ program: String, _ arguments: [String]) -> (path: String, arguments: [String]) {
            let path = binaries.appendingPathComponent(program).path
            guard asRoot else { return (path, arguments) }
            return ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", path] + arguments)
        }
        let data = folder.appendingPathComponent("data").path
        let initdb = try Self.launch(
            command("initdb", ["--no-sync", "-A", "trust", "-U", "hamlet", "-D", data]),
            log: folder.appendingPathComponent("initdb.log"))
        initdb.waitUntilExit()
        guard initdb.terminationStatus == 0 else {
            let output = (try? String(contentsOf: folder.appendingPathComponent("initdb.log"), encoding: .utf8)) ?? ""
            TestSupport.remove(folder)
            throw Self.unavailable("initdb failed: \(output)")
        }
        server = try Self.launch(
            command("postgres", ["-D", data, "-k", folder.path, "-c", "listen_addresses=", "-c", "fsync=off"]),
            log: folder.appendingPathComponent("server.log"))
        let socket = folder.appendingPathComponent(".s.PGSQL.5432").path
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: socket) || !log.contains("ready to accept connections") {
            guard server.isRunning, Date() < deadline else {
                let output = log
                stop()
                throw Self.unavailable("the private PostgreSQL server did not start: \(output)")
            }
            usleep(20_000)
        }
    }

    /// Why there is no server: a skip, except under CI, which installs PostgreSQL and must fail without it.
    static func unavailable(_ why: String) -> Error {
        TestSupport.isCI ? ServerUnavailable(reason: why) : XCTSkip(why)
    }

    struct ServerUnavailable: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
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
