import Foundation
import HamletTestSupport
import XCTest

/// relabel, forget, retrain and db on a real store, with messages named every way the commands accept.
final class StoreCommandsEndToEndTests: XCTestCase {
    var home: URL!
    var hamlet: HamletRunner!
    var store: String { home.appendingPathComponent("store.sqlite").path }
    let corpus = TestSupport.sampleCorpus

    override func setUpWithError() throws {
        home = try TestSupport.temporaryDirectory("store-commands")
        hamlet = HamletRunner(home: home)
        let trained = try hamlet.run([
            "train", "--db", store, "--spam", corpus.appendingPathComponent("spam").path,
            "--ham", corpus.appendingPathComponent("ham").path
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)
    }

    override func tearDown() { TestSupport.remove(home) }

    private func probability(_ path: String) throws -> Double {
        let result = try hamlet.run(["classify", "--db", store, "--format", "tsv", path])
        return Double(result.lines[0].split(separator: "\t")[2])!
    }

    func testRelabelFromAFilteredCopyMovesTheMessageAndTheScore() throws {
        let message = corpus.appendingPathComponent("ham/ham-004.eml").path
        let before = try probability(message)
        let filtered = try hamlet.run(
            ["filter", "--db", store], stdin: Array(try Data(contentsOf: URL(fileURLWithPath: message))))
        let moved = try hamlet.run(["relabel", "--db", store, "--as", "spam", "-"], stdin: filtered.stdout)
        XCTAssertEqual(moved.status, 0, moved.stderr)
        XCTAssertTrue(moved.text.hasPrefix("moved 1 to spam"), moved.text)
        XCTAssertGreaterThan(try probability(message), before)
        let again = try hamlet.run(["relabel", "--db", store, "--as", "spam", message])
        XCTAssertTrue(again.text.hasPrefix("moved 0 to spam, 1 already spam"), again.text)
    }

    func testMessagesCanBeNamedByDigestAndMessageID() throws {
        let message = corpus.appendingPathComponent("spam/spam-010.eml")
        let text = try String(contentsOf: message, encoding: .utf8)
        let messageID = String(
            text.components(separatedBy: "\n").first { $0.lowercased().hasPrefix("message-id:") }!
                .dropFirst("Message-ID:".count)
        ).trimmingCharacters(in: .whitespaces)
        let byID = try hamlet.run(["relabel", "--db", store, "--as", "ham", messageID])
        XCTAssertEqual(byID.status, 0, byID.stderr)
        XCTAssertTrue(byID.text.hasPrefix("moved 1 to ham"), byID.text)
        let export = try hamlet.run(["db", "export", "--db", store])
        let digest = try XCTUnwrap(export.lines.first { $0.contains(messageID) }?.split(separator: "\t")[1])
        let byDigest = try hamlet.run(["relabel", "--db", store, "--as", "spam", "sha256:\(digest)"])
        XCTAssertTrue(byDigest.text.hasPrefix("moved 1 to spam"), byDigest.text)
    }

    func testUnknownMessagesAreErrorsThatNameThemAndChangeNothing() throws {
        let unknown = try hamlet.run([
            "relabel", "--db", store, "--as", "spam", corpus.appendingPathComponent("ham/ham-001.eml").path,
            "<nobody@nowhere.example>"
        ])
        XCTAssertEqual(unknown.status, 66)
        XCTAssertTrue(unknown.stderr.contains("<nobody@nowhere.example>"), unknown.stderr)
        let stats = try hamlet.run(["stats", "--db", store])
        XCTAssertTrue(stats.text.contains("66 spam, 66 ham"), "nothing moved: \(stats.text)")
        let notStored = try hamlet.run(["forget", "--db", store, "sha256:" + String(repeating: "ab", count: 32)])
        XCTAssertEqual(notStored.status, 66)
        let garbage = try hamlet.run(["forget", "--db", store, "no-such-thing"])
        XCTAssertEqual(garbage.status, 66)
    }

    func testForgetRefitsWithoutTheMessage() throws {
        let message = corpus.appendingPathComponent("spam/spam-012.eml").path
        let result = try hamlet.run(["forget", "--db", store, message])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.contains("forgot 1; store holds 65 spam and 66 ham; refitted model 2"), result.text)
        let check = try hamlet.run(["db", "check", "--db", store])
        XCTAssertEqual(check.status, 0, check.text)
    }

