import Foundation
import HamletTestSupport
import XCTest

/// Hamlet in a real delivery path: procmail filtering mail through `hamlet filter` into a Maildir, and messages
/// fed with CRLF line endings as Dovecot Sieve's filter extension passes them.
final class MailSystemEndToEndTests: XCTestCase {
    var home: URL!
    var hamlet: HamletRunner!
    var store: String { home.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws {
        home = try TestSupport.temporaryDirectory("mailsystem")
        hamlet = HamletRunner(home: home)
        let corpus = TestSupport.sampleCorpus
        // Train on two thirds of the sample corpus; the rest is delivered.
        let folder = home.appendingPathComponent("train")
        for label in ["spam", "ham"] {
            let target = folder.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent(label).path)
                .sorted()
            where !name.hasSuffix("0.eml") && !name.hasSuffix("5.eml") {
                try FileManager.default.copyItem(
                    at: corpus.appendingPathComponent("\(label)/\(name)"), to: target.appendingPathComponent(name))
            }
        }
        let trained = try hamlet.run([
            "train", "--db", store, "--spam", folder.appendingPathComponent("spam").path,
            "--ham", folder.appendingPathComponent("ham").path
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        try TestSupport.writeMatureStoreSettings(configHome: hamlet.configHome)
    }

    override func tearDown() { TestSupport.remove(home) }

    private func unseen(_ label: String) throws -> [URL] {
        let folder = TestSupport.sampleCorpus.appendingPathComponent(label)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .filter { $0.hasSuffix("0.eml") || $0.hasSuffix("5.eml") }.map { folder.appendingPathComponent($0) }
    }

    private func procmailPath() throws -> String {
        for candidate in ["/usr/bin/procmail", "/usr/local/bin/procmail", "/bin/procmail"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        if TestSupport.isCI { XCTFail("procmail is not installed; .ci/run installs it"); return "" }
        throw XCTSkip("procmail is not installed")
    }

    func testProcmailSortsSpamIntoJunkThroughHamletFilter() throws {
        let procmail = try procmailPath()
        guard !procmail.isEmpty else { return }
        let maildir = home.appendingPathComponent("Maildir")
        for folder in ["", ".Junk/"] {
            for sub in ["cur", "new", "tmp"] {
                try FileManager.default.createDirectory(
                    at: maildir.appendingPathComponent(folder + sub), withIntermediateDirectories: true)
            }
        }
        // The recipe shipped in Resources/, with its PATH, HAMLET_DB and MAILDIR lines pointed at this test's folders
        // (procmail takes HOME from the password file, and PATH from the recipe).
        let shipped = try String(
            contentsOf: TestSupport.packageRoot.appendingPathComponent("Resources/procmail/procmailrc"),
            encoding: .utf8)
        let recipe = shipped.components(separatedBy: "\n").map { line -> String in
            if line.hasPrefix("PATH=") {
                return "PATH=\(HamletRunner.binary.deletingLastPathComponent().path):/usr/bin:/bin"
            }
            if line.hasPrefix("MAILDIR=") { return "MAILDIR=\(maildir.path)/" }
            if line.hasPrefix("HAMLET_DB=") {
                let config = hamlet.configHome.appendingPathComponent("hamlet/config.toml").path
                return "HAMLET_DB=\(store)\nHAMLET_CONFIG=\(config)"
            }
            return line
        }.joined(separator: "\n")
        XCTAssertNotEqual(recipe, shipped)
        let rc = home.appendingPathComponent("procmailrc")
        try recipe.write(to: rc, atomically: true, encoding: .utf8)
        let spam = try unseen("spam"), ham = try unseen("ham")
        for message in spam + ham {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: procmail)
            process.arguments = ["-m", rc.path]
            process.standardInput = try FileHandle(forReadingFrom: message)
            process.environment = ["HOME": home.path, "PATH": "/usr/bin:/bin"]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
        }
        let junk = try FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent(".Junk/new").path)
        let inbox = try FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("new").path)
        XCTAssertEqual(junk.count, spam.count)
        XCTAssertEqual(inbox.count, ham.count)
        // Every delivered message is its input plus Hamlet's four fields, nothing else changed (procmail itself
        // ends each message with an empty line and drops a leading mbox From line when it writes a Maildir, so those
        // are not compared).
        func trimmed(_ text: String) -> String {
            var text = text
            if text.hasPrefix("From "), let newline = text.firstIndex(of: "\n") {
                text = String(text[text.index(after: newline)...])
            }
            while text.hasSuffix("\n") { text.removeLast() }
            return text
        }
        let delivered = try inbox.map { try Data(contentsOf: maildir.appendingPathComponent("new/" + $0)) }
        let originals = Set(try ham.map { trimmed(String(decoding: try Data(contentsOf: $0), as: UTF8.self)) })
        for data in delivered {
            let text = String(decoding: data, as: UTF8.self)
            XCTAssertEqual(
                text.components(separatedBy: "\n").filter { $0.hasPrefix("X-Spam-") || $0.hasPrefix("X-Hamlet-") }
                    .count, 4)
            let stripped = text.components(separatedBy: "\n").filter {
                !$0.hasPrefix("X-Spam-") && !$0.hasPrefix("X-Hamlet-")
            }
            .joined(separator: "\n")
            XCTAssertTrue(originals.contains(trimmed(stripped)), text)
        }
    }

    func testCRLFMessagesAsSieveFeedsThemKeepTheByteForByteContract() throws {
        for message in try unseen("spam") + unseen("ham") {
            let lf = String(decoding: try Data(contentsOf: message), as: UTF8.self).replacingOccurrences(
                of: "\r\n", with: "\n")
            let crlf = Array(lf.replacingOccurrences(of: "\n", with: "\r\n").utf8)
            let result = try hamlet.run(["filter", "--db", store], stdin: crlf)
            XCTAssertEqual(result.status, 0)
            let output = result.text
            XCTAssertFalse(
                output.replacingOccurrences(of: "\r\n", with: "").contains("\n"),
                "a bare LF in \(message.lastPathComponent)")
            let lines = output.components(separatedBy: "\r\n")
            let added = lines.filter { $0.hasPrefix("X-Spam-") || $0.hasPrefix("X-Hamlet-") }
            XCTAssertEqual(added.count, 4)
            XCTAssertEqual(Array(lines.filter { !added.contains($0) }.joined(separator: "\r\n").utf8), crlf)
            // The fields sit at the end of the header block.
            let blank = try XCTUnwrap(lines.firstIndex(of: ""))
            XCTAssertEqual(Array(lines[(blank - 4)..<blank]), added)
        }
    }
}
