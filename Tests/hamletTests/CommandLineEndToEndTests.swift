import Foundation
import HamletTestSupport
import XCTest

/// The command line end to end on the bundled corpus: train, classify, filter, evaluate, with the store and the
/// XDG folders in a temporary directory.
final class CommandLineEndToEndTests: XCTestCase {
    var home: URL!
    var hamlet: HamletRunner!
    var store: String { home.appendingPathComponent("store.sqlite").path }
    let corpus = TestSupport.sampleCorpus

    override func setUpWithError() throws {
        home = try TestSupport.temporaryDirectory("cli")
        hamlet = HamletRunner(home: home)
    }

    override func tearDown() { TestSupport.remove(home) }

    private func train() throws {
        let result = try hamlet.run([
            "train", "--db", store, "--spam", corpus.appendingPathComponent("spam").path,
            "--ham", corpus.appendingPathComponent("ham").path
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.contains("learned 132 new"), result.text)
    }

    private func message(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: corpus.appendingPathComponent(name)))
    }

    func testTrainThenClassifyInEveryFormat() throws {
        try train()
        try TestSupport.writeMatureStoreSettings(configHome: hamlet.configHome)
        let spamFolder = corpus.appendingPathComponent("spam").path
        let tsv = try hamlet.run(["classify", "--db", store, "--format", "tsv", spamFolder])
        XCTAssertEqual(tsv.status, 0, tsv.stderr)
        XCTAssertEqual(tsv.lines.count, 66)
        let fields = tsv.lines[0].split(separator: "\t")
        XCTAssertEqual(fields.count, 3)
        XCTAssertEqual(String(fields[0]), spamFolder + "/spam-000.eml")
        XCTAssertEqual(fields[1], "spam")
        XCTAssertGreaterThan(Double(fields[2])!, 0.9)

        let json = try hamlet.run([
            "classify", "--db", store, "--format", "json", corpus.appendingPathComponent("ham/ham-003.eml").path
        ])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any]
        XCTAssertEqual(object?["verdict"] as? String, "ham")
        XCTAssertNotNil(object?["p_spam"] as? Double)
        XCTAssertNotNil(object?["log_odds"] as? Double)

        let text = try hamlet.run(["classify", "--db", store, corpus.appendingPathComponent("ham/ham-003.eml").path])
        XCTAssertTrue(text.text.hasPrefix("ham "), text.text)
    }

    func testClassifyNamesMessagesInsideAnMbox() throws {
        try train()
        let mbox = home.appendingPathComponent("inbox.mbox")
        let first = try message("ham/ham-000.eml"), second = try message("spam/spam-001.eml")
        var bytes = Array("From a@example.org Mon Oct  5 10:00:00 2026\n".utf8) + first + Array("\n".utf8)
        let offset = bytes.count
        bytes += Array("From b@example.org Mon Oct  5 11:00:00 2026\n".utf8) + second
        try Data(bytes).write(to: mbox)
        let result = try hamlet.run(["classify", "--db", store, "--format", "tsv", mbox.path])
        XCTAssertEqual(
            result.lines.map { String($0.split(separator: "\t")[0]) }, ["\(mbox.path):0", "\(mbox.path):\(offset)"])
        XCTAssertEqual(result.lines.map { String($0.split(separator: "\t")[1]) }, ["ham", "spam"])
    }

    /// A store of 66 ham is young: its spam threshold's odds are (1,200 / 66)^1.5 times the configured one's, and the
    /// filter's header, `explain`, `stats` and `classify` all say so; `young_store_ham = 0` restores the threshold.
    func testAYoungStoreRaisesTheSpamThreshold() throws {
        try train()
        let filtered = try hamlet.run(["filter", "--db", store], stdin: try message("spam/spam-002.eml"))
        XCTAssertTrue(filtered.text.contains("; threshold=0.995; "), filtered.text)
        XCTAssertTrue(filtered.text.contains("\nX-Spam-Status: No, score="), filtered.text)
        let explained = try hamlet.run(["explain", "--db", store, corpus.appendingPathComponent("ham/ham-001.eml").path]
        )
        XCTAssertTrue(
            explained.text.contains("spam at 0.995 or more")
                && explained.text.contains("raised from 0.73 while the store holds fewer than 1200 ham (it holds 66)"),
            explained.text)
        let stats = try hamlet.run(["stats", "--db", store])
        XCTAssertTrue(
            stats.text.contains(
                "spam at p(spam) 0.995 or more: raised from 0.73 while the store holds fewer than 1200 ham"), stats.text
        )
        let classified = try hamlet.run([
            "classify", "--db", store, "--summary", "--format", "tsv", corpus.appendingPathComponent("ham").path
        ])
        XCTAssertEqual(classified.lines.last, "66 messages: 0 spam, 66 ham, 0 unsure")
        try TestSupport.writeMatureStoreSettings(configHome: hamlet.configHome)
        let mature = try hamlet.run(["filter", "--db", store], stdin: try message("spam/spam-002.eml"))
        XCTAssertTrue(mature.text.contains("; threshold=0.730; "), mature.text)
        XCTAssertTrue(mature.text.contains("\nX-Spam-Status: Yes, score="), mature.text)
        XCTAssertTrue(try hamlet.run(["config"]).text.contains("young_store_ham = 0"))
    }

    func testFilterAddsHeadersAndKeepsEverythingElse() throws {
        try train()
        try TestSupport.writeMatureStoreSettings(configHome: hamlet.configHome)
        let input = try message("spam/spam-002.eml")
        let result = try hamlet.run(["filter", "--db", store], stdin: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = result.text
        XCTAssertTrue(output.contains("\nX-Spam-Flag: YES\n"), output)
        XCTAssertTrue(output.contains("\nX-Spam-Status: Yes, score="), output)
        XCTAssertTrue(output.contains(" required=5.0 tests=HAMLET_SPAM autolearn=no version="), output)
        // Removing Hamlet's lines gives back the input exactly.
        let stripped = output.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("X-Spam-") && !$0.hasPrefix("X-Hamlet-") }.joined(separator: "\n")
        XCTAssertEqual(stripped, String(decoding: input, as: UTF8.self))
    }

    func testAModelTrainedWithoutLengthNormalisationIsScoredWithoutIt() throws {
        // Model settings other than the kind come from the configuration file (train has no option for them).
        let config = home.appendingPathComponent("normalize-none.toml")
        try "[model]\nnormalize = \"none\"\n".write(to: config, atomically: true, encoding: .utf8)
        let trained = try hamlet.run(
            [
                "train", "--db", store, "--spam", corpus.appendingPathComponent("spam").path,
                "--ham", corpus.appendingPathComponent("ham").path
            ], environment: ["HAMLET_CONFIG": config.path])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(try hamlet.run(["stats", "--db", store]).text.contains("normalize=none"))
        // classify and filter both read the setting from the stored model: the same log-odds either way.
        let name = "spam/spam-002.eml"
        let json = try hamlet.run([
            "classify", "--db", store, "--format", "json", corpus.appendingPathComponent(name).path
        ])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any]
        let classified = try XCTUnwrap(object?["log_odds"] as? Double)
        let filtered = try hamlet.run(["filter", "--db", store], stdin: try message(name)).text
        let verdict = try XCTUnwrap(filtered.split(separator: "\n").first { $0.hasPrefix("X-Hamlet-Verdict:") })
        let logOdds = try XCTUnwrap(verdict.split(separator: ";").first { $0.hasPrefix(" log-odds=") })
        XCTAssertEqual(Double(logOdds.dropFirst(" log-odds=".count))!, classified, accuracy: 1e-4)
    }

    func testFilterKeepsCRLFLineEndingsAndReplacesEarlierSpamHeaders() throws {
        try train()
        let text =
            "Subject: meeting notes\r\nX-Spam-Flag: YES\r\nFrom: marta@lindqvist.example.org\r\n\r\nHere are the notes from Tuesday.\r\n"
        let result = try hamlet.run(["filter", "--db", store], stdin: Array(text.utf8))
        let output = result.text
        XCTAssertTrue(
            output.hasPrefix(
                "Subject: meeting notes\r\nFrom: marta@lindqvist.example.org\r\nX-Spam-Flag: NO\r\nX-Spam-Status: No, score="
            ), output)
        XCTAssertTrue(output.hasSuffix("\r\n\r\nHere are the notes from Tuesday.\r\n"))
        XCTAssertFalse(output.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    func testFilterPassesTheMessageThroughWhenThereIsNoStore() throws {
        let input = try message("ham/ham-001.eml")
        let result = try hamlet.run(
            ["filter", "--db", home.appendingPathComponent("missing.sqlite").path], stdin: input)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, input)
        XCTAssertTrue(result.stderr.contains("passed through unchanged"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.appendingPathComponent("missing.sqlite").path))
    }

    func testFilterPassesTheMessageThroughOnAUsageError() throws {
        let input = try message("ham/ham-002.eml")
        let result = try hamlet.run(["filter", "--no-such-option"], stdin: input)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, input)
    }

    func testTrainFromStdinAndDefaultXDGStoreLocation() throws {
        let result = try hamlet.run(["train", "--spam", "-"], stdin: try message("spam/spam-004.eml"))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: hamlet.defaultStore.path))
        let viaEnvironment = try hamlet.run(["stats"], environment: ["HAMLET_DB": store])
        XCTAssertEqual(viaEnvironment.status, 70, "a store named by HAMLET_DB that does not exist")
        XCTAssertTrue(viaEnvironment.stderr.contains(store))
    }

    func testErrorsHaveClearMessagesAndExitStatuses() throws {
        let noStore = try hamlet.run(["classify", "--db", store, corpus.appendingPathComponent("ham").path])
        XCTAssertEqual(noStore.status, 70)
        XCTAssertTrue(noStore.stderr.contains("no store at"), noStore.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store))
        try train()
        let missing = try hamlet.run(["classify", "--db", store, "/no/such/message.eml"])
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.stderr.contains("/no/such/message.eml"))
        let usage = try hamlet.run(["evaluate", "--db", store, "--online", corpus.appendingPathComponent("index").path])
        XCTAssertEqual(usage.status, 64)
    }

    func testEvaluateOnlineAndTrainTestWithScoresFile() throws {
        let index = corpus.appendingPathComponent("index").path
        let scores = home.appendingPathComponent("scores.tsv").path
        let result = try hamlet.run([
            "evaluate", "--train", index, "--test", index, "--scores", scores, "--format", "json"
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
        XCTAssertEqual(object?["n"] as? Int, 132)
        XCTAssertNotNil(object?["one_minus_roca_percent"] as? Double)
        let lines = try String(contentsOfFile: scores, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 132)
        let first = lines[0].split(separator: "\t")
        XCTAssertEqual(first[0], "ham/ham-000.eml")
        XCTAssertEqual(first[1], "ham")
        XCTAssertEqual(first[2].split(separator: ".").last?.count, 6)
        let online = try hamlet.run(["evaluate", "--online", index])
        XCTAssertEqual(online.status, 0, online.stderr)
        XCTAssertTrue(online.text.contains("1-ROCA%"))
    }

    /// An index entry that is missing or not a file is left out with a note, never fatal or hung.
    func testEvaluateLeavesOutIndexEntriesThatAreNotFiles() throws {
        let corpus = TestSupport.sampleCorpus.path
        let index = home.appendingPathComponent("mixed.index")
        try Data(
            """
            ham \(corpus)/ham/ham-001.eml
            spam /dev/zero
            ham nothing-here.eml
            spam \(corpus)/spam/spam-001.eml
            ham \(corpus)/ham/ham-002.eml
            spam \(corpus)/spam/spam-002.eml

            """.utf8
        ).write(to: index)
        let result = try hamlet.run(["evaluate", "--online", index.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.contains("messages         4 (2 spam, 2 ham)"), result.text)
        XCTAssertTrue(result.stderr.contains("/dev/zero: not a regular file; left out"), result.stderr)
        XCTAssertTrue(result.stderr.contains("nothing-here.eml: No such file or directory; left out"), result.stderr)
    }

    /// Progress goes to a terminal's stderr only while results go elsewhere, never into them;
    /// train shows it too. `script` gives the commands a terminal.
    func testProgressOnlyOnATerminalAndNeverMixedIntoResults() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            if TestSupport.isCI { XCTFail("script (bsdutils) is missing") }
            throw XCTSkip("needs script")
        }
        let corpus = TestSupport.sampleCorpus.path
        func onTerminal(_ command: String) throws -> String {
            let transcript = home.appendingPathComponent("tty-\(UUID().uuidString.prefix(6))").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qfec", command, transcript]
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return String(decoding: try Data(contentsOf: URL(fileURLWithPath: transcript)), as: UTF8.self)
        }
        try train()
        let bin = HamletRunner.binary.path
        let results = home.appendingPathComponent("results.tsv").path
        let redirected = try onTerminal("'\(bin)' classify --db '\(store)' --format tsv '\(corpus)' > '\(results)'")
        XCTAssertTrue(redirected.contains(" messages, "), redirected)
        XCTAssertFalse(try String(contentsOfFile: results, encoding: .utf8).contains("\r"))
        let both = try onTerminal("'\(bin)' classify --db '\(store)' '\(corpus)'")
        XCTAssertFalse(both.contains(" messages, "), both)
        let trained = try onTerminal(
            "'\(bin)' train --db '\(home.appendingPathComponent("t.sqlite").path)' --spam '\(corpus)/spam' "
                + "--ham '\(corpus)/ham' > /dev/null")
        XCTAssertTrue(trained.contains("storing done; learning"), trained)
    }

    /// Help and behaviour agree.
    func testHelpAndBehaviourAgree() throws {
        let typo = try hamlet.run(["trian", "--spam", "x"])
        XCTAssertEqual(typo.status, 64)
        XCTAssertTrue(typo.stderr.contains("unknown command 'trian'; did you mean 'train'?"), typo.stderr)
        // Retrain on a store with no examples is a store problem (70), not a write failure (74).
        let spam = try FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent("spam").path)
            .sorted()[0]
        let message = corpus.appendingPathComponent("spam").appendingPathComponent(spam).path
        XCTAssertEqual(try hamlet.run(["train", "--db", store, "--spam", message]).status, 0)
        XCTAssertEqual(try hamlet.run(["forget", "--db", store, message]).status, 0)
        let empty = try hamlet.run(["retrain", "--db", store])
        XCTAssertEqual(empty.status, 70, empty.stderr)
        XCTAssertTrue(empty.stderr.contains("holds no examples"), empty.stderr)
        // Arguments echoed in errors cannot put raw control characters on the terminal.
        let hostile = try hamlet.run(["classify", "--db", home.appendingPathComponent("x\ny\u{1B}[2J").path, "-"])
        XCTAssertEqual(hostile.status, 70, hostile.stderr)
        XCTAssertTrue(hostile.stderr.contains("x\\ny\\x1b[2J"), hostile.stderr)
        XCTAssertEqual(hostile.stderr.filter { $0 == "\n" }.count, 1, hostile.stderr)
        let misspelled = try hamlet.run(["train", "--spma", "x"])
        XCTAssertEqual(misspelled.status, 64)
        XCTAssertTrue(misspelled.stderr.contains("Did you mean '--spam'?"), misspelled.stderr)
        let version = try hamlet.run(["filter", "--version"])
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertEqual(version.text, "0.1.0\n")
        let filterHelp = try hamlet.run(["filter", "--help"])
        XCTAssertTrue(filterHelp.text.contains("USAGE: hamlet filter"), filterHelp.text)
        let evaluateHelp = try hamlet.run(["evaluate", "--help"])
        XCTAssertTrue(evaluateHelp.text.contains("values: text, json;"), evaluateHelp.text)
        XCTAssertTrue(try hamlet.run(["explain", "--help"]).text.contains("MBOX:BYTEOFFSET"))
    }

    /// Classify follows filter's rule that nothing is spam before 10 examples of each label.
    func testClassifyCallsNothingSpamBeforeTenOfEach() throws {
        let small = home.appendingPathComponent("small.sqlite").path
        let corpus = TestSupport.sampleCorpus
        let spam = (0..<5).map { corpus.appendingPathComponent("spam/spam-00\($0).eml").path }
        let ham = (0..<5).map { corpus.appendingPathComponent("ham/ham-00\($0).eml").path }
        XCTAssertEqual(try hamlet.run(["train", "--db", small, "--spam"] + spam + ["--ham"] + ham).status, 0)
        let result = try hamlet.run([
            "classify", "--db", small, "--format", "tsv", corpus.appendingPathComponent("spam").path
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.lines.contains { $0.split(separator: "\t")[1] == "spam" }, result.text)
        XCTAssertTrue(result.stderr.contains("nothing is called spam before 10 of each"), result.stderr)
    }
}

