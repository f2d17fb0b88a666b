import Foundation
import HamletTestSupport
import XCTest

/// The daemon as a service: SIGTERM finishes what is in flight, removes its socket and exits; SIGHUP reads the
/// configuration again; the connection limit and the client timeout hold without delaying other clients; each
/// request leaves one log line; sockets passed by systemd (socket activation) are served.
final class OperationsEndToEndTests: XCTestCase {
    var harness: DaemonHarness!
    var socket: String { harness.socket }
    var logFile: URL { harness.home.appendingPathComponent("serve.log") }

    override func setUpWithError() throws {
        harness = try DaemonHarness("operations")
    }

    override func tearDown() { harness?.stop() }

    /// A CHECK request for `message` in spamc's form.
    private func check(_ message: [UInt8], verb: String = "CHECK") -> [UInt8] {
        Array("\(verb) SPAMC/1.5\r\nContent-length: \(message.count)\r\n\r\n".utf8) + message
    }

    private func waitForExit(_ process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        return !process.isRunning
    }

    func testSigtermFinishesTheRequestInFlightRemovesTheSocketAndExits() throws {
        let daemon = try harness.startDaemon()
        let message = try DaemonHarness.message("spam/spam-009.eml")
        let request = check(message)
        let idle = DaemonHarness.connect(to: socket)
        let busy = DaemonHarness.connect(to: socket)
        XCTAssertGreaterThanOrEqual(idle, 0)
        XCTAssertGreaterThanOrEqual(busy, 0)
        defer {
            close(idle)
            close(busy)
        }
        DaemonHarness.send(Array(request.prefix(request.count / 2)), on: busy)
        usleep(200_000)
        daemon.terminate()
        usleep(300_000)
        XCTAssertTrue(daemon.isRunning, "the daemon waits for the request in flight")
        XCTAssertFalse(FileManager.default.fileExists(atPath: socket) && DaemonHarness.connect(to: socket) >= 0)
        DaemonHarness.send(Array(request.dropFirst(request.count / 2)), on: busy)
        let reply = String(decoding: DaemonHarness.readToEnd(busy), as: UTF8.self)
        XCTAssertTrue(reply.hasPrefix("SPAMD/1.1 0 EX_OK\r\n"), reply)
        XCTAssertTrue(reply.contains("Spam: True"), reply)
        XCTAssertEqual(DaemonHarness.readToEnd(idle), [], "an idle client is disconnected")
        XCTAssertTrue(waitForExit(daemon, seconds: 5))
        XCTAssertEqual(daemon.terminationStatus, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: socket), "the socket file is removed")
    }

    func testSighupReadsTheConfigurationAgainAndKeepsItWhenTheNewOneIsBroken() throws {
        let daemon = try harness.startDaemon(errorLog: logFile)
        let message = try DaemonHarness.message("ham/ham-019.eml")
        XCTAssertTrue(DaemonHarness.exchange(check(message, verb: "PROCESS"), on: socket).contains("X-Spam-Status:"))
        try TestSupport.writeMatureStoreSettings(
            configHome: harness.home.appendingPathComponent("config"), extra: "[headers]\nstatus = \"X-Junk-Status\"\n")
        kill(daemon.processIdentifier, SIGHUP)
        XCTAssertTrue(waitForLog("configuration read again"))
        let reloaded = DaemonHarness.exchange(check(message, verb: "PROCESS"), on: socket)
        XCTAssertTrue(reloaded.contains("X-Junk-Status:"), reloaded)
        XCTAssertFalse(reloaded.contains("X-Spam-Status:"), reloaded)

        try TestSupport.writeMatureStoreSettings(
            configHome: harness.home.appendingPathComponent("config"), extra: "[headers]\nstatus = 42\n")
        kill(daemon.processIdentifier, SIGHUP)
        XCTAssertTrue(waitForLog("configuration not reloaded"))
        XCTAssertTrue(DaemonHarness.exchange(check(message, verb: "PROCESS"), on: socket).contains("X-Junk-Status:"))
    }

    func testBeyondTheConnectionLimitAClientIsDisconnectedAtOnceAndTheOthersAreServed() throws {
        try harness.startDaemon(["--max-connections", "2"])
        let first = DaemonHarness.connect(to: socket), second = DaemonHarness.connect(to: socket)
        defer {
            close(first)
            close(second)
        }
        usleep(200_000)
        let start = Date()
        XCTAssertEqual(DaemonHarness.exchange(check(try DaemonHarness.message("ham/ham-019.eml")), on: socket), "")
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        let message = try DaemonHarness.message("spam/spam-009.eml")
        DaemonHarness.send(check(message), on: first)
        XCTAssertTrue(String(decoding: DaemonHarness.readToEnd(first), as: UTF8.self).contains("Spam: True"))
        usleep(200_000)
        XCTAssertTrue(DaemonHarness.exchange(check(message), on: socket).contains("Spam: True"))
    }

    func testASilentClientIsDisconnectedAfterTheTimeoutWithoutDelayingOthers() throws {
        try harness.startDaemon(["--timeout", "1"])
        let silent = DaemonHarness.connect(to: socket)
        defer { close(silent) }
        DaemonHarness.send(Array("CHECK SPAMC/1.5\r\nContent-length: 100\r\n\r\nonly this".utf8), on: silent)
        let message = try DaemonHarness.message("spam/spam-009.eml")
        let start = Date()
        XCTAssertTrue(DaemonHarness.exchange(check(message), on: socket).contains("Spam: True"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.9, "another client is served while one is silent")
        XCTAssertEqual(DaemonHarness.readToEnd(silent), [])
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.5, "the silent client is cut off at its timeout")
    }

    func testEachRequestLeavesOneLogLine() throws {
        try harness.startDaemon(errorLog: logFile)
        let message = try DaemonHarness.message("spam/spam-009.eml")
        for verb in ["CHECK", "PROCESS", "SYMBOLS"] {
            _ = DaemonHarness.exchange(check(message, verb: verb), on: socket)
        }
        _ = DaemonHarness.exchange(Array("NONSENSE\r\n\r\n".utf8), on: socket)
        XCTAssertTrue(waitForLog("EX_PROTOCOL"))
        let lines = try String(contentsOf: logFile, encoding: .utf8).split(separator: "\n").filter {
            $0.contains("serve: spamd")
        }
        XCTAssertEqual(lines.count, 4, lines.joined(separator: "\n"))
        XCTAssertTrue(lines[0].contains("spamd CHECK user=- bytes=\(message.count) spam p="), String(lines[0]))
    }

    func testSocketsPassedBySystemdAreServed() throws {
        let activate = "/usr/bin/systemd-socket-activate"
        guard FileManager.default.isExecutableFile(atPath: activate) else {
            if TestSupport.isCI { XCTFail("systemd-socket-activate is needed (Debian package systemd)") }
            throw XCTSkip("systemd-socket-activate is not installed")
        }
        let socket = self.socket
        try harness.start(
            activate,
            [
                "-l", socket, "--fdname=spamd", "-E", "HOME", "-E", "XDG_CONFIG_HOME", "-E", "XDG_DATA_HOME",
                DaemonHarness.program("hamlet-serve"), "--db", harness.store
            ]
        ) { FileManager.default.fileExists(atPath: socket) }
        let message = try DaemonHarness.message("spam/spam-009.eml")
        let reply = DaemonHarness.exchange(check(message), on: socket)
        XCTAssertTrue(reply.contains("Spam: True"), reply)
        XCTAssertTrue(DaemonHarness.exchange(check(message), on: socket).contains("Spam: True"))
    }

    /// Waits (5 s at most) for the daemon's log to contain `text`.
    private func waitForLog(_ text: String) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let log = try? String(contentsOf: logFile, encoding: .utf8), log.contains(text) { return true }
            usleep(20_000)
        }
        return false
    }
}
