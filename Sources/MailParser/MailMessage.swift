import Platform

/// Limits that keep hostile messages from costing unbounded work. Parsing past a limit degrades to treating the
/// rest as opaque bytes; it never fails.
public struct ParseLimits: Sendable, Equatable {
    /// Deepest MIME nesting that is parsed into parts; deeper multiparts are kept as one text leaf.
    public var maxDepth: Int = 30
    /// Most MIME parts kept per message; later parts are ignored.
    public var maxParts: Int = 1000

    public init(maxDepth: Int = 30, maxParts: Int = 1000) {
        self.maxDepth = maxDepth
        self.maxParts = maxParts
    }
}

/// A parsed message: its top-level headers and its MIME tree. Parsing never throws and never drops text:
/// malformed structure degrades to the best-effort reading of the bytes.
public struct MailMessage: Sendable {
    public let headers: Headers
    public let root: MIMEPart

    public init(headers: Headers, root: MIMEPart) {
        self.headers = headers
        self.root = root
    }

    /// The first charset the message's parts declare other than ASCII and UTF-8: what raw 8-bit header text that
    /// is not UTF-8 was most likely written in (a GB2312 message's unencoded Subject is GB2312).
    public var textCharset: String? {
        for leaf in root.leaves {
            guard let declared = leaf.charset else { continue }
            let name = Charset.normalizedName(declared)
            if !name.isEmpty, name != "UTF-8", name != "UTF8" { return declared }
        }
        return nil
    }

    /// The decoded value of the first header field with this name, raw 8-bit text read in `textCharset`.
    public func decodedHeader(_ name: String) -> String? {
        headers.first(name)?.decodedValue(fallbackCharset: textCharset)
    }

    /// Parses raw message bytes (CRLF, LF or CR line endings; an mbox `From ` line at the top is skipped).
    public static func parse(_ bytes: [UInt8], limits: ParseLimits = ParseLimits()) -> MailMessage {
        var parser = MIMEParser(limits: limits)
        let root = bytes.withUnsafeBufferPointer { buffer in
            parser.parsePart(buffer, range: 0..<buffer.count, depth: 0, defaultType: "text/plain")
        }
        return MailMessage(headers: root.headers, root: root)
    }
}

struct MIMEParser {
    let limits: ParseLimits
    var partCount = 0

    init(limits: ParseLimits) { self.limits = limits }

    mutating func parsePart(_ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>, depth: Int, defaultType: String)
        -> MIMEPart
    {
        partCount += 1
        let (headers, bodyStart) = HeaderParser.parse(buffer, range: range, allowMboxFromLine: depth == 0)
        let bodyRange = bodyStart..<range.upperBound
        var typeField = headers.first("content-type").map { HeaderParameters($0.rawValue[...]) }
        if typeField == nil, defaultType == "text/plain",
            let boundary = Self.undeclaredBoundary(buffer, range: bodyStart..<range.upperBound)
        {
            // No Content-Type, but the body is plainly multipart: read it as such.
            typeField = HeaderParameters(Array("multipart/mixed; boundary=\"\(boundary)\"".utf8)[...])
        }
        var contentType = typeField?.value ?? defaultType
        if !contentType.contains("/") { contentType = contentType.isEmpty ? defaultType : "text/plain" }
        let encoding =
            headers.first("content-transfer-encoding")
            .map { HeaderParameters($0.rawValue[...]).value } ?? "7bit"
        let disposition = headers.first("content-disposition").map { HeaderParameters($0.rawValue[...]) }
        let filename = disposition?["filename"] ?? typeField?["name"]
        let charset = typeField?["charset"]

        if contentType.hasPrefix("multipart/"), depth < limits.maxDepth,
            let boundary = typeField?["boundary"], !boundary.isEmpty
        {
            let childDefault = contentType == "multipart/digest" ? "message/rfc822" : "text/plain"
            let ranges = Self.splitMultipart(buffer, range: bodyRange, boundary: Array(boundary.utf8))
            if !ranges.isEmpty {
                var children: [MIMEPart] = []
                for childRange in ranges {
                    if partCount >= limits.maxParts { break }
                    children.append(parsePart(buffer, range: childRange, depth: depth + 1, defaultType: childDefault))
                }
                return MIMEPart(
                    headers: headers, contentType: contentType, charset: charset, transferEncoding: encoding,
                    filename: filename, body: [], children: children)
            }
            // A multipart without any delimiter: keep its body as text.
            contentType = "text/plain"
        }

        var bodyEncoding = encoding
        if contentType.hasPrefix("text/"), encoding == "7bit" || encoding == "8bit",
            Self.looksQuotedPrintable(UnsafeBufferPointer(rebasing: buffer[bodyRange]))
        {
            bodyEncoding = "quoted-printable"  // a mailer forgot to say so
        }
        let decoded = Self.decodeBody(UnsafeBufferPointer(rebasing: buffer[bodyRange]), encoding: bodyEncoding)
        if contentType == "message/rfc822" || contentType == "text/rfc822-headers", depth < limits.maxDepth,
            !decoded.isEmpty
        {
            let inner = decoded.withUnsafeBufferPointer { innerBuffer in
                parsePart(innerBuffer, range: 0..<innerBuffer.count, depth: depth + 1, defaultType: "text/plain")
            }
            return MIMEPart(
                headers: headers, contentType: contentType, charset: charset, transferEncoding: encoding,
                filename: filename, body: [], children: [inner])
        }
        if contentType.hasPrefix("multipart/") { contentType = "text/plain" }  // past the depth limit
        return MIMEPart(
            headers: headers, contentType: contentType, charset: charset, transferEncoding: encoding,
            filename: filename, body: decoded, children: [])
    }

