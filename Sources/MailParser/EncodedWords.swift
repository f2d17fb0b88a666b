/// RFC 2047 encoded words (`=?charset?B|Q?text?=`) in header values. White space between two adjacent encoded
/// words disappears; a malformed word stays literal text; an RFC 2231 language suffix (`charset*lang`) is ignored.
/// Raw 8-bit bytes outside encoded words are taken as UTF-8 when they are valid UTF-8 (RFC 6532), else in
/// `fallbackCharset` when one is given (the charset the message's text declares: mailers that write raw 8-bit
/// headers write them in it), else as windows-1252.
public enum EncodedWords {
    public static func decode(_ raw: ArraySlice<UInt8>, fallbackCharset: @autoclosure () -> String? = nil) -> String {
        func literalText(_ bytes: ArraySlice<UInt8>) -> String {
            if bytes.contains(where: { $0 >= 0x80 }), !Charset.isValidUTF8(Array(bytes)),
                let fallback = fallbackCharset()
            {
                return Charset.decode(bytes, charset: fallback)
            }
            return Charset.decode(bytes, charset: nil)
        }
        // Fast path: no "=?" anywhere.
        var hasMarker = false
        var i = raw.startIndex
        while i + 1 < raw.endIndex {
            if raw[i] == ASCII.equals && raw[i + 1] == ASCII.question { hasMarker = true; break }
            i += 1
        }
        if !hasMarker { return literalText(raw) }

        var result = ""
        var literal: [UInt8] = []  // bytes since the last encoded word
        var lastWasEncoded = false
        i = raw.startIndex
        let end = raw.endIndex
        while i < end {
            if raw[i] == ASCII.equals, i + 1 < end, raw[i + 1] == ASCII.question,
                let (text, next) = decodeWord(raw, at: i)
            {
                let onlyWhitespace = literal.allSatisfy(ASCII.isWhitespace)
                if !(lastWasEncoded && onlyWhitespace), !literal.isEmpty {
                    result += literalText(literal[...])
                }
                literal.removeAll(keepingCapacity: true)
                result += text
                lastWasEncoded = true
                i = next
                continue
            }
            literal.append(raw[i])
            i += 1
        }
        if !literal.isEmpty { result += literalText(literal[...]) }
        return result
    }

    /// Decodes one encoded word starting at `start` (which holds "=?"); nil if it is malformed.
    private static func decodeWord(_ raw: ArraySlice<UInt8>, at start: Int) -> (String, Int)? {
        let end = raw.endIndex
        var i = start + 2
        let charsetStart = i
        while i < end, raw[i] != ASCII.question {
            if ASCII.isWhitespace(raw[i]) { return nil }
            i += 1
        }
        guard i + 2 < end, raw[i + 2] == ASCII.question else { return nil }
        var charsetBytes = raw[charsetStart..<i]
        if let star = charsetBytes.firstIndex(of: 0x2A) { charsetBytes = charsetBytes[charsetBytes.startIndex..<star] }
        let encoding = ASCII.lower(raw[i + 1])
        guard encoding == 0x62 || encoding == 0x71 else { return nil }  // b or q
        let textStart = i + 3
        var j = textStart
        // The text runs to "?="; encoded words may not contain white space, but broken mailers fold inside them.
        while j + 1 < end {
            if raw[j] == ASCII.question && raw[j + 1] == ASCII.equals { break }
            if raw[j] == ASCII.lf || raw[j] == ASCII.cr { return nil }
            j += 1
        }
        guard j + 1 < end else { return nil }
        let text = raw[textStart..<j]
        let decoded =
            encoding == 0x62
            ? TransferDecoding.base64(text)
            : TransferDecoding.quotedPrintable(Array(text), header: true)
        return (Charset.decode(decoded, charset: charsetBytes.utf8String), j + 2)
    }
}
