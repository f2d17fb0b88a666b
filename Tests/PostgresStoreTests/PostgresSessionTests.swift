import HamletTestSupport
import Foundation
import PostgresNIO
import PostgresStore
import SpamStore
import XCTest

/// The connection, its deadlines and the schema, against a real PostgreSQL server of the test's own.
final class PostgresSessionTests: XCTestCase {
    var server: PrivatePostgres!

    override func setUpWithError() throws {
        server = try privatePostgres()
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    func session(deadline: Double = 10) throws -> PostgresSession {
        try PostgresSession(location: try PostgresLocation(parsing: server.url), deadline: deadline)
    }

    func testTheSchemaIsMadeOnceEvenByManyProcessesStartingTogether() throws {
        let sessions = try (0..<4).map { _ in try session() }
        let errors = Failures()
        DispatchQueue.concurrentPerform(iterations: sessions.count) { index in
            do {
                try PostgresSchema.prepare(sessions[index])
            } catch {
                errors.add("\(error)")
            }
        }
        XCTAssertEqual(errors.all, [])
        XCTAssertEqual(try PostgresSchema.storedVersion(sessions[0]), PostgresSchema.version)
        try PostgresSchema.prepare(sessions[0])
        XCTAssertEqual(try sessions[0].query("SELECT count(*) FROM hamlet_schema").first?.decode(Int64.self), 1)
        for session in sessions { session.close() }
    }

    func testADatabaseFromANewerHamletIsRefused() throws {
        let session = try session()
        try PostgresSchema.prepare(session)
        try session.query("UPDATE hamlet_schema SET version = \(PostgresSchema.version + 1)")
        XCTAssertThrowsError(try PostgresSchema.prepare(session)) { error in
            guard case StoreError.newerSchema(_, let found, let supported) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(found, PostgresSchema.version + 1)
            XCTAssertEqual(supported, PostgresSchema.version)
        }
    }

    func testEachOwnersSettingsAreTheirOwn() throws {
        let session = try session()
        try PostgresSchema.prepare(session)
        let alice = PostgresSettings(session: session, owner: "alice")
        let bob = PostgresSettings(session: session, owner: "bob")
        try alice.set("model.l2", "0.001")
        XCTAssertEqual(try alice.value("model.l2"), "0.001")
        XCTAssertNil(try bob.value("model.l2"))
        try bob.set("model.l2", "0.5")
        try alice.set("model.l2", "0.002")
        XCTAssertEqual(try alice.value("model.l2"), "0.002")
        XCTAssertEqual(try bob.value("model.l2"), "0.5")
        // A value with quotes and a semicolon is a parameter, not SQL.
        try alice.set("note", "'); DROP TABLE hamlet_settings; --")
        XCTAssertEqual(try alice.value("note"), "'); DROP TABLE hamlet_settings; --")
    }

    func testAFailedTransactionLeavesNothing() throws {
        let session = try session()
        try PostgresSchema.prepare(session)
        let settings = PostgresSettings(session: session, owner: "carol")
        XCTAssertThrowsError(
            try session.transaction {
                try settings.set("a", "1")
                try session.execute("SELECT * FROM no_such_table")
            }
        ) { error in
            guard case StoreError.server(_, _, let code) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(code, "42P01")
        }
        XCTAssertNil(try settings.value("a"))
    }

    func testAServerThatNeverAnswersCostsTheDeadlineNotForever() throws {
        // A socket that takes connections into its queue and never reads them: what a wrong or wedged server
        // looks like to a client, which then waits for the server's first word.
        let folder = server.folder.appendingPathComponent("silent")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(folder.appendingPathComponent(".s.PGSQL.5432").path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(listener, 8), 0)
        let started = Date()
        XCTAssertThrowsError(
            try PostgresSession(
                location: try PostgresLocation(parsing: "postgresql://hamlet@/postgres?host=\(folder.path)"),
                deadline: 1)
        ) { error in
            guard case StoreError.unreachable = error else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        // No socket at all: refused at once.
        XCTAssertThrowsError(
            try PostgresSession(
                location: try PostgresLocation(parsing: "postgresql://hamlet@/postgres?host=/nonexistent"),
                deadline: 1)
        ) { error in
            guard case StoreError.unreachable = error else { return XCTFail("\(error)") }
        }
    }

    func testAStatementGivenUpOnDoesNotGoOnRunningOnTheServer() throws {
        let impatient = try session(deadline: 0.5)
        XCTAssertThrowsError(try impatient.execute("SELECT pg_sleep(30)")) { error in
            guard case StoreError.unreachable = error else { return XCTFail("\(error)") }
        }
        // The server's limit is a second beyond the deadline.
        let observer = try session()
        var running: Int64 = -1
        for _ in 0..<50 {
            running =
                try observer.query("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'")
                .first?.decode(Int64.self) ?? -1
            if running == 0 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(running, 0, "the statement still runs on the server 5 s later")
    }

    func testAStoppedServerIsAnErrorThatSaysTryAgainNotAHang() throws {
        let session = try session(deadline: 2)
        try PostgresSchema.prepare(session)
        server.stop()
        let started = Date()
        XCTAssertThrowsError(try session.query("SELECT 1")) { error in
            guard case StoreError.unreachable = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("nothing was changed"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }
}

/// Errors gathered from threads running at once.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func add(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}
