import HamletKit

/// rspamd's HTTP protocol, as rspamc and rspamd's proxy (a milter for Postfix and Sendmail) speak it:
/// `POST /checkv2` (the proxy sends `GET` with a body) returns the score as JSON, with Hamlet's header fields
/// under `milter.add_headers` so the proxy inserts them at the MTA; `/learnspam` and `/learnham` teach the
/// message; `/ping` answers `pong`. Beside them `GET /metrics` (Prometheus) and `GET /healthz`. The score and
/// `required_score` are on SpamAssassin's scale, as in the spamd replies and X-Spam-Status.
public struct RspamdResponder: Sendable {
    public let scanner: MessageScanner

    public init(scanner: MessageScanner) {
        self.scanner = scanner
    }

    /// An HTTP reply: status, content type and body.
    public struct Reply: Sendable, Equatable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]
    }

    /// The reply to a request for `path` with these headers (names compared without regard to case) and body.
    public func reply(method: String, path: String, headers: [(String, String)], body: [UInt8]) -> Reply {
        func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveEquals(name) }?.1
        }
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        switch (method, route) {
        case ("POST", "/checkv2"), ("GET", "/checkv2"), ("POST", "/checkv2/"):
            scanner.metrics.request("rspamd")
            return check(body, user: header("User") ?? header("Deliver-To"))
        case ("POST", "/learnspam"), ("POST", "/learnham"):
            scanner.metrics.request("rspamd")
            do {
                _ = try scanner.learn(
                    body, user: header("User") ?? header("Deliver-To"), asSpam: route == "/learnspam",
                    forget: false, request: "rspamd " + route)
                return json(200, "{\"success\":true}")
            } catch let refused as LearningRefused {
                return json(403, "{\"error\":\(jsonString(refused.reason))}")
            } catch {
                return json(500, "{\"error\":\(jsonString(describe(error)))}")
            }
        case ("GET", "/ping"), ("POST", "/ping"):
            return Reply(status: 200, contentType: "text/plain", body: Array("pong\r\n".utf8))
        case ("GET", "/healthz"): return Reply(status: 200, contentType: "text/plain", body: Array("ok\n".utf8))
        case ("GET", "/metrics"):
            return Reply(
                status: 200, contentType: "text/plain; version=0.0.4", body: Array(scanner.metrics.text().utf8))
        default:
            return json(404, "{\"error\":\(jsonString("no such endpoint: " + method + " " + route))}")
        }
    }

    func check(_ message: [UInt8], user: String?) -> Reply {
        let outcome = scanner.scan(message, user: user, request: "rspamd /checkv2")
        guard let result = outcome.classification, let output = outcome.output else {
            let reason = outcome.error.map { describe($0) } ?? "the message could not be scored"
            return json(503, "{\"error\":\(jsonString(reason))}")
        }
        let score = SpamAssassinScore(result).text
        let required = SpamAssassinScore.requiredText
        let symbol = "HAMLET_" + result.verdict.rawValue.uppercased()
        let fields = Self.fields(of: output, named: scanner.configuration.headerNames.all)
        let added = fields.enumerated().map { order, field in
            "\(jsonString(field.name)):{\"value\":\(jsonString(field.value)),\"order\":\(order)}"
        }
        let text =
            "{\"is_skipped\":false,\"score\":\(score),\"required_score\":\(required),"
            + "\"action\":\"\(result.verdict == .spam ? "add header" : "no action")\","
            + "\"symbols\":{\"\(symbol)\":{\"name\":\"\(symbol)\",\"score\":\(score),\"options\":[]}},"
            + "\"milter\":{\"add_headers\":{\(added.joined(separator: ","))},"
            + "\"remove_headers\":{\(fields.map { "\(jsonString($0.name)):0" }.joined(separator: ","))}}}"
        return json(200, text)
    }

    func json(_ status: Int, _ text: String) -> Reply {
        Reply(status: status, contentType: "application/json", body: Array(text.utf8))
    }

    /// The fields named `names` in the header block of `message`, unfolded, in order.
    static func fields(of message: [UInt8], named names: [String]) -> [(name: String, value: String)] {
        let head = message[..<SpamdResponder.headerBlockEnd(message)]
        var fields: [(name: String, value: String)] = []
        for line in head.split(separator: UInt8(ascii: "\n")) {
            var text = String(decoding: line, as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            if text.first == " " || text.first == "\t" {
                if !fields.isEmpty { fields[fields.count - 1].value += " " + text.trimmingCharacters() }
                continue
            }
            guard let colon = text.firstIndex(of: ":") else { continue }
            let name = String(text[..<colon])
            guard names.contains(where: { $0.caseInsensitiveEquals(name) }) else { continue }
            fields.append((name, String(text[text.index(after: colon)...]).trimmingCharacters()))
        }
        return fields
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count
            && zip(utf8, other.utf8).allSatisfy { a, b in
                (a | (a >= 65 && a <= 90 ? 0x20 : 0)) == (b | (b >= 65 && b <= 90 ? 0x20 : 0))
            }
    }

    func trimmingCharacters() -> String {
        Substring(self).trimmingSpaces()
    }
}
