/// One request of SpamAssassin's spamd protocol, as spamc, Exim, spamass-milter and rspamd send it:
/// `VERB SPAMC/1.5`, header lines, a blank line, then the message (`Content-length` bytes of it).
public struct SpamdRequest: Sendable, Equatable {
    public enum Verb: String, Sendable, CaseIterable {
        case check = "CHECK", symbols = "SYMBOLS", report = "REPORT", reportIfSpam = "REPORT_IFSPAM"
        case process = "PROCESS", headers = "HEADERS", ping = "PING", skip = "SKIP", tell = "TELL"
    }

    public var verb: Verb
    /// The client's protocol version, e.g. (1, 5): replies to clients before 1.3 carry no `Content-length`.
    public var version: (major: Int, minor: Int)
    /// Header lines by name exactly as sent (clients and spamd match names case-sensitively).
    public var headers: [String: String]
    public var body: [UInt8]

    public static func == (a: SpamdRequest, b: SpamdRequest) -> Bool {
        a.verb == b.verb && a.version == b.version && a.headers == b.headers && a.body == b.body
    }

    /// Whether replies use the framing of protocol 1.3 and later (a `Content-length` before the body).
    public var wantsContentLength: Bool { version.major > 1 || (version.major == 1 && version.minor >= 3) }
}

/// Why a request could not be read; the reply names it with spamd's EX_PROTOCOL status (76).
public struct SpamdProtocolError: Error, Equatable, Sendable {
    public var message: String
}

/// Reads requests from the bytes received so far. A request is complete when its header block has ended and its
/// `Content-length` bytes have arrived, or, without a length, when the client has closed its side (spamc shuts down
/// its write side after the body).
public enum SpamdRequestParser {
    /// Requests longer than this are refused rather than held in memory.
    public static let maximumSize = 64 << 20

    /// The request in `bytes`, nil if more bytes are needed; `inputClosed` says no more will come.
    public static func parse(_ bytes: [UInt8], inputClosed: Bool) throws -> SpamdRequest? {
        guard let headerEnd = headerBlockEnd(bytes) else {
            if inputClosed { throw SpamdProtocolError(message: "the request ended inside its header block") }
            if bytes.count > 64 * 1024 { throw SpamdProtocolError(message: "header block too long") }
            return nil
        }
        // Split on bytes: in a Swift String "\r\n" is one Character, which a split on "\n" would not see.
        let lines = bytes[..<headerEnd.start].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { line in String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self) }
        guard let first = lines.first else { throw SpamdProtocolError(message: "empty request") }
        let parts = first.split(separator: " ")
        guard parts.count == 2, let verb = SpamdRequest.Verb(rawValue: String(parts[0])) else {
            throw SpamdProtocolError(message: "Bad header line: \(first.prefix(80))")
        }
        guard parts[1].hasPrefix("SPAMC/"), let version = Self.version(parts[1].dropFirst(6)) else {
            throw SpamdProtocolError(message: "Bad header line: \(first.prefix(80))")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw SpamdProtocolError(message: "Bad header line: \(line.prefix(80))")
            }
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingSpaces()
        }
        let body = bytes[headerEnd.end...]
        if let text = headers["Content-length"] {
            guard let length = Int(text), length >= 0, length <= maximumSize else {
                throw SpamdProtocolError(message: "Bad header line: Content-length: \(text.prefix(20))")
            }
            if body.count < length {
                if inputClosed { throw SpamdProtocolError(message: "the message ended before its Content-length") }
                return nil
            }
            return try SpamdRequest(
                verb: verb, version: version, headers: headers, body: decompressed(Array(body.prefix(length)), headers))
        }
        if verb == .ping || verb == .skip || inputClosed {
            return try SpamdRequest(
                verb: verb, version: version, headers: headers, body: decompressed(Array(body), headers))
        }
        if bytes.count > maximumSize { throw SpamdProtocolError(message: "request too long") }
        return nil
    }

    /// The body as the client meant it: inflated when sent with `Compress: zlib` (`Content-length` counts the
    /// compressed bytes).
    static func decompressed(_ body: [UInt8], _ headers: [String: String]) throws -> [UInt8] {
        guard let method = headers["Compress"] else { return body }
        guard method == "zlib" else {
            throw SpamdProtocolError(message: "Bad header line: Compress: \(method.prefix(20))")
        }
        guard let inflated = ZlibInflate.inflate(body, limit: maximumSize) else {
            throw SpamdProtocolError(message: "the message is not a zlib stream (Compress: zlib)")
        }
        return inflated
    }

    /// Where the blank line after the header block starts and where the body after it starts.
    static func headerBlockEnd(_ bytes: [UInt8]) -> (start: Int, end: Int)? {
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { return (i + 1, i + 2) }
                if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\r"), bytes[i + 2] == UInt8(ascii: "\n") {
                    return (i + 1, i + 3)
                }
            }
            i += 1
        }
        return nil
    }

    static func version(_ text: Substring) -> (major: Int, minor: Int)? {
        let numbers = text.split(separator: ".")
        guard numbers.count == 2, let major = Int(numbers[0]), let minor = Int(numbers[1]) else { return nil }
        return (major, minor)
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var text = self
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
