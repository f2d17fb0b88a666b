import Foundation
import HamletTestSupport
import XCTest

/// Every row and column of `hamlet filter`'s exit-status table, errors included.
final class FilterExitStatusEndToEndTests: XCTestCase {
    var home: URL!
    var hamlet: HamletRunner!
    var store: String { home.appendingPathComponent("store.sqlite").path }
    var missingStore: String { home.appendingPathComponent("missing.sqlite").path }
    var spam: [UInt8] = []
    var ham: [UInt8] = []
    /// Thresholds that make every message unsure.
    let unsure = ["--spam-threshold", "0.99999999", "--ham-threshold", "0.00000001"]

    override func setUpWithError() throws {
        home = try TestSupport.temporaryDirectory("exit")
        hamlet = HamletRunner(home: home)
        let corpus = TestSupport.sampleCorpus
        let trained = try hamlet.run([
            "train", "--db", store, "--spam", corpus.appendingPathComponent("spam").path,
            "--ham", corpus.appendingPathComponent("ham").path
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        try TestSupport.writeMatureStoreSettings(configHome: hamlet.configHome)
        spam = Array(try Data(contentsOf: corpus.appendingPathComponent("spam/spam-005.eml")))
        ham = Array(try Data(contentsOf: corpus.appendingPathComponent("ham/ham-005.eml")))
    }

    override func tearDown() { TestSupport.remove(home) }

    private func filter(_ arguments: [String], _ input: [UInt8]) throws -> HamletRunner.Result {
        try hamlet.run(["filter"] + arguments, stdin: input)
    }

    private func assertFiltered(
        _ result: HamletRunner.Result, verdict: String, status: Int32, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(result.status, status, result.stderr, file: file, line: line)
        XCTAssertTrue(result.text.contains("X-Hamlet-Verdict: \(verdict);"), result.text, file: file, line: line)
    }

    func testPassThroughModeExitsZeroForEveryVerdict() throws {
        assertFiltered(try filter(["--db", store], spam), verdict: "spam", status: 0)
        assertFiltered(try filter(["--db", store], ham), verdict: "ham", status: 0)
        assertFiltered(try filter(["--db", store] + unsure, ham), verdict: "unsure", status: 0)
    }

    func testPassThroughModeInternalErrorPassesTheMessageUnchanged() throws {
        let result = try filter(["--db", missingStore], ham)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, ham)
        let tempfail = try filter(["--db", missingStore, "--tempfail"], ham)
        XCTAssertEqual(tempfail.status, 75)
        XCTAssertTrue(tempfail.stdout.isEmpty)
        XCTAssertTrue(tempfail.stderr.contains("nothing written"), tempfail.stderr)
    }

    func testExitCodeModeSaysTheVerdict() throws {
        assertFiltered(try filter(["--db", store, "--exit-code"], spam), verdict: "spam", status: 0)
        assertFiltered(try filter(["--db", store, "--exit-code"], ham), verdict: "ham", status: 1)
        assertFiltered(try filter(["--db", store, "--exit-code"] + unsure, spam), verdict: "unsure", status: 2)
    }

    func testExitCodeModeInternalError() throws {
        let result = try filter(["--db", missingStore, "--exit-code"], spam)
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(result.stdout, spam)
        let tempfail = try filter(["--db", missingStore, "--exit-code", "--tempfail"], spam)
        XCTAssertEqual(tempfail.status, 75)
        XCTAssertTrue(tempfail.stdout.isEmpty)
    }

    func testUsageErrorsFollowTheInternalErrorColumn() throws {
        let plain = try filter(["--no-such-option"], ham)
        XCTAssertEqual(plain.status, 0)
        XCTAssertEqual(plain.stdout, ham)
        let exitCode = try filter(["--exit-code", "--spam-threshold", "not-a-number"], ham)
        XCTAssertEqual(exitCode.status, 3)
        XCTAssertEqual(exitCode.stdout, ham)
        let tempfail = try filter(["--tempfail", "--bogus"], ham)
        XCTAssertEqual(tempfail.status, 75)
        XCTAssertTrue(tempfail.stdout.isEmpty)
        let inverted = try filter(
            ["--db", store, "--exit-code", "--spam-threshold", "0.2", "--ham-threshold", "0.8"], ham)
        XCTAssertEqual(inverted.status, 3)
        XCTAssertEqual(inverted.stdout, ham)
    }

    func testConfigurationErrorsFollowTheInternalErrorColumn() throws {
        let folder = hamlet.configHome.appendingPathComponent("hamlet")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "[filter]\nspam_threshold = lots\n".write(
            to: folder.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let result = try filter(["--db", store], ham)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, ham)
        XCTAssertTrue(result.stderr.contains("config.toml:2"), result.stderr)
        let exitCode = try filter(["--db", store, "--exit-code"], ham)
        XCTAssertEqual(exitCode.status, 3)
        // Other commands refuse to run with a broken configuration, with EX_CONFIG.
        let classify = try hamlet.run([
            "classify", "--db", store, TestSupport.sampleCorpus.appendingPathComponent("ham").path
        ])
        XCTAssertEqual(classify.status, 78)
    }

    func testConfiguredHeaderNamesSubjectTagAndVerdictLog() throws {
        let folder = hamlet.configHome.appendingPathComponent("hamlet")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = home.appendingPathComponent("verdicts.log").path
        try """
        [filter]
        young_store_ham = 0
        subject_tag = "[SPAM]"   # tag spam
        verdict_log = "\(log)"
        [headers]
        flag = "X-Junk-Flag"
        """.write(to: folder.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let input = Array("Subject: old\nX-Junk-Flag: YES\n\n".utf8) + Array(spam.drop { _ in false })
        let result = try filter(["--db", store], spam)
        XCTAssertTrue(result.text.contains("\nX-Junk-Flag: YES\n"), result.text)
        XCTAssertFalse(result.text.contains("X-Spam-Flag"))
        XCTAssertTrue(result.text.contains("Subject: [SPAM] "), result.text)
        let again = try filter(["--db", store], result.stdout)
        XCTAssertEqual(again.text.components(separatedBy: "[SPAM]").count, 2, "the tag is added once")
        XCTAssertEqual(again.text.components(separatedBy: "X-Junk-Flag").count, 2, "the old flag is replaced")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0].split(separator: "\t")[2], "spam")
        _ = input
        let config = try hamlet.run(["config"])
        XCTAssertTrue(config.text.contains("flag = \"X-Junk-Flag\""), config.text)
        XCTAssertTrue(config.text.contains(folder.appendingPathComponent("config.toml").path))
    }
    /// A stdin that cannot be read (a folder, or closed) exited 0 with nothing written, which a
    /// delivery agent takes as an empty message delivered. It must be a temporary failure in every mode.
    func testUnreadableStdinIsATemporaryFailureInEveryMode() throws {
        let folder = home.appendingPathComponent("not-a-message")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for redirect in ["< '\(folder.path)'", "<&-"] {
            for mode in [[], ["--exit-code"], ["--tempfail"]] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = [
                    "-c", "exec \"$0\" filter --db \"$1\" \(mode.joined(separator: " ")) \(redirect)",
                    HamletRunner.binary.path, store
                ]
                let output = Pipe(), error = Pipe()
                process.standardOutput = output
                process.standardError = error
                try process.run()
                let written = output.fileHandleForReading.readDataToEndOfFile()
                let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                XCTAssertEqual(process.terminationStatus, 75, "\(redirect) \(mode): \(message)")
                XCTAssertTrue(written.isEmpty, "\(redirect) \(mode)")
                XCTAssertTrue(message.contains("cannot read the message"), message)
            }
        }
    }
}
