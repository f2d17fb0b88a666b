import Foundation
import HamletTestSupport
import XCTest

/// hamlet-serve on a store on a PostgreSQL server (a private one the test starts): daemons on several hosts share
/// the store and hear of each other's learning without asking per message; a server that goes away and comes back
/// costs no mail and no restart.
final class DaemonsOnPostgresTests: XCTestCase {
    var server: PrivatePostgres!
    var harness: DaemonHarness!

    override func setUpWithError() throws {
        server = try privatePostgres()
        harness = try DaemonHarness("daemons-on-postgres")
        let corpus = TestSupport.sampleCorpus
        let trained = try harness.run(
            DaemonHarness.program("hamlet"),
            [
                "train", "--db", server.url, "--spam", corpus.appendingPathComponent("spam").path, "--ham",
                corpus.appendingPathComponent("ham").path
            ])
        XCTAssertEqual(trained.status, 0, trained.error)
    }

    override func tearDown() {
        harness?.stop()
        server?.stop()
    }

    /// Starts a daemon on the shared store, listening at `socket` in the home, its log in `socket`.log.
    func startDaemon(_ name: String, _ arguments: [String] = []) throws -> String {
        let socket = harness.home.appendingPathComponent(name + ".sock").path
        try harness.start(
            DaemonHarness.program("hamlet-serve"),
            ["--socket", socket, "--db", server.url, "--allow-tell"] + arguments,
            errorLog: harness.home.appendingPathComponent(name + ".log")
        ) { FileManager.default.fileExists(atPath: socket) }
        return socket
    }

    func log(_ name: String) -> String {
        (try? String(contentsOf: harness.home.appendingPathComponent(name + ".log"), encoding: .utf8)) ?? ""
    }

