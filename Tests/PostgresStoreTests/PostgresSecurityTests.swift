import Foundation
import HamletTestSupport
import PostgresStore
import SpamStore
import XCTest

/// Passwords (from the URL, `PGPASSWORD` or a password file, never shown) against a server that demands them, TLS
/// (`sslmode=require`) against a server with a certificate made by the test, and the read-only role of
/// `Resources/postgresql/roles.sql`.
final class PostgresSecurityTests: XCTestCase {
    var server: PrivatePostgres?
    var folder: URL!

    override func setUpWithError() throws {
        folder = try TestSupport.temporaryDirectory("postgres-security")
    }

    override func tearDown() {
        server?.stop()
        server = nil
        TestSupport.remove(folder)
    }

    func start(password: String? = nil, tcp: Bool = false, tls: Bool = false) throws -> PrivatePostgres {
        do {
            let started = try PrivatePostgres(password: password, tcp: tcp, tls: tls)
            server = started
            return started
        } catch let unavailable as PrivatePostgres.Unavailable where !TestSupport.isCI {
            throw XCTSkip(unavailable.reason)
        }
    }

    func open(_ url: String, password file: String? = nil) throws -> PostgresStore {
        let location = try PostgresLocation(parsing: url, environment: { _ in nil }, passwordFile: file)
        return try PostgresStore(location: location, owner: "security", deadline: 5)
    }

    func encrypted(_ store: PostgresStore) throws -> Bool {
        try store.session.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first!.decode(Bool.self)
    }

    func testRequireEncryptsAgainstARealServerAndIsRefusedWhereThereIsNoTLS() throws {
        let withTLS = try start(tls: true)
        XCTAssertTrue(try encrypted(try open(withTLS.tcpURL + "?sslmode=require")))
        XCTAssertFalse(try encrypted(try open(withTLS.tcpURL + "?sslmode=disable")))
        withTLS.stop()

        let plain = try start(tcp: true)
        XCTAssertFalse(try encrypted(try open(plain.tcpURL + "?sslmode=prefer")))
        XCTAssertThrowsError(try open(plain.tcpURL + "?sslmode=require"), "require never falls back to plain text")
    }

    func testThePasswordComesFromTheURLTheEnvironmentOrAFileAndIsNeverShown() throws {
        let secret = "pa55-Wörd secret"
        let running = try start(password: secret)
        // None given: the server's refusal, which names no password.
        XCTAssertThrowsError(try open(running.url)) { error in
            XCTAssertTrue("\(error)".contains("password"), "\(error)")
        }
        // A wrong one in the URL: refused, and the message does not repeat it.
        let wrong = running.url.replacingOccurrences(of: "hamlet@", with: "hamlet:not-it@")
        XCTAssertThrowsError(try open(wrong)) { error in
            XCTAssertFalse("\(error)".contains("not-it"), "\(error)")
        }
        let escaped = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let store = try open(running.url.replacingOccurrences(of: "hamlet@", with: "hamlet:\(escaped)@"))
        XCTAssertFalse(store.location.contains(secret), store.location)
        let fromEnvironment = try PostgresLocation(
            parsing: running.url, environment: { $0 == "PGPASSWORD" ? secret : nil })
        XCTAssertNoThrow(try PostgresStore(location: fromEnvironment, owner: "security"))

        // A password file: its first line, and only when it is the owner's alone.
        let file = folder.appendingPathComponent("password").path
        try (secret + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        XCTAssertNoThrow(try open(running.url, password: file))
        chmod(file, 0o640)
        XCTAssertThrowsError(try open(running.url, password: file)) { error in
            XCTAssertTrue("\(error)".contains("open to other users"), "\(error)")
        }
        chmod(file, 0o600)

        // Through the command line, named in the configuration: trains, and `hamlet config` shows no password.
        let config = folder.appendingPathComponent("config/hamlet")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "[store]\npath = \"\(running.url)\"\npassword_file = \"\(file)\"\n".write(
            to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let spam = TestSupport.sampleCorpus.appendingPathComponent("spam").path
        let ham = TestSupport.sampleCorpus.appendingPathComponent("ham").path
        let trained = try hamlet(["train", "--spam", spam, "--ham", ham])
        XCTAssertEqual(trained.status, 0, trained.output)
        let shown = try hamlet(["config"])
        XCTAssertTrue(shown.output.contains("password_file"), shown.output)
        XCTAssertFalse(shown.output.contains(secret), shown.output)
    }

    func testTheFilterRoleReadsAndCannotWrite() throws {
        let running = try start()
        let roles = TestSupport.packageRoot.appendingPathComponent("Resources/postgresql/roles.sql").path
        let psql = try run(
            "/usr/bin/psql",
            [
                "-h", running.folder.path, "-p", String(running.port), "-U", "hamlet", "-d", "postgres", "-X", "-q",
                "-v", "ON_ERROR_STOP=1", "-f", roles
            ])
        XCTAssertEqual(psql.status, 0, psql.output)
        let trainerURL = running.url.replacingOccurrences(of: "hamlet@", with: "hamlet_trainer@")
        let filterURL = running.url.replacingOccurrences(of: "hamlet@", with: "hamlet_filter@")
        let spam = TestSupport.sampleCorpus.appendingPathComponent("spam").path
        let ham = TestSupport.sampleCorpus.appendingPathComponent("ham").path
        let trained = try hamlet(["train", "--db", trainerURL, "--spam", spam, "--ham", ham])
        XCTAssertEqual(trained.status, 0, trained.output)
        let asTrainer = try hamlet(["classify", "--db", trainerURL, "--format", "tsv", spam, ham])
        let asFilter = try hamlet(["classify", "--db", filterURL, "--format", "tsv", spam, ham])
        XCTAssertEqual(asFilter.status, 0, asFilter.output)
        XCTAssertEqual(asFilter.output, asTrainer.output, "the filter role scores as the trainer does")
        let refused = try hamlet(["train", "--db", filterURL, "--spam", ham])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.output.contains("permission denied"), refused.output)
        XCTAssertEqual(
            try hamlet(["classify", "--db", filterURL, "--format", "tsv", spam, ham]).output, asTrainer.output,
            "nothing changed")
    }

    /// Runs `hamlet` with this test's configuration folder: its status and its output and errors together.
    func hamlet(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try run(CommandsOnPostgresTests.hamlet.path, arguments)
    }

    func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter {
            ["HAMLET_DB", "PGPASSWORD", "HAMLET_CONFIG"].contains($0.key) == false
        }
        environment["HOME"] = folder.path
        environment["XDG_CONFIG_HOME"] = folder.appendingPathComponent("config").path
        environment["XDG_DATA_HOME"] = folder.appendingPathComponent("data").path
        environment["HAMLET_USER"] = "mail"
        process.environment = environment
        let log = folder.appendingPathComponent("run.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
    }
}
