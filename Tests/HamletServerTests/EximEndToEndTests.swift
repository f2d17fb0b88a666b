import Foundation
import HamletTestSupport
import XCTest

/// Exim's spam ACL against the daemon, with Debian's real exim (unpacked under .build/test-tools by the test
/// command, not installed as an MTA) in host-checking mode (`exim -bh`): Exim sends `REPORT SPAMC/1.2` and reads
/// 1.2 framing; `spam = user` holds for spam and not for ham, and `$spam_score` and `$spam_score_int` carry
/// the score on SpamAssassin's scale.
final class EximEndToEndTests: XCTestCase {
    var harness: DaemonHarness!
    var home: URL { harness.home }
    var socket: String { harness.socket }
    let corpus = TestSupport.sampleCorpus
    let tools = TestSupport.packageRoot.appendingPathComponent(".build/test-tools/exim")
    var exim: String { tools.appendingPathComponent("usr/sbin/exim4").path }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: exim), getuid() == 0 else {
            if TestSupport.isCI { XCTFail("exim (unpacked by scripts/setup.sh --test) and root are needed") }
            throw XCTSkip("exim is not unpacked under .build/test-tools, or not root")
        }
        harness = try DaemonHarness("exim")
        harness.extraEnvironment["LD_LIBRARY_PATH"] =
            tools.appendingPathComponent("usr/lib/x86_64-linux-gnu").path + ":"
            + tools.appendingPathComponent("usr/lib").path
        chmod(home.path, 0o755)
        for folder in ["spool", "log"] {
            let url = home.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            chmod(url.path, 0o777)
        }
        try """
        primary_hostname = test.example
        spamd_address = \(socket)
        spool_directory = \(home.appendingPathComponent("spool").path)
        log_file_path = \(home.appendingPathComponent("log").path)/%slog
        exim_user = nobody
        exim_group = nogroup
        acl_smtp_rcpt = acl_rcpt
        acl_smtp_data = acl_data
        begin acl
        acl_rcpt:
          accept
        acl_data:
          warn spam = nobody:true
               add_header = X-Hamlet-Exim: score=$spam_score int=$spam_score_int
          warn spam = nobody
               add_header = X-Hamlet-Exim-Verdict: spam
          accept

        """.write(to: home.appendingPathComponent("exim.conf"), atomically: true, encoding: .utf8)
        try harness.startDaemon(["--socket-mode", "0666"])
    }

    override func tearDown() { harness?.stop() }

    /// Exim's diagnostics for one SMTP session delivering `name`.
    private func session(_ name: String) throws -> String {
        var smtp = Array(
            "HELO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@test.example>\r\nDATA\r\n".utf8)
        let message = String(decoding: try Data(contentsOf: corpus.appendingPathComponent(name)), as: UTF8.self)
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            smtp += Array(((line.hasPrefix(".") ? "." : "") + line + "\r\n").utf8)
        }
        smtp += Array(".\r\nQUIT\r\n".utf8)
        let result = try harness.run(
            exim, ["-C", home.appendingPathComponent("exim.conf").path, "-bh", "192.0.2.1"], stdin: smtp)
        return result.text + result.error + "(exit \(result.status))"
    }

    func testEximsSpamConditionAndScoresComeFromTheDaemon() throws {
        let spam = try session("spam/spam-009.eml")
        XCTAssertTrue(spam.contains("= X-Hamlet-Exim: score=8.9 int=89"), spam)
        XCTAssertTrue(spam.contains("= X-Hamlet-Exim-Verdict: spam"), spam)
        let ham = try session("ham/ham-019.eml")
        XCTAssertTrue(ham.contains("= X-Hamlet-Exim: score=-1.5 int=-14"), ham)
        XCTAssertFalse(ham.contains("= X-Hamlet-Exim-Verdict: spam"), ham)
        XCTAssertFalse(ham.contains("cannot parse spamd output"), ham)
        XCTAssertFalse(spam.contains("spam acl condition: error"), spam)
    }
}