extension CommandLineEndToEndTests {
    func testExplainShowsTheVerdictAndTheTokensOnEachSide() throws {
        try TestSupport.writeMatureStoreSettings(configHome: hamlet.configHome)
        try train()
        let result = try hamlet.run(["explain", "--db", store, corpus.appendingPathComponent("spam/spam-007.eml").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.contains("verdict: spam"), result.text)
        XCTAssertTrue(result.text.contains("Pushing toward spam:"))
        XCTAssertTrue(result.text.contains("Pushing toward ham:"))
        XCTAssertTrue(
            result.text.contains(" words, times ") && result.text.contains("(normalisation: split)"), result.text)
        let firstRow = result.lines.first { $0.hasPrefix("    +") }
        XCTAssertNotNil(firstRow, result.text)
    }

    func testClassifyOnlyAndSummary() throws {
        try train()
        let result = try hamlet.run([
            "classify", "--db", store, "--only", "spam", "--summary", "--format", "tsv",
            corpus.appendingPathComponent("ham").path, corpus.appendingPathComponent("spam").path
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        // A young store (66 ham): no ham called spam, and the spam it is not yet sure of unsure.
        XCTAssertEqual(result.lines.count, 43)
        XCTAssertTrue(result.lines.dropLast().allSatisfy { $0.contains("\tspam\t") })
        XCTAssertEqual(result.lines.last, "132 messages: 42 spam, 66 ham, 24 unsure")
    }

    func testStatsAndConfig() throws {
        try train()
        let stats = try hamlet.run(["stats", "--db", store])
        XCTAssertTrue(stats.text.contains("66 spam, 66 ham"), stats.text)
        XCTAssertTrue(stats.text.contains("version 1, logreg"))
        let config = try hamlet.run(["config"])
        XCTAssertEqual(config.status, 0)
        XCTAssertTrue(config.text.contains("spam_threshold = 0.73"), config.text)
        XCTAssertTrue(config.text.contains(hamlet.defaultStore.path))
    }
}
