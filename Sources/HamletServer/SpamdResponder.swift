import HamletKit
import Learning
import MailParser
import TextFeatures

/// Answers spamd requests the way `hamlet filter` scores: PROCESS returns exactly the bytes `hamlet filter` writes
/// for the same message and store. The score a reply carries is on SpamAssassin's scale (`SpamAssassinScore`), the
/// same two numbers as the X-Spam-Status field's `score=` and `required=`.
public struct SpamdResponder: Sendable {
    public let scanner: MessageScanner

    public init(scanner: MessageScanner) {
        self.scanner = scanner
    }

    /// The reply to `request`, nil for SKIP (which gets none).
    public func reply(to request: SpamdRequest) -> [UInt8]? {
        switch request.verb {
        case .skip: return nil
        case .ping: return Array("SPAMD/1.5 0 PONG\r\n".utf8)
        case .tell:
            return tell(request)
        case .check, .symbols, .report, .reportIfSpam, .process, .headers:
            break
        }
        scanner.metrics.request("spamd")
        let outcome = scanner.scan(
            request.body, user: request.headers["User"], request: "spamd " + request.verb.rawValue)
        guard let result = outcome.classification, let output = outcome.output else {
            let reason = outcome.error.map { describe($0) } ?? "the message could not be scored"
            return Self.error(75, "EX_TEMPFAIL", reason)
        }
        let isSpam = result.verdict == .spam
        let spamLine =
            "Spam: \(isSpam ? "True" : "False") ; \(SpamAssassinScore(result).text) / \(SpamAssassinScore.requiredText)"
        let payload: [UInt8]?
        switch request.verb {
        case .check: payload = nil
        case .symbols: payload = Array(Self.symbols(of: result).joined(separator: ",").utf8)
        case .report: payload = Array(Self.report(of: result).utf8)
        case .reportIfSpam: payload = isSpam ? Array(Self.report(of: result).utf8) : []
        case .process: payload = output
        case .headers: payload = Array(output[..<Self.headerBlockEnd(output)])
        case .ping, .skip, .tell: payload = nil
        }
        var reply = Array("SPAMD/1.1 0 EX_OK\r\n".utf8)
        if let payload, request.wantsContentLength { reply += Array("Content-length: \(payload.count)\r\n".utf8) }
        // Hamlet's own client asks for the three-way verdict, which `Spam: True|False` cannot carry.
        if request.headers["Hamlet-Verdict"] == "yes" {
            reply += Array("Hamlet-Verdict: \(result.verdict.rawValue)\r\n".utf8)
        }
        reply += Array((spamLine + "\r\n\r\n").utf8)
        if let payload { reply += payload }
        return reply
    }

    /// TELL: `Message-class: spam|ham` with `Set: local` teaches the message as `hamlet train` would; `Remove: local`
    /// forgets it as `hamlet forget` would. The reply says what was done (`DidSet`, `DidRemove`).
    func tell(_ request: SpamdRequest) -> [UInt8] {
        func names(_ header: String) -> [String] {
            (request.headers[header] ?? "").split(separator: ",").map { $0.trimmingSpaces() }
        }
        let set = names("Set").contains("local"), remove = names("Remove").contains("local")
        let label = request.headers["Message-class"]
        guard set || remove else { return Self.error(76, "EX_PROTOCOL", "TELL needs Set: local or Remove: local") }
        if set, label != "spam" && label != "ham" {
            return Self.error(76, "EX_PROTOCOL", "TELL with Set needs Message-class: spam or ham")
        }
        do {
            let done = try scanner.learn(
                request.body, user: request.headers["User"], asSpam: set ? label == "spam" : nil, forget: remove,
                request: "spamd TELL")
            let lines = (done.removed ? ["DidRemove: local"] : []) + (done.set ? ["DidSet: local"] : [])
            return Array(("SPAMD/1.1 0 EX_OK\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n").utf8)
        } catch let refused as LearningRefused {
            return Self.error(77, "EX_NOPERM", refused.reason)
        } catch {
            return Self.error(75, "EX_TEMPFAIL", describe(error))
        }
    }

    /// spamd's error reply: a status line with a sysexits code, then the connection closes.
    static func error(_ code: Int, _ name: String, _ reason: String) -> [UInt8] {
        let oneLine = reason.map { $0 == "\r" || $0 == "\n" ? " " : $0 }
        return Array("SPAMD/1.0 \(code) \(name): \(String(oneLine))\r\n".utf8)
    }

    /// The rule names a SYMBOLS reply lists.
    static func symbols(of result: Classification) -> [String] {
        var names = ["HAMLET_" + result.verdict.rawValue.uppercased()]
        if result.inTraining { names.append("HAMLET_IN_TRAINING") }
        return names
    }

    /// The text a REPORT reply carries.
    static func report(of result: Classification) -> String {
        var text =
            "Hamlet: \(result.verdict.rawValue), p(spam) \(formatFixed(result.probability, decimals: 3)) "
            + "(spam from \(formatFixed(result.spamThreshold, decimals: 3))), log-odds "
            + "\(formatFixed(result.logit, decimals: 4))\n"
        if result.inTraining { text += "The store is still in training: it calls nothing spam yet.\n" }
        return text
    }

    /// The length of the header block with the blank line after it (the whole message if it has no body).
    static func headerBlockEnd(_ message: [UInt8]) -> Int {
        var i = 0
        while i < message.count {
            if message[i] == UInt8(ascii: "\n") {
                if i + 1 < message.count, message[i + 1] == UInt8(ascii: "\n") { return i + 2 }
                if i + 2 < message.count, message[i + 1] == UInt8(ascii: "\r"), message[i + 2] == UInt8(ascii: "\n") {
                    return i + 3
                }
            }
            i += 1
        }
        return message.count
    }
}
