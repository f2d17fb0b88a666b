import Platform

/// The admin's opt-in record of `hamlet filter`'s decisions: one line per message (UTC time, message id,
/// verdict, p(spam), milliseconds), appended to a file or sent to syslog (facility mail, tag "hamlet").
public struct VerdictLog: Sendable {
    public let destination: String

    public init(destination: String) { self.destination = destination }

    public func record(messageID: String, verdict: String, probability: Double, milliseconds: Double) throws {
        let id = String(
            messageID.unicodeScalars.map { $0.value < 0x21 || $0.value == 0x7F ? " " : Character($0) }.prefix(200))
        let line =
            "\(utcTimestamp())\t\(id.isEmpty ? "-" : id)\t\(verdict)\t\(formatFixed(probability, decimals: 6))\t\(formatFixed(milliseconds, decimals: 1))"
        if destination == "syslog" {
            openlog("hamlet", LOG_PID, LOG_MAIL)
            withVaList([]) { vsyslog(LOG_INFO, line.replacingPercent, $0) }
            closelog()
            return
        }
        let fd = open(destination, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else {
            throw HamletError.io("cannot write the verdict log \(destination): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array((line + "\n").utf8)
        // One write(2) with O_APPEND: lines from concurrent filters never interleave.
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written != bytes.count { throw HamletError.io("cannot write the verdict log \(destination)") }
    }
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ`.
public func utcTimestamp(_ seconds: Int = Int(time(nil))) -> String {
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return
        "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
}

extension String {
    /// The string with `%` doubled, safe as a printf format.
    fileprivate var replacingPercent: String {
        var out = ""
        for c in self { out += c == "%" ? "%%" : String(c) }
        return out
    }
}
