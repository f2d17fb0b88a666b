import Foundation
import HamletTestSupport
import XCTest

/// rspamd's HTTP protocol from the daemon, asked by curl as rspamc and rspamd's proxy ask: `/checkv2` scores with
/// Hamlet's fields under `milter.add_headers` (the same fields `hamlet filter` adds), `/learnspam` teaches,
/// `/ping`, `/healthz` and `/metrics` answer. The daemon listens on a port the system chooses, loopback only.
final class RspamdHTTPEndToEndTests: XCTestCase {
    var harness: DaemonHarness!
    var port = 0
    var store: String { harness.store }
    let corpus = TestSupport.sampleCorpus
    var bin: URL { DaemonHarness.buildFolder }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else {
            if TestSupport.isCI { XCTFail("curl is needed") }
            throw XCTSkip("curl is not installed")
        }
        harness = try DaemonHarness("rspamd-http")
        port = try harness.startDaemonOnAPort(["--http", "127.0.0.1:0", "--allow-tell"])
    }

    override func tearDown() { harness?.stop() }

    private func run(_ program: String, _ arguments: [String], stdin: [UInt8] = []) throws -> DaemonHarness.Result {
        try harness.run(program, arguments, stdin: stdin)
    }

    /// curl's reply body and status for `method path`, with `message` as the body.
    private func http(_ method: String, _ path: String, _ message: [UInt8] = [], headers: [String] = []) throws -> (
        status: Int, body: String
    ) {
        var arguments = ["-s", "-X", method, "-w", "\n%{http_code}", "--data-binary", "@-"]
        for header in headers { arguments += ["-H", header] }
        let result = try run("/usr/bin/curl", arguments + ["http://127.0.0.1:\(port)\(path)"], stdin: message)
        let text = String(decoding: result.output, as: UTF8.self)
        let split = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(split.last ?? "") ?? 0, split.dropLast().joined(separator: "\n"))
    }

    func testCheckV2ScoresWithTheFieldsHamletFilterAdds() throws {
        let bytes = Array(try Data(contentsOf: corpus.appendingPathComponent("spam/spam-009.eml")))
        let reply = try http(
            "POST", "/checkv2", bytes,
            headers: [
                "From: a@example.org", "Rcpt: b@example.net",
                "Ip: 192.0.2.1", "Queue-Id: 4XYZ"
            ])
        XCTAssertEqual(reply.status, 200, reply.body)
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any], reply.body)
        XCTAssertEqual(json["action"] as? String, "add header")
        XCTAssertEqual(json["required_score"] as? Double, 5.0)
        XCTAssertGreaterThanOrEqual(json["score"] as? Double ?? 0, 5.0)
        XCTAssertNotNil((json["symbols"] as? [String: Any])?["HAMLET_SPAM"])
        let added = try XCTUnwrap((json["milter"] as? [String: Any])?["add_headers"] as? [String: [String: Any]])
        let filtered = String(
            decoding: try run(bin.appendingPathComponent("hamlet").path, ["filter", "--db", store], stdin: bytes)
                .output,
            as: UTF8.self)
        for name in ["X-Spam-Flag", "X-Spam-Status", "X-Spam-Level", "X-Hamlet-Verdict"] {
            let value = try XCTUnwrap(added[name]?["value"] as? String, name)
            XCTAssertTrue(filtered.contains("\(name): \(value)\n"), "\(name): \(value)")
        }
        let ham = Array(try Data(contentsOf: corpus.appendingPathComponent("ham/ham-019.eml")))
        XCTAssertTrue(try http("POST", "/checkv2", ham).body.contains("\"action\":\"no action\""))
    }

    func testRspamcReadsTheReplyAndLearns() throws {
        let rspamc = "/usr/bin/rspamc"
        guard FileManager.default.isExecutableFile(atPath: rspamc) else {
            if TestSupport.isCI { return XCTFail("rspamc is needed (Debian package rspamd)") }
            throw XCTSkip("rspamc is not installed")
        }
        let spam = Array(try Data(contentsOf: corpus.appendingPathComponent("spam/spam-009.eml")))
        let checked = try run(rspamc, ["-h", "127.0.0.1:\(port)", "symbols"], stdin: spam)
        XCTAssertEqual(checked.status, 0, checked.error)
        let text = String(decoding: checked.output, as: UTF8.self)
        XCTAssertTrue(text.contains("Action: add header"), text)
        XCTAssertTrue(text.contains("Spam: true"), text)
        XCTAssertTrue(text.contains("Symbol: HAMLET_SPAM"), text)
        let ham = Array(try Data(contentsOf: corpus.appendingPathComponent("ham/ham-019.eml")))
        let learned = try run(rspamc, ["-h", "127.0.0.1:\(port)", "learn_spam"], stdin: ham)
        XCTAssertEqual(learned.status, 0, learned.error)
        XCTAssertTrue(String(decoding: learned.output, as: UTF8.self).contains("success = true"))
    }

    func testLearningPingHealthAndMetrics() throws {
        let bytes = Array(try Data(contentsOf: corpus.appendingPathComponent("ham/ham-019.eml")))
        XCTAssertEqual(try http("POST", "/learnspam", bytes).body, "{\"success\":true}")
        let stats = String(
            decoding: try run(bin.appendingPathComponent("hamlet").path, ["stats", "--db", store]).output, as: UTF8.self
        )
        XCTAssertTrue(stats.contains("67 spam, 65 ham"), stats)
        XCTAssertTrue(try http("GET", "/ping").body.hasPrefix("pong"))
        XCTAssertTrue(try http("GET", "/healthz").body.hasPrefix("ok"))
        _ = try http("POST", "/checkv2", bytes)
        let metrics = try http("GET", "/metrics").body
        XCTAssertTrue(metrics.contains("hamlet_scoring_seconds_count 1"), metrics)
        XCTAssertTrue(metrics.contains("hamlet_requests_total{protocol=\"rspamd\"} 2"), metrics)
        XCTAssertEqual(try http("GET", "/nowhere").status, 404)
    }
}
