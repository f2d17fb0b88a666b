import Foundation
import HamletTestSupport
import XCTest

/// hamletc, the lean delivery client: through the daemon it writes exactly what `hamlet filter` writes and exits
/// with the same statuses; with the daemon absent, answering nonsense or too slow, the message passes unchanged
/// (or, with --tempfail, the mail system is asked to retry).
final class HamletcEndToEndTests: XCTestCase {
    var harness: DaemonHarness!
    var socket: String { harness.socket }
    var store: String { harness.store }
    var bin: URL { DaemonHarness.buildFolder }

    override func setUpWithError() throws { harness = try DaemonHarness("hamletc") }

    override func tearDown() { harness?.stop() }

    private func run(_ program: String, _ arguments: [String], stdin: [UInt8] = []) throws -> DaemonHarness.Result {
        try harness.run(program, arguments, stdin: stdin)
    }

    private func startServer(_ program: String, _ arguments: [String]) throws {
        let socket = self.socket
        try harness.start(program, arguments) { FileManager.default.fileExists(atPath: socket) }
    }

    private func message(_ name: String) throws -> [UInt8] { try DaemonHarness.message(name) }

    func testThroughTheDaemonItWritesWhatHamletFilterWritesWithTheSameStatuses() throws {
        try startServer(bin.appendingPathComponent("hamlet-serve").path, ["--socket", socket, "--db", store])
        let hamletc = bin.appendingPathComponent("hamletc").path, hamlet = bin.appendingPathComponent("hamlet").path
        for name in ["spam/spam-009.eml", "ham/ham-019.eml", "ham/ham-050.eml"] {
            let bytes = try message(name)
            let filtered = try run(hamlet, ["filter", "--db", store, "--exit-code"], stdin: bytes)
            let client = try run(hamletc, ["--socket", socket, "--exit-code"], stdin: bytes)
            XCTAssertEqual(client.output, filtered.output, name)
            XCTAssertEqual(client.status, filtered.status, "\(name): \(client.error)")
            let fromFile = try run(
                hamletc,
                [
                    "--socket", socket, "--exit-code", "--input",
                    TestSupport.sampleCorpus.appendingPathComponent(name).path
                ])
            XCTAssertEqual(fromFile.output, filtered.output, "\(name) read with --input")
            XCTAssertEqual(fromFile.status, filtered.status)
        }
    }

    func testWithoutADaemonTheMessagePassesUnchangedAtOnce() throws {
        let hamletc = bin.appendingPathComponent("hamletc").path
        let bytes = try message("spam/spam-009.eml")
        let plain = try run(hamletc, ["--socket", socket], stdin: bytes)
        XCTAssertEqual(plain.status, 0)
        XCTAssertEqual(plain.output, bytes)
        XCTAssertTrue(plain.error.contains("passes unchanged"), plain.error)
        XCTAssertLessThan(plain.seconds, 2, "no retry stall")
        XCTAssertEqual(try run(hamletc, ["--socket", socket, "--exit-code"], stdin: bytes).status, 3)
        let tempfail = try run(hamletc, ["--socket", socket, "--tempfail"], stdin: bytes)
        XCTAssertEqual(tempfail.status, 75)
        XCTAssertEqual(tempfail.output, [])
        let typo = try run(hamletc, ["--sokcet", socket], stdin: bytes)
        XCTAssertEqual(typo.output, bytes, "a usage error still delivers the message")
    }

    /// A server that answers `reply` (or nothing, sleeping) to every connection.
    private func fakeServer(reply: String?) throws {
        let script = """
            import socket, sys, time
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(sys.argv[1]); s.listen(8)
            while True:
                c, _ = s.accept()
                if sys.argv[2] == "-":
                    time.sleep(30)
                else:
                    c.recv(1 << 20); c.sendall(sys.argv[2].encode()); c.close()
            """
        try startServer("/usr/bin/python3", ["-c", script, socket, reply ?? "-"])
    }

    func testNonsenseFromTheDaemonPassesTheMessageAtOnce() throws {
        try fakeServer(reply: "HELLO THERE\r\n\r\nnot spamd")
        let bytes = try message("ham/ham-019.eml")
        let result = try run(bin.appendingPathComponent("hamletc").path, ["--socket", socket], stdin: bytes)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output, bytes)
    }

    func testASlowDaemonIsLeftAfterTheTimeout() throws {
        try fakeServer(reply: nil)
        let bytes = try message("ham/ham-019.eml")
        let result = try run(
            bin.appendingPathComponent("hamletc").path, ["--socket", socket, "--timeout", "0.5", "--tempfail"],
            stdin: bytes)
        XCTAssertEqual(result.status, 75)
        XCTAssertGreaterThan(result.seconds, 0.45)
        XCTAssertLessThan(result.seconds, 5)
        XCTAssertTrue(result.error.contains("timed out"), result.error)
    }
}
