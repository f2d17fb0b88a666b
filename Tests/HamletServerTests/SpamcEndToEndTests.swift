import Foundation
import HamletTestSupport
import XCTest

/// The daemon through Debian's real spamc, unchanged, on a Unix socket in a temporary folder: PROCESS gives exactly
/// what `hamlet filter` writes, CHECK, REPORT, SYMBOLS and PING answer as spamc expects, and a protocol-1.2 client
/// (Exim) gets 1.2 framing. The daemon is stopped after each test, passed or failed.
final class SpamcEndToEndTests: XCTestCase {
    var harness: DaemonHarness!
    var home: URL { harness.home }
    var store: String { harness.store }
    var socket: String { harness.socket }
    let spamc = "/usr/bin/spamc"
    let corpus = TestSupport.sampleCorpus
    static var buildFolder: URL { DaemonHarness.buildFolder }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: spamc) else {
            if TestSupport.isCI { XCTFail("spamc is needed (Debian package spamc)") }
            throw XCTSkip("spamc is not installed")
        }
        harness = try DaemonHarness("serve") { "[serve]\nuser_stores = \"\($0.path)/users/%u.sqlite\"\n" }
        try harness.startDaemon(["--jobs", "2", "--socket-mode", "0660", "--socket-group", "65534", "--allow-tell"])
    }

    override func tearDown() { harness?.stop() }

    private func run(_ program: String, _ arguments: [String], stdin: [UInt8] = []) throws -> DaemonHarness.Result {
        try harness.run(program, arguments, stdin: stdin)
    }

    private func message(_ name: String) throws -> [UInt8] { try DaemonHarness.message(name) }

    func testProcessGivesExactlyWhatHamletFilterWrites() throws {
        for name in ["spam/spam-009.eml", "spam/spam-001.eml", "ham/ham-019.eml", "ham/ham-050.eml"] {
            let bytes = try message(name)
            let filtered = try run(
                Self.buildFolder.appendingPathComponent("hamlet").path, ["filter", "--db", store],
                stdin: bytes)
            let processed = try run(spamc, ["-U", socket, "-x"], stdin: bytes)
            XCTAssertEqual(processed.status, 0, processed.error)
            XCTAssertEqual(processed.output, filtered.output, name)
            XCTAssertTrue(String(decoding: processed.output, as: UTF8.self).contains("X-Hamlet-Verdict:"), name)
        }
    }

    func testTheDaemonFollowsTheStoreWhenItLearns() throws {
        let hamlet = Self.buildFolder.appendingPathComponent("hamlet").path
        let bytes = try message("ham/ham-019.eml")
        let before = try run(spamc, ["-U", socket, "-x"], stdin: bytes)
        let taught = try run(hamlet, ["train", "--db", store, "--spam", "-"], stdin: bytes)
        XCTAssertEqual(taught.status, 0, taught.error)
        let after = try run(spamc, ["-U", socket, "-x"], stdin: bytes)
        XCTAssertNotEqual(after.output, before.output, "the model it holds moved with the store")
        XCTAssertEqual(after.output, try run(hamlet, ["filter", "--db", store], stdin: bytes).output)
    }

    func testSpamcLearnsMovesAndForgetsThroughTellInTheUsersStore() throws {
        let hamlet = Self.buildFolder.appendingPathComponent("hamlet").path
        let bytes = try message("ham/ham-019.eml")
        let carol = home.appendingPathComponent("users/carol.sqlite").path
        func examples() throws -> String {
            let stats = String(decoding: try run(hamlet, ["stats", "--db", carol]).output, as: UTF8.self)
            return stats.split(separator: "\n").first { $0.hasPrefix("examples") }.map(String.init) ?? stats
        }
        let learned = try run(spamc, ["-U", socket, "-u", "carol", "-L", "spam"], stdin: bytes)
        XCTAssertEqual(learned.status, 0, learned.error)
        XCTAssertTrue(String(decoding: learned.output, as: UTF8.self).contains("Message successfully un/learned"))
        XCTAssertEqual(try examples(), "examples         1 spam, 0 ham")
        XCTAssertEqual(try run(spamc, ["-U", socket, "-u", "carol", "-L", "ham"], stdin: bytes).status, 0)
        XCTAssertEqual(try examples(), "examples         0 spam, 1 ham", "the other label moves it, as train does")
        XCTAssertEqual(try run(spamc, ["-U", socket, "-u", "carol", "-L", "forget"], stdin: bytes).status, 0)
        XCTAssertEqual(try examples(), "examples         0 spam, 0 ham")
        let site = String(decoding: try run(hamlet, ["stats", "--db", store]).output, as: UTF8.self)
        XCTAssertTrue(site.contains("66 spam, 66 ham"), "the site store is untouched: \(site)")
    }

    func testTellIsRefusedUnlessAllowedAndForAUserWithoutAStoreName() throws {
        let bytes = try message("ham/ham-019.eml")
        let hamlet = DaemonHarness.program("hamlet")
        func siteExamples() throws -> String {
            try run(hamlet, ["stats", "--db", store]).text.split(separator: "\n").first { $0.hasPrefix("examples") }
                .map(String.init) ?? ""
        }
        let before = try siteExamples()
        let port = try harness.startDaemonOnAPort(["--listen", "127.0.0.1:0"])
        let closed = try run(spamc, ["-d", "127.0.0.1", "-p", String(port), "-L", "spam"], stdin: bytes)
        XCTAssertNotEqual(closed.status, 0, "TELL without --allow-tell is refused")
        let odd = try run(spamc, ["-U", socket, "-u", "../site", "-L", "spam"], stdin: bytes)
        XCTAssertNotEqual(odd.status, 0, "a user name that names no store does not fall through to the site's")
        XCTAssertEqual(try siteExamples(), before)
    }

    func testEachUserIsScoredByTheirOwnStoreOnceItIsMatureAndByTheSiteStoreBefore() throws {
        let hamlet = Self.buildFolder.appendingPathComponent("hamlet").path
        let bytes = try message("ham/ham-019.eml")
        XCTAssertEqual(try run(spamc, ["-U", socket, "-u", "alice", "-c"], stdin: bytes).status, 0, "site: ham")
        // Alice teaches one message: her store exists but is too young to score with.
        XCTAssertEqual(try run(spamc, ["-U", socket, "-u", "alice", "-L", "spam"], stdin: bytes).status, 0)
        let alice = home.appendingPathComponent("users/alice.sqlite").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: alice))
        XCTAssertEqual(try run(spamc, ["-U", socket, "-u", "alice", "-c"], stdin: bytes).status, 0, "still the site's")
        // Alice's mail is the other way round from the site's: once her store is mature, her model decides.
        let trained = try run(
            hamlet,
            [
                "train", "--db", alice, "--spam", corpus.appendingPathComponent("ham").path, "--ham",
                corpus.appendingPathComponent("spam").path
            ])
        XCTAssertEqual(trained.status, 0, trained.error)
        XCTAssertEqual(try run(spamc, ["-U", socket, "-u", "alice", "-c"], stdin: bytes).status, 1, "alice: spam")
        XCTAssertEqual(try run(spamc, ["-U", socket, "-u", "bob", "-c"], stdin: bytes).status, 0, "bob: the site's")
        let site = try run(hamlet, ["filter", "--db", store], stdin: bytes).output
        XCTAssertEqual(try run(spamc, ["-U", socket, "-u", "bob"], stdin: bytes).output, site)
        XCTAssertNotEqual(try run(spamc, ["-U", socket, "-u", "alice"], stdin: bytes).output, site)
    }

    func testTheSocketAdmitsItsGroupAndNoOtherUser() throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: socket)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o660)
        XCTAssertEqual((attributes[.groupOwnerAccountID] as? NSNumber)?.intValue, 65534)
        guard getuid() == 0 else { return }
        // The folder must let them reach the socket; the socket's mode and group decide the rest.
        chmod(home.path, 0o755)
        let member = try run(
            "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", spamc, "-U", socket, "-K"])
        XCTAssertEqual(member.status, 0, "a member of the socket's group connects: \(member.error)")
        let stranger = try run(
            "/usr/bin/setpriv", ["--reuid=4242", "--regid=4242", "--clear-groups", spamc, "-U", socket, "-K"])
        XCTAssertNotEqual(stranger.status, 0, "another user does not")
    }

    func testOverTCPOnlyTheAllowedNetworksAreServed() throws {
        let bytes = try message("spam/spam-009.eml")
        let port = try harness.startDaemonOnAPort(["--listen", "127.0.0.1:0", "--allow", "127.0.0.0/8"])
        let check = try run(spamc, ["-d", "127.0.0.1", "-p", String(port), "-c", "-x"], stdin: bytes)
        XCTAssertEqual(check.status, 1, "spam, scored over TCP: \(check.error)")
        let otherPort = try harness.startDaemonOnAPort(["--listen", "127.0.0.1:0", "--allow", "10.0.0.0/8"])
        let refused = try run(spamc, ["-d", "127.0.0.1", "-p", String(otherPort), "-c", "-x", "-t", "5"], stdin: bytes)
        XCTAssertNotEqual(refused.status, 0, "a client outside the allowed networks is not served")
        XCTAssertNotEqual(refused.status, 1)
    }

    func testCheckReportSymbolsAndPingAnswerAsSpamcExpects() throws {
        let spam = try message("spam/spam-009.eml"), ham = try message("ham/ham-019.eml")
        let checkSpam = try run(spamc, ["-U", socket, "-c"], stdin: spam)
        XCTAssertEqual(checkSpam.status, 1, "spamc -c exits 1 for spam: \(checkSpam.error)")
        // spamc prints the score and the required score on SpamAssassin's scale, as X-Spam-Status carries them.
        XCTAssertEqual(String(decoding: checkSpam.output, as: UTF8.self), "8.9/5.0\n")
        let checkHam = try run(spamc, ["-U", socket, "-c"], stdin: ham)
        XCTAssertEqual(checkHam.status, 0, checkHam.error)
        XCTAssertEqual(String(decoding: checkHam.output, as: UTF8.self), "-1.5/5.0\n")
        let report = try run(spamc, ["-U", socket, "-R"], stdin: spam)
        XCTAssertTrue(String(decoding: report.output, as: UTF8.self).contains("Hamlet: spam, p(spam) "))
        let symbols = try run(spamc, ["-U", socket, "-y"], stdin: spam)
        XCTAssertEqual(String(decoding: symbols.output, as: UTF8.self), "HAMLET_SPAM")
        let ping = try run(spamc, ["-U", socket, "-K"])
        XCTAssertEqual(ping.status, 0, ping.error)
    }

    func testAVersionOnePointTwoClientGetsItsOwnFramingAndNonsenseGetsAProtocolError() throws {
        let body = try message("spam/spam-009.eml")
        let reply = try exchange(Array("REPORT SPAMC/1.2\r\nContent-length: \(body.count)\r\n\r\n".utf8) + body)
        XCTAssertTrue(reply.hasPrefix("SPAMD/1.1 0 EX_OK\r\nSpam: True ; "), reply)
        XCTAssertFalse(reply.contains("Content-length"), "Exim fails on 1.3 framing")
        let modern = try exchange(Array("REPORT SPAMC/1.5\r\nContent-length: \(body.count)\r\n\r\n".utf8) + body)
        XCTAssertTrue(modern.hasPrefix("SPAMD/1.1 0 EX_OK\r\nContent-length: "), modern)
        XCTAssertTrue(try exchange(Array("NONSENSE\r\n\r\n".utf8)).hasPrefix("SPAMD/1.0 76 "))
    }

    func testAZlibCompressedRequestIsScoredAsThePlainOne() throws {
        let body = try message("spam/spam-009.eml")
        let compressed = try run(
            "/usr/bin/python3",
            ["-c", "import sys, zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read()))"],
            stdin: body
        ).output
        XCTAssertFalse(compressed.isEmpty)
        let head = "PROCESS SPAMC/1.5\r\nContent-length: \(compressed.count)\r\nCompress: zlib\r\n\r\n"
        let zipped = try exchange(Array(head.utf8) + compressed)
        let plain = try exchange(Array("PROCESS SPAMC/1.5\r\nContent-length: \(body.count)\r\n\r\n".utf8) + body)
        XCTAssertTrue(zipped.hasPrefix("SPAMD/1.1 0 EX_OK"), zipped)
        XCTAssertEqual(zipped, plain)
        let broken = "PROCESS SPAMC/1.5\r\nContent-length: 5\r\nCompress: zlib\r\n\r\nnot z"
        XCTAssertTrue(try exchange(Array(broken.utf8)).hasPrefix("SPAMD/1.0 76 "))
    }

    private func exchange(_ request: [UInt8]) throws -> String {
        DaemonHarness.exchange(request, on: socket)
    }
}
