import MailParser

/// Produces `hamlet filter`'s output: the input message byte for byte, minus earlier header fields whose names
/// Hamlet owns (`X-Spam-*`, `X-Hamlet-*`), plus Hamlet's fields at the end of the header block, written with the
/// message's own line ending. Values are cleaned so nothing can put a line break into a header Hamlet writes.
///
/// The contract: deleting Hamlet's fields from the output gives back the input without its earlier Hamlet fields,
/// except for one line ending added after a last header line that had none (the message's own) or that ended in
/// a bare CR (an LF, so that the CR and the LF end that line for every reader).
public enum FilterRewriter {
    /// - Parameters:
    ///   - fields: Hamlet's header fields, written in this order.
    ///   - isOwned: which existing fields (by lower-cased name) to drop.
    ///   - subjectTag: when given, put at the start of the Subject (added once; a Subject is created if missing).
    public static func rewrite(
        _ bytes: [UInt8], adding fields: [(name: String, value: String)],
        removing isOwned: (String) -> Bool = Self.isHamletField, subjectTag: String? = nil
    ) -> [UInt8] {
        let block = RawHeaderBlock(bytes)
        let eol = block.lineEnding
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 256)
        if let from = block.fromLine { output += bytes[from] }
        var taggedSubject = false
        for field in block.fields where !isOwned(field.lowercasedName) {
            if let tag = subjectTag, !taggedSubject, field.lowercasedName == "subject" {
                output += tagged(bytes[field.range], tag: tag)
                taggedSubject = true
            } else {
                output += bytes[field.range]
            }
        }
        // Hamlet's fields must start a line for every reader. A last header line without a line break (a message
        // that is only headers) gets the message's; one ending in a bare CR gets an LF after it, since a reader that
        // splits on LF (procmail, maildrop) would otherwise read Hamlet's first field as part of that line.
        if let last = output.last, last != 0x0A { output += last == 0x0D ? [0x0A] : eol }
        var fields = fields
        if let tag = subjectTag, !taggedSubject { fields.insert((name: "Subject", value: tag), at: 0) }
        for field in fields {
            output += Array(field.name.utf8)
            output += Array(": ".utf8)
            output += sanitized(field.value)
            output += eol
        }
        output += bytes[block.headerEnd...]
        return output
    }

    /// The Subject field with `tag ` inserted after `Subject:` and its spaces, unless it already starts with it.
    static func tagged(_ field: ArraySlice<UInt8>, tag: String) -> [UInt8] {
        let tagBytes = sanitized(tag)
        guard let colon = field.firstIndex(of: 0x3A) else { return Array(field) }
        var start = colon + 1
        while start < field.endIndex, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        if field[start...].starts(with: tagBytes) { return Array(field) }
        return Array(field[..<start]) + tagBytes + [0x20] + Array(field[start...])
    }

    public static func isHamletField(_ lowercasedName: String) -> Bool {
        lowercasedName.hasPrefix("x-spam-") || lowercasedName.hasPrefix("x-hamlet-")
    }

    /// The value's UTF-8 bytes with every control character (CR and LF included) turned into a space.
    static func sanitized(_ value: String) -> [UInt8] {
        value.utf8.map { $0 < 0x20 || $0 == 0x7F ? 0x20 : $0 }
    }
}
