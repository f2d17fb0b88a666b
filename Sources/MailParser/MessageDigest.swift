/// Message identity: SHA-256 over the message with line endings normalised to LF, a leading mbox `From ` line
/// removed, and every header field a filter or a delivery agent adds removed. A message that went through
/// `hamlet filter` and came back from a mail client has the same digest.
public struct MessageDigest: Sendable {
    /// Header fields whose names start with one of these (lower-case) are left out.
    public var ignoredPrefixes: [String] = ["x-spam-", "x-hamlet-"]
    /// Header fields with exactly these (lower-case) names are left out: those delivery agents add.
    public var ignoredNames: Set<String> = ["return-path", "delivered-to", "status", "x-status", "content-length"]
    /// A subject tag Hamlet may have added (such as `[SPAM]`), removed from the start of the Subject.
    public var subjectTag: String? = nil

    public init(extraIgnoredPrefixes: [String] = [], subjectTag: String? = nil) {
        ignoredPrefixes += extraIgnoredPrefixes.map { $0.lowercased() }
        self.subjectTag = subjectTag
    }

    public func isIgnored(_ lowercasedName: String) -> Bool {
        ignoredNames.contains(lowercasedName) || ignoredPrefixes.contains { lowercasedName.hasPrefix($0) }
    }

    /// The hex SHA-256 digest of the message's identity bytes, hashed as they are found (no copy of the message).
    public func digest(of bytes: [UInt8]) -> String {
        var hasher = SHA256()
        forEachIdentitySegment(of: bytes) { hasher.update($0) }
        return hasher.finalizeHex()
    }

    /// The bytes the digest is computed over.
    public func identityBytes(of bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        forEachIdentitySegment(of: bytes) { out.append(contentsOf: $0) }
        return out
    }

    /// Hands over the identity bytes in pieces: the kept header fields (line endings as LF, each ending in LF),
    /// an empty line, then the body with line endings as LF.
    private func forEachIdentitySegment(of bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let block = RawHeaderBlock(bytes)
        let newline: [UInt8] = [ASCII.lf]
        bytes.withUnsafeBufferPointer { buffer in
            newline.withUnsafeBufferPointer { lf in
                for field in block.fields where !isIgnored(field.lowercasedName) {
                    if field.lowercasedName == "subject", let tag = subjectTag, !tag.isEmpty {
                        let untagged = removeSubjectTag(Array(bytes[field.range]), tag: Array(tag.utf8))
                        untagged.withUnsafeBufferPointer { Self.normalized($0, range: 0..<$0.count, lf: lf, body) }
                    } else {
                        Self.normalized(buffer, range: field.range, lf: lf, body)
                    }
                    let last = field.range.upperBound - 1
                    if field.range.isEmpty || (buffer[last] != ASCII.lf && buffer[last] != ASCII.cr) { body(lf) }
                }
                body(lf)
                Self.normalized(buffer, range: block.bodyStart..<buffer.count, lf: lf, body)
            }
        }
    }

    /// Hands over `buffer[range]` with CRLF and bare CR turned into LF, in runs between carriage returns.
    private static func normalized(
        _ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>, lf: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        var start = range.lowerBound
        var i = start
        while i < range.upperBound {
            if buffer[i] == ASCII.cr {
                if i > start { body(UnsafeBufferPointer(rebasing: buffer[start..<i])) }
                body(lf)
                i += (i + 1 < range.upperBound && buffer[i + 1] == ASCII.lf) ? 2 : 1
                start = i
            } else {
                i += 1
            }
        }
        if range.upperBound > start { body(UnsafeBufferPointer(rebasing: buffer[start..<range.upperBound])) }
    }

    private func removeSubjectTag(_ field: [UInt8], tag: [UInt8]) -> [UInt8] {
        guard let colon = field.firstIndex(of: ASCII.colon) else { return field }
        var start = colon + 1
        while start < field.count, ASCII.isSpace(field[start]) { start += 1 }
        guard field.count - start >= tag.count, Array(field[start..<(start + tag.count)]) == tag else { return field }
        var after = start + tag.count
        if after < field.count, field[after] == ASCII.space { after += 1 }
        return Array(field[..<start]) + field[after...]
    }
}
