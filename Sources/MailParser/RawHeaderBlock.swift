/// The exact byte layout of a message's top-level header block, for tools that must rewrite a message without
/// touching anything else (`hamlet filter`) or identify it independently of delivery changes (the digest).
public struct RawHeaderBlock: Sendable {
    /// One header field with its continuation lines; `range` includes the final line break.
    public struct Field: Sendable {
        public let lowercasedName: String
        public let range: Range<Int>
    }

    /// The leading mbox `From ` line, line break included, if present.
    public let fromLine: Range<Int>?
    public let fields: [Field]
    /// Where the header block ends: the start of the empty separator line, or the end of the input.
    public let headerEnd: Int
    /// Where the body starts (after the empty separator line), or the end of the input.
    public let bodyStart: Int
    /// Whether an empty line separates headers from the body.
    public let hasSeparator: Bool
    /// The line ending the message uses (that of its first line), CRLF or LF; a first line ending in a bare CR
    /// counts as CRLF, which readers that split on CR and readers that split on LF both read as a line end.
    public let lineEnding: [UInt8]

    public init(_ bytes: [UInt8]) {
        var fromLine: Range<Int>? = nil
        var fields: [Field] = []
        var lineEnding: [UInt8] = [ASCII.lf]
        var headerEnd = bytes.count
        var bodyStart = bytes.count
        var hasSeparator = false
        bytes.withUnsafeBufferPointer { buffer in
            let limit = buffer.count
            var position = 0
            let firstLine = LineCursor.nextLine(in: buffer, from: 0, to: limit)
            if firstLine.contentEnd < limit, buffer[firstLine.contentEnd] == ASCII.cr {
                lineEnding = [ASCII.cr, ASCII.lf]
            }
            if limit >= 5, buffer[0] == 0x46, buffer[1] == 0x72, buffer[2] == 0x6F, buffer[3] == 0x6D,
                buffer[4] == ASCII.space
            {
                fromLine = 0..<firstLine.next
                position = firstLine.next
                let second = LineCursor.nextLine(in: buffer, from: position, to: limit)
                if second.contentEnd < limit, buffer[second.contentEnd] == ASCII.cr {
                    lineEnding = [ASCII.cr, ASCII.lf]
                }
            }
            var currentName: String? = nil
            var currentStart = position
            while position < limit {
                let (end, next) = LineCursor.nextLine(in: buffer, from: position, to: limit)
                if end == position {
                    headerEnd = position
                    bodyStart = next
                    hasSeparator = true
                    break
                }
                if ASCII.isSpace(buffer[position]), currentName != nil {
                    position = next  // continuation of the current field
                    continue
                }
                if let name = currentName { fields.append(Field(lowercasedName: name, range: currentStart..<position)) }
                if ASCII.isSpace(buffer[position]) {
                    // White space before any field: a nameless field, kept byte for byte like everything else.
                    currentName = ""
                    currentStart = position
                    position = next
                    continue
                }
                var colon = position
                while colon < end, buffer[colon] != ASCII.colon { colon += 1 }
                var nameEnd = colon
                while nameEnd > position, ASCII.isSpace(buffer[nameEnd - 1]) { nameEnd -= 1 }
                currentName =
                    colon < end
                    ? asciiLowercased(UnsafeBufferPointer(rebasing: buffer[position..<nameEnd]))
                    : ""
                currentStart = position
                position = next
            }
            if let name = currentName {
                fields.append(Field(lowercasedName: name, range: currentStart..<(hasSeparator ? headerEnd : limit)))
            }
            if !hasSeparator { headerEnd = limit; bodyStart = limit }
        }
        self.fromLine = fromLine
        self.fields = fields
        self.headerEnd = headerEnd
        self.bodyStart = bodyStart
        self.hasSeparator = hasSeparator
        self.lineEnding = lineEnding
    }
}