    /// A boundary a body uses without declaring it: within its first 40 lines, a line `--X` followed by a
    /// `Content-Type:` line.
    static func undeclaredBoundary(_ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> String? {
        var position = range.lowerBound
        var previous: ArraySlice<UInt8>? = nil
        for _ in 0..<40 {
            guard position < range.upperBound else { return nil }
            let (end, next) = LineCursor.nextLine(in: buffer, from: position, to: range.upperBound)
            let line = Array(UnsafeBufferPointer(rebasing: buffer[position..<end]))[...]
            if let candidate = previous, line.hasPrefixIgnoringCase("content-type:") {
                let boundary = candidate.dropFirst(2).trimmingWhitespace()
                if !boundary.isEmpty, boundary.count <= 200, !boundary.contains(ASCII.quote) {
                    return String(decoding: boundary, as: UTF8.self)
                }
            }
            previous =
                line.count > 2 && line[line.startIndex] == ASCII.dash && line[line.startIndex + 1] == ASCII.dash
                ? line : nil
            position = next
        }
        return nil
    }

    /// Text that is quoted-printable whatever its header says: at least 3 soft line breaks (`=` ending a line)
    /// and at least 3 `=XX` escapes, and no `=` followed by anything else but a line end.
    static func looksQuotedPrintable(_ body: UnsafeBufferPointer<UInt8>) -> Bool {
        var softBreaks = 0, escapes = 0
        var i = 0
        let n = body.count
        while i < n {
            if body[i] == ASCII.equals {
                if i + 1 < n, body[i + 1] == ASCII.lf || body[i + 1] == ASCII.cr {
                    softBreaks += 1
                } else if i + 2 < n, let hi = ASCII.hexValue(body[i + 1]), let lo = ASCII.hexValue(body[i + 2]),
                    body[i + 1] < 0x61, body[i + 2] < 0x61, hi | lo >= 0
                {
                    escapes += 1
                } else if i + 1 < n {
                    return false  // a plain `=` (code, URLs, markup): not quoted-printable
                }
            }
            i += 1
        }
        return softBreaks >= 3 && escapes >= 3
    }

    static func decodeBody(_ body: UnsafeBufferPointer<UInt8>, encoding: String) -> [UInt8] {
        switch encoding {
        case "base64": return TransferDecoding.base64(body)
        case "quoted-printable": return TransferDecoding.quotedPrintable(Array(body))
        case "x-uuencode", "uuencode", "x-uue": return TransferDecoding.uudecode(body)
        default: return Array(body)
        }
    }

    /// The byte ranges of the body parts between `--boundary` delimiter lines. The line break before a delimiter
    /// belongs to the delimiter. A missing closing delimiter ends the last part at the end of the input.
    static func splitMultipart(_ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>, boundary: [UInt8]) -> [Range<
        Int
    >] {
        var parts: [Range<Int>] = []
        var partStart: Int? = nil
        var position = range.lowerBound
        let limit = range.upperBound
        let needed = boundary.count + 2
        while position < limit {
            let (end, next) = LineCursor.nextLine(in: buffer, from: position, to: limit)
            if end - position >= needed, buffer[position] == ASCII.dash, buffer[position + 1] == ASCII.dash,
                boundary.withUnsafeBufferPointer({ b in
                    memcmp(buffer.baseAddress! + position + 2, b.baseAddress!, b.count) == 0
                })
            {
                let afterBoundary = position + needed
                let closing =
                    end - afterBoundary >= 2 && buffer[afterBoundary] == ASCII.dash
                    && buffer[afterBoundary + 1] == ASCII.dash
                // A delimiter is the boundary followed by nothing but white space (or `--` when closing), so that
                // boundary "b1" does not match a line "--b10".
                var onlySpace = true
                var k = afterBoundary
                while k < end { if !ASCII.isSpace(buffer[k]) { onlySpace = false; break }; k += 1 }
                if !closing && !onlySpace {
                    position = next
                    continue
                }
                if let start = partStart {
                    parts.append(start..<max(start, lineBreakStart(buffer, before: position, floor: start)))
                }
                if closing { return parts }
                partStart = next
            }
            position = next
        }
        if let start = partStart, start < limit { parts.append(start..<limit) }
        return parts
    }

    /// The start of the line break that ends just before `position` (or `position` if none).
    private static func lineBreakStart(_ buffer: UnsafeBufferPointer<UInt8>, before position: Int, floor: Int) -> Int {
        var p = position
        if p > floor, buffer[p - 1] == ASCII.lf { p -= 1 }
        if p > floor, buffer[p - 1] == ASCII.cr { p -= 1 }
        return p
    }
}
