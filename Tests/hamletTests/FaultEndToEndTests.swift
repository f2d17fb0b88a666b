import Foundation
import HamletTestSupport
import XCTest

/// What users see when the store is out of reach: a path through a file, a truncated store, a store locked past
/// the timeout. Commands that write fail with a clear error and a documented status; `hamlet filter` still
/// delivers the message. (Read-only and full disks: `UnwritableStoreEndToEndTests`.)
final class FaultEndToEndTests: XCTestCase {
    var home: URL!
    var hamlet: HamletRunner!
    var store: String { home.appendingPathComponent("store.sqlite").path }
    let corpus = TestSupport.sampleCorpus
    var message: [UInt8] = []

    override func setUpWithError() throws {
        home = try TestSupport.temporaryDirectory("faults")
        hamlet = HamletRunner(home: home)
        let trained = try hamlet.run([
            "train", "--db", store, "--spam", corpus.appendingPathComponent("spam").path,
            "--ham", corpus.appendingPathComponent("ham").path
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        // These tests check that a store under a fault still scores; the sample store's young-store threshold is
        // not their subject.
        try TestSupport.writeMatureStoreSettings(configHome: hamlet.configHome)
        message = Array(try Data(contentsOf: corpus.appendingPathComponent("spam/spam-009.eml")))
    }

    override func tearDown() { TestSupport.remove(home) }

    private func newMessage() throws -> String {
        let path = home.appendingPathComponent("new.eml")
        try "Subject: a new one\nFrom: x@example.org\n\nnever seen before\n".write(
            to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    func testUnwritablePath() throws {
        let blocker = home.appendingPathComponent("a-file")
        try "not a folder".write(to: blocker, atomically: true, encoding: .utf8)
        let train = try hamlet.run(["train", "--db", blocker.path + "/store.sqlite", "--spam", try newMessage()])
        XCTAssertEqual(train.status, 74, train.stderr)
        XCTAssertTrue(train.stderr.contains("a-file"), train.stderr)
        let filter = try hamlet.run(["filter", "--db", blocker.path + "/store.sqlite"], stdin: message)
        XCTAssertEqual(filter.status, 0)
        XCTAssertEqual(filter.stdout, message)
    }

    func testTruncatedStore() throws {
        let truncated = home.appendingPathComponent("truncated.sqlite")
        try Data(try Data(contentsOf: URL(fileURLWithPath: store)).prefix(3000)).write(to: truncated)
        let classify = try hamlet.run(["classify", "--db", truncated.path, corpus.appendingPathComponent("ham").path])
        XCTAssertEqual(classify.status, 70, classify.stderr)
        XCTAssertTrue(classify.stderr.contains(truncated.path), classify.stderr)
        let filter = try hamlet.run(["filter", "--db", truncated.path], stdin: message)
        XCTAssertEqual(filter.status, 0)
        XCTAssertEqual(filter.stdout, message)
        XCTAssertTrue(filter.stderr.contains("passed through unchanged"), filter.stderr)
        let tempfail = try hamlet.run(["filter", "--db", truncated.path, "--tempfail"], stdin: message)
        XCTAssertEqual(tempfail.status, 75)
    }

    func testStoreLockedByAnotherWriterPastTheTimeout() throws {
        guard
            let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            if TestSupport.isCI { return XCTFail("python3 is needed to hold a lock") }
            throw XCTSkip("python3 is needed to hold a lock")
        }
        let config = hamlet.configHome.appendingPathComponent("hamlet")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try (TestSupport.matureStoreSettings + "[store]\nbusy_timeout = 300\n").write(
            to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: python)
        holder.arguments = [
            "-c",
            """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute('BEGIN IMMEDIATE')
            print('locked', flush=True)
            time.sleep(20)
            """, store
        ]
        let ready = Pipe()
        holder.standardOutput = ready
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        _ = ready.fileHandleForReading.availableData  // waits for "locked"
        let train = try hamlet.run(["train", "--db", store, "--spam", try newMessage()])
        XCTAssertEqual(train.status, 75, train.stderr)
        XCTAssertTrue(train.stderr.contains("stayed locked"), train.stderr)
        // Readers are not blocked by a writer (WAL): the filter still scores.
        let filter = try hamlet.run(["filter", "--db", store], stdin: message)
        XCTAssertEqual(filter.status, 0)
        XCTAssertTrue(filter.text.contains("X-Hamlet-Verdict: spam"), filter.stderr)
    }
}
