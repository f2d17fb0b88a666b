/// Small byte-level helpers shared by the parser. Everything here works on `UInt8` and never on `Character`.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let question: UInt8 = 0x3F
    static let dash: UInt8 = 0x2D
    static let backslash: UInt8 = 0x5C

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == space || b == tab }
    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool { b == space || b == tab || b == lf || b == cr }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}

extension Collection where Element == UInt8 {
    /// The bytes as a String, invalid UTF-8 replaced by U+FFFD.
    var utf8String: String { String(decoding: self, as: UTF8.self) }
}

extension ArraySlice where Element == UInt8 {
    /// The slice without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> ArraySlice<UInt8> {
        var lo = startIndex, hi = endIndex
        while lo < hi, ASCII.isWhitespace(self[lo]) { lo += 1 }
        while hi > lo, ASCII.isWhitespace(self[hi - 1]) { hi -= 1 }
        return self[lo..<hi]
    }

    /// ASCII case-insensitive prefix test.
    func hasPrefixIgnoringCase(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard self.count >= count else { return false }
        return prefix.withUTF8Buffer { p in
            var i = startIndex
            for b in p {
                if ASCII.lower(self[i]) != ASCII.lower(b) { return false }
                i += 1
            }
            return true
        }
    }
}

/// Where lines end in a byte buffer: LF, CRLF or a bare CR all end a line.
struct LineCursor {
    /// Returns the end of the line's content and the start of the next line, scanning from `start`.
    @inline(__always)
    static func nextLine(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to limit: Int) -> (
        contentEnd: Int, next: Int
    ) {
        var i = start
        while i < limit {
            let b = bytes[i]
            if b == ASCII.lf { return (i, i + 1) }
            if b == ASCII.cr {
                if i + 1 < limit, bytes[i + 1] == ASCII.lf { return (i, i + 2) }
                return (i, i + 1)
            }
            i += 1
        }
        return (limit, limit)
    }
}
