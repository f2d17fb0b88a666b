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

    /// The hex SHA-256 digest of the message's identity bytes.
    public func digest(of bytes: [UInt8]) -> String {
        SHA256.hex(identityBytes(of: bytes))
    }

    /// The bytes the digest is computed over.
    public func identityBytes(of bytes: [UInt8]) -> [UInt8] {
        let block = RawHeaderBlock(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for field in block.fields where !isIgnored(field.lowercasedName) {
            var fieldBytes = normalizeLineEndings(bytes[field.range])
            if field.lowercasedName == "subject", let tag = subjectTag, !tag.isEmpty {
                fieldBytes = removeSubjectTag(fieldBytes, tag: Array(tag.utf8))
            }
            out += fieldBytes
            if out.last != ASCII.lf { out.append(ASCII.lf) }
        }
        out.append(ASCII.lf)
        out += normalizeLineEndings(bytes[block.bodyStart...])
        return out
    }

    private func normalizeLineEndings(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == ASCII.cr {
                out.append(ASCII.lf)
                if i + 1 < bytes.endIndex, bytes[i + 1] == ASCII.lf { i += 1 }
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
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
