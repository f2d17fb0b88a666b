import Foundation
import HamletTestSupport
import XCTest

/// rspamd's own spamassassin scanner (the external_services module, from Debian's rspamd) asking hamlet-serve over
/// spamd's protocol on TCP, configured as Resources/rspamd/external_services.conf says: a spam gets the scanner's
/// symbol with Hamlet's verdict as its option, a ham gets nothing. rspamd runs in the foreground as nobody, with
/// its DNS pointed at nothing and only that module loaded, on loopback ports chosen at run time.
final class RspamdScannerEndToEndTests: XCTestCase {
    var harness: DaemonHarness!

    override func setUpWithError() throws {
        let needed = ["/usr/bin/rspamd", "/usr/bin/rspamc"]
        guard needed.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }), getuid() == 0 else {
            if TestSupport.isCI { XCTFail("rspamd (Debian package) and root are needed") }
            throw XCTSkip("rspamd missing, or not root")
        }
        harness = try DaemonHarness("rspamd-scanner")
        chmod(harness.home.path, 0o777)
    }

    override func tearDown() { harness?.stop() }

    func testRspamdsSpamassassinScannerFlagsTheSpamAndPassesTheHam() throws {
        let hamletPort = DaemonHarness.freePort()
        try harness.start(
            DaemonHarness.program("hamlet-serve"), ["--listen", "127.0.0.1:\(hamletPort)", "--db", harness.store]
        ) { DaemonHarness.listening(hamletPort) }
        let rspamdPort = DaemonHarness.freePort()
        let folder = harness.home.path
        let recipe = try String(
            contentsOf: TestSupport.packageRoot.appendingPathComponent("Resources/rspamd/external_services.conf"),
            encoding: .utf8
        ).replacingOccurrences(of: "127.0.0.1:783", with: "127.0.0.1:\(hamletPort)")
        try """
        options { pidfile = "\(folder)/rspamd.pid"; dns { nameserver = ["127.0.0.1:1"]; } }
        logging { type = "file"; filename = "\(folder)/rspamd.log"; level = "error"; }
        lua = "$RULESDIR/rspamd.lua";
        modules { path = "$PLUGINSDIR/external_services.lua"; }
        worker "normal" { bind_socket = "127.0.0.1:\(rspamdPort)"; count = 1; }
        external_services {
        \(recipe)
        }

        """.write(toFile: folder + "/rspamd.conf", atomically: true, encoding: .utf8)
        try harness.start(
            "/usr/bin/rspamd", ["-f", "-c", folder + "/rspamd.conf", "-u", "nobody", "-g", "nogroup"]
        ) { DaemonHarness.listening(rspamdPort) }

        func scan(_ name: String) throws -> String {
            let result = try harness.run(
                "/usr/bin/rspamc", ["-h", "127.0.0.1:\(rspamdPort)", "symbols"], stdin: try DaemonHarness.message(name))
            XCTAssertEqual(result.status, 0, result.error)
            return result.text
        }
        let spam = try scan("spam/spam-009.eml")
        XCTAssertTrue(spam.contains("Symbol: HAMLET ("), spam)
        XCTAssertTrue(spam.contains("[HAMLET_SPAM]"), spam)
        let ham = try scan("ham/ham-019.eml")
        XCTAssertFalse(ham.contains("HAMLET"), ham)
        let log = (try? String(contentsOfFile: folder + "/rspamd.log", encoding: .utf8)) ?? ""
        XCTAssertFalse(log.contains("failed to scan"), log)
    }
}
