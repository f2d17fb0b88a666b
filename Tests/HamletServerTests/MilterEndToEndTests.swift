import Foundation
import HamletTestSupport
import XCTest

/// The milter path a Postfix or Sendmail host uses: miltertest plays the MTA, rspamd's proxy (milter mode, from
/// Debian's rspamd package) asks hamlet-serve's `/checkv2` as its only upstream, and inserts Hamlet's fields
/// into the message at the MTA, with the values `hamlet filter` gives them. rspamd runs in the foreground as
/// nobody, with its DNS pointed at nothing and no filters, on loopback ports chosen at run time.
final class MilterEndToEndTests: XCTestCase {
    var harness: DaemonHarness!
    var home: URL { harness.home }
    var store: String { harness.store }
    let corpus = TestSupport.sampleCorpus
    var bin: URL { DaemonHarness.buildFolder }

    override func setUpWithError() throws {
        let needed = ["/usr/bin/rspamd", "/usr/bin/miltertest"]
        guard needed.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }), getuid() == 0 else {
            if TestSupport.isCI { XCTFail("rspamd and miltertest (Debian packages) and root are needed") }
            throw XCTSkip("rspamd or miltertest missing, or not root")
        }
        harness = try DaemonHarness("milter")
        chmod(home.path, 0o777)
    }

    override func tearDown() { harness?.stop() }

    private func run(_ program: String, _ arguments: [String], stdin: [UInt8] = []) throws -> DaemonHarness.Result {
        try harness.run(program, arguments, stdin: stdin)
    }

    private func start(_ program: String, _ arguments: [String], listeningOn port: Int) throws {
        try harness.start(program, arguments) { DaemonHarness.listening(port) }
    }

    /// A Lua string literal.
    private func lua(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    func testTheRspamdProxyInsertsHamletsFieldsAtTheMTA() throws {
        let hamletPort = DaemonHarness.freePort()
        try start(
            bin.appendingPathComponent("hamlet-serve").path,
            ["--http", "127.0.0.1:\(hamletPort)", "--db", store], listeningOn: hamletPort)
        let proxyPort = DaemonHarness.freePort()
        let folder = home.path
        try """
        options { pidfile = "\(folder)/rspamd.pid"; dns { nameserver = ["127.0.0.1:1"]; } filters = ""; }
        logging { type = "file"; filename = "\(folder)/rspamd.log"; level = "error"; }
        worker "rspamd_proxy" {
          bind_socket = "127.0.0.1:\(proxyPort)"; milter = yes; timeout = 10s; count = 1;
          upstream "hamlet" { default = yes; self_scan = no; hosts = "127.0.0.1:\(hamletPort)"; }
        }

        """.write(toFile: folder + "/rspamd.conf", atomically: true, encoding: .utf8)
        try start(
            "/usr/bin/rspamd", ["-f", "-c", folder + "/rspamd.conf", "-u", "nobody", "-g", "nogroup"],
            listeningOn: proxyPort)

        let spam = try insertedFields("spam/spam-009.eml", port: proxyPort)
        XCTAssertTrue(spam.contains("X-Spam-Flag: YES"), "the message is spam: \(spam.prefix(200))")
        let ham = try insertedFields("ham/ham-019.eml", port: proxyPort)
        XCTAssertTrue(ham.contains("X-Spam-Flag: NO"), "the message is ham: \(ham.prefix(200))")
    }

    /// Sends the corpus message `name` through the milter on `port` and checks that the proxy inserts each of
    /// Hamlet's fields with the value `hamlet filter` gives it; returns what `hamlet filter` wrote.
    private func insertedFields(_ name: String, port proxyPort: Int) throws -> String {
        let folder = home.path
        let bytes = Array(try Data(contentsOf: corpus.appendingPathComponent(name)))
        let text = String(decoding: bytes, as: UTF8.self)
        let split = try XCTUnwrap(text.range(of: "\n\n"), "no header block")
        var headers: [(String, String)] = []
        for line in text[..<split.lowerBound].split(separator: "\n") {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += "\r\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(
                    (
                        String(line[..<colon]),
                        String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                    ))
            }
        }
        let body = String(text[split.upperBound...]).replacingOccurrences(of: "\n", with: "\r\n")
        // The values hamlet filter gives Hamlet's fields for this message.
        let filtered = try run(bin.appendingPathComponent("hamlet").path, ["filter", "--db", store], stdin: bytes)
            .text
        let names = ["X-Spam-Flag", "X-Spam-Status", "X-Spam-Level", "X-Hamlet-Verdict"]
        var script = [
            "conn = mt.connect(\"inet:\(proxyPort)@127.0.0.1\")", "if conn == nil then error(\"no connection\") end",
            "mt.conninfo(conn, \"client.example\", \"192.0.2.1\")", "mt.helo(conn, \"client.example\")",
            "mt.mailfrom(conn, \"a@example.org\")", "mt.rcptto(conn, \"b@example.net\")"
        ]
        script += headers.map { "mt.header(conn, \(lua($0.0)), \(lua($0.1)))" }
        script += ["mt.eoh(conn)", "mt.bodystring(conn, \(lua(body)))", "mt.eom(conn)"]
        for name in names {
            let line = filtered.split(separator: "\n").first { $0.hasPrefix(name + ": ") }.map(String.init) ?? ""
            let value = String(line.dropFirst(name.count + 2))
            script.append(
                "if mt.eom_check(conn, MT_HDRINSERT, \(lua(name)), \(lua(value))) or "
                    + "mt.eom_check(conn, MT_HDRADD, \(lua(name)), \(lua(value))) then print(\"added \(name)\") "
                    + "else print(\"missing \(name)\") end")
        }
        script.append("mt.disconnect(conn)")
        try (script.joined(separator: "\n") + "\n").write(
            toFile: folder + "/test.lua", atomically: true, encoding: .utf8)
        let result = try run("/usr/bin/miltertest", ["-s", folder + "/test.lua"])
        XCTAssertEqual(result.status, 0, result.text + result.error)
        for name in names { XCTAssertTrue(result.text.contains("added \(name)"), result.text + result.error) }
        return filtered
    }
}
