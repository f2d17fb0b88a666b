import MailParser

/// Produces `hamlet filter`'s output: the input message byte for byte, minus earlier header fields whose names
/// Hamlet owns (`X-Spam-*`, `X-Hamlet-*`), plus Hamlet's fields at the end of the header block, written with the
/// message's own line ending. Values are cleaned so nothing can put a line break into a header Hamlet writes.
public enum FilterRewriter {
    public static func rewrite(_ bytes: [UInt8], adding fields: [(name: String, value: String)],
                               removing isOwned: (String) -> Bool = Self.isHamletField) -> [UInt8]
    {
        let block = RawHeaderBlock(bytes)
        let eol = block.lineEnding
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 256)
        if let from = block.fromLine { output += bytes[from] }
        for field in block.fields where !isOwned(field.lowercasedName) {
            output += bytes[field.range]
        }
        // A header block whose last line lacks a line break (a message that is only headers) needs one first.
        if let last = output.last, last != 0x0A, last != 0x0D { output += eol }
        for field in fields {
            output += Array(field.name.utf8)
            output += Array(": ".utf8)
            output += sanitized(field.value)
            output += eol
        }
        output += bytes[block.headerEnd...]
        return output
    }

    public static func isHamletField(_ lowercasedName: String) -> Bool {
        lowercasedName.hasPrefix("x-spam-") || lowercasedName.hasPrefix("x-hamlet-")
    }

    /// The value's UTF-8 bytes with every control character (CR and LF included) turned into a space.
    static func sanitized(_ value: String) -> [UInt8] {
        value.utf8.map { $0 < 0x20 || $0 == 0x7F ? 0x20 : $0 }
    }
}