    func testExportImportRoundTripGivesTheSameScores() throws {
        let exported = home.appendingPathComponent("export.txt").path
        XCTAssertEqual(try hamlet.run(["db", "export", "--db", store, exported]).status, 0)
        let copy = home.appendingPathComponent("copy.sqlite").path
        let imported = try hamlet.run(["db", "import", "--db", copy, exported])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.text.contains("imported 132 examples"), imported.text)
        // A bad line is bad input (65), named by its number, and nothing of the file is imported.
        let broken = home.appendingPathComponent("broken.txt").path
        let text = try String(contentsOfFile: exported, encoding: .utf8)
        try (text + "example\tnot enough fields\n").write(toFile: broken, atomically: true, encoding: .utf8)
        let other = home.appendingPathComponent("other.sqlite").path
        let refused = try hamlet.run(["db", "import", "--db", other, broken])
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is not an export line"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other))
        let retrained = try hamlet.run(["retrain", "--db", store])
        XCTAssertEqual(retrained.status, 0, retrained.stderr)
        let folders = [corpus.appendingPathComponent("spam").path, corpus.appendingPathComponent("ham").path]
        let a = try hamlet.run(["classify", "--db", store, "--format", "tsv"] + folders)
        let b = try hamlet.run(["classify", "--db", copy, "--format", "tsv"] + folders)
        XCTAssertEqual(a.lines.count, 132)
        for (x, y) in zip(a.lines, b.lines) {
            let px = Double(x.split(separator: "\t")[2])!, py = Double(y.split(separator: "\t")[2])!
            XCTAssertEqual(px, py, accuracy: 1e-6, x)
        }
    }

    func testCopyHoldsWhatTheOriginalHoldsAndScoresEveryMessageTheSame() throws {
        // A model moved in place since its fit, and an MLP, must both arrive unchanged: the copy is not a refit.
        let moved = try hamlet.run([
            "relabel", "--db", store, "--as", "spam", corpus.appendingPathComponent("ham/ham-007.eml").path
        ])
        XCTAssertEqual(moved.status, 0, moved.stderr)
        let folders = [corpus.appendingPathComponent("spam").path, corpus.appendingPathComponent("ham").path]
        for (original, label) in [(store, "logreg"), (home.appendingPathComponent("mlp.sqlite").path, "mlp")] {
            if label == "mlp" {
                let trained = try hamlet.run([
                    "train", "--db", original, "--model", "mlp", "--spam", folders[0], "--ham", folders[1]
                ])
                XCTAssertEqual(trained.status, 0, trained.stderr)
            }
            let copy = home.appendingPathComponent("copy-\(label).sqlite").path
            let copied = try hamlet.run(["db", "copy", original, copy])
            XCTAssertEqual(copied.status, 0, copied.stderr)
            XCTAssertTrue(copied.text.contains("copied 132 examples"), copied.text)
            let a = try hamlet.run(["db", "export", "--db", original])
            let b = try hamlet.run(["db", "export", "--db", copy])
            XCTAssertEqual(a.text, b.text, label)
            let scoresA = try hamlet.run(["classify", "--db", original, "--format", "tsv"] + folders)
            let scoresB = try hamlet.run(["classify", "--db", copy, "--format", "tsv"] + folders)
            XCTAssertEqual(scoresA.lines.count, 132)
            XCTAssertEqual(scoresA.text, scoresB.text, label)
            XCTAssertEqual(try hamlet.run(["db", "check", "--db", copy]).status, 0)
            // Into a store that already holds examples: refused, and that store left as it was.
            let again = try hamlet.run(["db", "copy", original, copy])
            XCTAssertEqual(again.status, 64, again.stderr)
            XCTAssertEqual(try hamlet.run(["db", "export", "--db", copy]).text, a.text)
        }
    }

    func testPruneVacuumAndCheck() throws {
        let prune = try hamlet.run(["db", "prune", "--db", store, "--min-documents", "3"])
        XCTAssertEqual(prune.status, 0, prune.stderr)
        XCTAssertTrue(prune.text.hasPrefix("dropped "), prune.text)
        XCTAssertEqual(try hamlet.run(["db", "check", "--db", store]).status, 0)
        XCTAssertEqual(try hamlet.run(["db", "vacuum", "--db", store]).status, 0)
        let classify = try hamlet.run(["classify", "--db", store, corpus.appendingPathComponent("spam").path])
        XCTAssertEqual(classify.status, 0)
        XCTAssertEqual(classify.lines.filter { !$0.hasPrefix("ham") }.count, 66, "no spam called ham")
    }

    func testCheckListsTheProblemsItFindsAndFails() throws {
        // Document counts that disagree with the examples, made behind Hamlet's back.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c",
            "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute('UPDATE tokens SET spam_count = spam_count + 5 WHERE id < 4'); d.commit()",
            store
        ]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let check = try hamlet.run(["db", "check", "--db", store])
        XCTAssertEqual(check.status, 1, check.text)
        XCTAssertTrue(check.text.contains("problem: 3 tokens have document counts that disagree"), check.text)
        XCTAssertFalse(check.text.contains("ok: "), check.text)
    }
}