    /// The daemon's score for `message` (CHECK's "Spam: …; SCORE / 5.0"), nil without an answer.
    func score(_ message: [UInt8], at socket: String) -> String? {
        let request = Array("CHECK SPAMC/1.5\r\nContent-length: \(message.count)\r\n\r\n".utf8) + message
        let reply = DaemonHarness.exchange(request, on: socket)
        guard reply.hasPrefix("SPAMD/1.1 0 EX_OK"),
            let line = reply.split(separator: "\r\n").first(where: {
                $0.hasPrefix("Spam:")
            })
        else { return nil }
        return line.split(separator: ";").last.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Teaches `message` as spam through the daemon at `socket` (spamc -L spam).
    func tellSpam(_ message: [UInt8], at socket: String) -> String {
        let request =
            Array(
                "TELL SPAMC/1.5\r\nMessage-class: spam\r\nSet: local\r\nContent-length: \(message.count)\r\n\r\n".utf8)
            + message
        return DaemonHarness.exchange(request, on: socket)
    }

    /// Polls `condition` until it holds or `seconds` pass; returns the seconds it took, nil if it never held.
    func secondsUntil(within seconds: Double, _ condition: () -> Bool) -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if condition() { return Date().timeIntervalSince(start) }
            usleep(10_000)
        }
        return nil
    }

    /// Starts `hamlet-load` on the sample corpus against the daemon at `socket`: 4 connections, `seconds` long.
    func startLoad(on socket: String, seconds: Int) throws -> (process: Process, output: URL) {
        let files = harness.home.appendingPathComponent("files")
        if !FileManager.default.fileExists(atPath: files.path) {
            let messages =
                TestSupport.sample(of: TestSupport.sampleCorpus.appendingPathComponent("spam"), every: 1)
                + TestSupport.sample(of: TestSupport.sampleCorpus.appendingPathComponent("ham"), every: 1)
            try messages.map(\.path).joined(separator: "\n").write(to: files, atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonHarness.program("hamlet-load"))
        process.arguments = [
            "--socket", socket, "--files", files.path, "--connections", "4", "--seconds", String(seconds)
        ]
        let output = harness.home.appendingPathComponent("load-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        try process.run()
        return (process, output)
    }

    /// Waits for a load to end and checks that every request was answered; returns its summary.
    @discardableResult
    func finish(_ load: (process: Process, output: URL)) throws -> String {
        load.process.waitUntilExit()
        let text = try String(contentsOf: load.output, encoding: .utf8)
        XCTAssertEqual(load.process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains(" 0 errors"), text)
        return text
    }

    func testALessonThroughOneDaemonReachesTheOtherWithinASecond() throws {
        let first = try startDaemon("first"), second = try startDaemon("second")
        let message = try DaemonHarness.message("ham/ham-000.eml")
        let before = try XCTUnwrap(score(message, at: second))
        XCTAssertEqual(score(message, at: first), before)

        let told = tellSpam(message, at: first)
        XCTAssertTrue(told.hasPrefix("SPAMD/1.1 0 EX_OK") && told.contains("DidSet: local"), told)
        var learned: String?
        let took = secondsUntil(within: 1) {
            learned = score(message, at: first)
            return learned != before && score(message, at: second) == learned
        }
        XCTAssertNotNil(
            took, "the second daemon still scores \(score(message, at: second) ?? "-"), the first \(learned ?? "-")")
        print("the lesson reached the other daemon in \(took.map { String(format: "%.3f", $0) } ?? "-") s")

        // Both under load at once: every request answered.
        let loads = try [first, second].map { try startLoad(on: $0, seconds: 3) }
        for load in loads {
            let text = try finish(load)
            print("load: \(text)")
        }
    }

    func testTheDaemonScoresThroughAServerStopAndReconnectsByItself() throws {
        let daemon = try startDaemon("daemon")
        let messages = try ["spam/spam-000.eml", "ham/ham-000.eml", "ham/ham-001.eml"].map(DaemonHarness.message)
        let before = messages.map { score($0, at: daemon) }
        XCTAssertFalse(before.contains(nil))

        // The server stops in the middle of a load: every request is answered.
        let load = try startLoad(on: daemon, seconds: 3)
        usleep(1_000_000)
        server.pause()
        print("load through the server's stop: \(try finish(load))")
        // The server is gone: every message is still scored, with the model held.
        for _ in 0..<20 {
            XCTAssertEqual(messages.map { score($0, at: daemon) }, before)
        }
        // It did not ask the server, which announced nothing: the log says nothing of it.

        try server.restart()
        // Learning on the server while the daemon holds its old model: the daemon hears of it on its own.
        let told = try harness.run(
            DaemonHarness.program("hamlet"),
            [
                "train", "--db", server.url, "--spam",
                TestSupport.sampleCorpus
                    .appendingPathComponent("ham/ham-000.eml").path
            ])
        XCTAssertEqual(told.status, 0, told.error)
        let took = secondsUntil(within: 10) { score(messages[1], at: daemon) != before[1] }
        XCTAssertNotNil(took, "the daemon did not pick up the new model after the server came back: \(log("daemon"))")
        print(
            "after the restart the daemon served the new model in \(took.map { String(format: "%.2f", $0) } ?? "-") s")
    }

    func testADaemonThatMeetsANewerSchemaKeepsItsModelAndSaysWhy() throws {
        let daemon = try startDaemon("daemon")
        let message = try DaemonHarness.message("spam/spam-000.eml")
        let before = try XCTUnwrap(score(message, at: daemon))
        // A newer Hamlet migrates the store and announces it.
        let migrated = try harness.run(
            "/usr/bin/psql",
            [
                "-h", server.folder.path, "-p", String(server.port), "-U", "hamlet", "-d", "postgres", "-X", "-q",
                "-v", "ON_ERROR_STOP=1", "-c",
                "UPDATE hamlet_schema SET version = version + 1; "
                    + "SELECT pg_notify('hamlet_changes', owner) FROM hamlet_settings GROUP BY owner"
            ])
        XCTAssertEqual(migrated.status, 0, migrated.error)
        let took = secondsUntil(within: 5) {
            score(message, at: daemon) == before && log("daemon").contains("newer Hamlet")
        }
        XCTAssertNotNil(took, log("daemon"))
        XCTAssertEqual(score(message, at: daemon), before, "still scored with the model it holds")
    }
}
