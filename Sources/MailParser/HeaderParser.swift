/// Reads an RFC 5322 header block leniently: folded lines are unfolded, lines without a colon are skipped,
/// a leading mbox `From ` line is ignored, and the block ends at the first empty line (or the end of input).
enum HeaderParser {
    /// Parses the header block of `bytes[range]`; returns the headers and where the body starts.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, allowMboxFromLine: Bool)
        -> (headers: Headers, bodyStart: Int)
    {
        var headers = Headers()
        var position = range.lowerBound
        let limit = range.upperBound
        if allowMboxFromLine, limit - position >= 5,
            bytes[position] == 0x46, bytes[position + 1] == 0x72, bytes[position + 2] == 0x6F,
            bytes[position + 3] == 0x6D, bytes[position + 4] == ASCII.space
        {
            position = LineCursor.nextLine(in: bytes, from: position, to: limit).next
        }
        var currentName: ArraySlice<UInt8>? = nil
        var currentValue: [UInt8] = []

        func flush() {
            if let name = currentName {
                headers.append(HeaderField(name: name.utf8String, rawValue: currentValue))
            }
            currentName = nil
            currentValue.removeAll(keepingCapacity: true)
        }

        while position < limit {
            let (end, next) = LineCursor.nextLine(in: bytes, from: position, to: limit)
            if end == position {  // empty line: end of the header block...
                if Self.headersContinueAfterBlankLine(bytes, from: next, to: limit) {
                    position = next  // ...unless a broken mailer put it inside the header block
                    continue
                }
                flush()
                return (headers, next)
            }
            let first = bytes[position]
            if ASCII.isSpace(first) {
                if currentName != nil {
                    currentValue.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<end]))
                } else if headers.fields.isEmpty {
                    // Leading white space before any field: not a header block at all.
                    return (headers, position)
                }
                position = next
                continue
            }
            // Find the colon; the name may not contain white space (trailing white space before ':' is obsolete but allowed).
            var colon = position
            var sawSpace = false
            var valid = false
            while colon < end {
                let b = bytes[colon]
                if b == ASCII.colon { valid = colon > position; break }
                if ASCII.isSpace(b) { sawSpace = true } else if sawSpace || b < 0x21 || b > 0x7E { break }
                colon += 1
            }
            if !valid {
                if headers.fields.isEmpty && currentName == nil {
                    // The very first line is not a header: the whole thing is body text.
                    return (headers, position)
                }
                position = next  // a stray line inside the header block: tolerated and skipped
                continue
            }
            flush()
            var nameEnd = colon
            while nameEnd > position, ASCII.isSpace(bytes[nameEnd - 1]) { nameEnd -= 1 }
            currentName = Array(UnsafeBufferPointer(rebasing: bytes[position..<nameEnd]))[...]
            var valueStart = colon + 1
            while valueStart < end, ASCII.isSpace(bytes[valueStart]) { valueStart += 1 }
            currentValue.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[valueStart..<end]))
            position = next
        }
        flush()
        return (headers, limit)
    }

    /// Some mailers put an empty line inside the header block: the line after it is a folded continuation and
    /// the MIME fields come later. True when the next line starts with white space and a `Content-Type:` or
    /// `MIME-Version:` field follows within 30 lines, before any other empty line.
    static func headersContinueAfterBlankLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to limit: Int)
        -> Bool
    {
        guard start < limit, ASCII.isSpace(bytes[start]) else { return false }
        var position = start
        for _ in 0..<30 {
            guard position < limit else { return false }
            let (end, next) = LineCursor.nextLine(in: bytes, from: position, to: limit)
            if end == position { return false }
            let line = Array(UnsafeBufferPointer(rebasing: bytes[position..<end]))[...]
            if line.hasPrefixIgnoringCase("content-type:") || line.hasPrefixIgnoringCase("mime-version:") {
                return true
            }
            position = next
        }
        return false
    }
}
