import Foundation
import HamletTestSupport
import XCTest

/// The daemon against hostile clients: every pathological message over the socket gets PROCESS's answer (the
/// message with Hamlet's fields, as `hamlet filter` writes it); a wrong Content-length, mis-cased or malformed
/// headers and clients that vanish mid-message get a protocol error or nothing, and the daemon serves the next
/// client as before.
final class HostileClientsEndToEndTests: XCTestCase {
    var harness: DaemonHarness!
    var socket: String { harness.socket }

    override func setUpWithError() throws {
        harness = try DaemonHarness("hostile")
        try harness.startDaemon(["--timeout", "5"])
    }

    override func tearDown() { harness?.stop() }

    private func request(_ verb: String, _ message: [UInt8], length: Int? = nil) -> [UInt8] {
        Array("\(verb) SPAMC/1.5\r\nContent-length: \(length ?? message.count)\r\n\r\n".utf8) + message
    }

    private func assertStillServes(_ label: String) throws {
        let reply = DaemonHarness.exchange(request("CHECK", try DaemonHarness.message("spam/spam-009.eml")), on: socket)
        XCTAssertTrue(reply.contains("Spam: True"), "\(label): \(reply.prefix(200))")
    }

    func testEveryPathologicalMessageIsAnsweredAsHamletFilterWouldAnswerIt() throws {
        for testCase in PathologicalMessages.all {
            let message = testCase.make(0.02)
            let started = Date()
            let reply = DaemonHarness.exchangeBytes(request("PROCESS", message), on: socket)
            XCTAssertLessThan(Date().timeIntervalSince(started), 60, "\(testCase.name): watchdog")
            let filtered = try harness.run(
                DaemonHarness.program("hamlet"), ["filter", "--db", harness.store], stdin: message)
            let separator: [UInt8] = [13, 10, 13, 10]
            guard let split = (0..<max(0, reply.count - 3)).first(where: { Array(reply[$0..<$0 + 4]) == separator })
            else {
                XCTFail("\(testCase.name): no reply: \(String(decoding: reply.prefix(200), as: UTF8.self))")
                continue
            }
            XCTAssertTrue(reply.starts(with: Array("SPAMD/1.1 0 EX_OK".utf8)), testCase.name)
            XCTAssertTrue(Array(reply[(split + 4)...]) == filtered.output, "\(testCase.name): PROCESS differs")
        }
        try assertStillServes("after the pathological messages")
    }

    func testWrongLengthsMisCasedHeadersAndVanishingClientsLeaveTheDaemonServing() throws {
        let message = try DaemonHarness.message("ham/ham-019.eml")
        // Longer than what is sent, then the client's side closes: a protocol error.
        XCTAssertTrue(
            DaemonHarness.exchange(request("CHECK", message, length: message.count + 500), on: socket)
                .hasPrefix("SPAMD/1.0 76 EX_PROTOCOL"))
        // Shorter: the message is the first Content-length bytes, as spamd reads it.
        XCTAssertTrue(
            DaemonHarness.exchange(request("CHECK", message, length: 200), on: socket).hasPrefix("SPAMD/1.1 0 EX_OK"))
        // Not a number, negative, or beyond the size cap: protocol errors.
        for length in ["abc", "-5", "99999999999999999999", "1e6"] {
            let text = "CHECK SPAMC/1.5\r\nContent-length: \(length)\r\n\r\nhello"
            XCTAssertTrue(
                DaemonHarness.exchange(Array(text.utf8), on: socket).hasPrefix("SPAMD/1.0 76 EX_PROTOCOL"), length)
        }
        // A mis-cased name is not spamd's Content-length (spamd matches names exactly): the message runs to the
        // client's close, so it is still scored whole.
        let misCased = Array("CHECK SPAMC/1.5\r\ncontent-LENGTH: 3\r\n\r\n".utf8) + message
        XCTAssertTrue(DaemonHarness.exchange(misCased, on: socket).hasPrefix("SPAMD/1.1 0 EX_OK"))
        // Header lines without a colon, an unknown verb, a missing version, binary noise: protocol errors.
        for text in ["CHECK SPAMC/1.5\r\nno colon here\r\n\r\n", "STEAL SPAMC/1.5\r\n\r\n", "CHECK\r\n\r\n"] {
            XCTAssertTrue(DaemonHarness.exchange(Array(text.utf8), on: socket).hasPrefix("SPAMD/1.0 76"), text)
        }
        XCTAssertTrue(
            DaemonHarness.exchange((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) } + [10, 10], on: socket)
                .hasPrefix("SPAMD/1.0 76"))
        // Clients that vanish: after the first line, mid-header, mid-message.
        for cut in [10, 30, 120] {
            let fd = DaemonHarness.connect(to: socket)
            XCTAssertGreaterThanOrEqual(fd, 0)
            DaemonHarness.send(Array(request("PROCESS", message).prefix(cut)), on: fd)
            close(fd)
        }
        try assertStillServes("after the vanishing clients")
    }
}
