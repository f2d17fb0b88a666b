/// A single mailbox from an address header: `Name <user@example.com>`, `user@example.com (Name)` or a bare address.
public struct Address: Sendable, Equatable {
    public var displayName: String?
    /// The address, lower-cased; nil when none could be found.
    public var email: String?
    /// The part of the address after its last `@`.
    public var domain: String? {
        guard let email, let at = email.lastIndex(of: "@") else { return nil }
        let domain = email[email.index(after: at)...]
        return domain.isEmpty ? nil : String(domain)
    }

    public init(displayName: String?, email: String?) {
        self.displayName = displayName
        self.email = email
    }

    /// Every mailbox of an address-list header (To, Cc, From with several authors), in order: commas inside
    /// quotes, angle brackets and comments do not split; `group: a, b;` yields the group's members.
    public static func list(_ value: String) -> [Address] {
        var pieces: [String] = []
        var current = ""
        var quoted = false, angle = 0, comment = 0, escaped = false
        for c in value {
            if escaped { current.append(c); escaped = false; continue }
            switch c {
            case "\\" where quoted: escaped = true
            case "\"": quoted.toggle()
            case "<" where !quoted: angle += 1
            case ">" where !quoted: angle = max(0, angle - 1)
            case "(" where !quoted: comment += 1
            case ")" where !quoted: comment = max(0, comment - 1)
            case ":" where !quoted && angle == 0 && comment == 0:
                current = ""  // a group name: its members follow
                continue
            case ",", ";":
                if !quoted && angle == 0 && comment == 0 {
                    pieces.append(current)
                    current = ""
                    continue
                }
            default: break
            }
            current.append(c)
        }
        pieces.append(current)
        return pieces.map { Address($0) }.filter { $0.email != nil || $0.displayName != nil }
    }

    /// Parses one mailbox: `Name <addr>` (the last `<...>`), `addr (Name)`, a bare address (an `@`, no space), or
    /// else a name alone. Worked on the UTF-8 bytes: every delimiter is ASCII, and every message's From, Reply-To
    /// and Return-Path go through here (by `Character`, this was a tenth of the tokenizer's time).
    public init(_ value: String) {
        var value = value
        (displayName, email) = value.withUTF8 { Self.parse($0) }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (name: String?, email: String?) {
        @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
        @inline(__always) func isSpaceOrQuote(_ c: UInt8) -> Bool { isSpace(c) || c == 0x22 || c == 0x27 }
        func trimmed(_ range: Range<Int>, _ trim: (UInt8) -> Bool) -> Range<Int> {
            var lo = range.lowerBound, hi = range.upperBound
            while lo < hi, trim(bytes[lo]) { lo += 1 }
            while hi > lo, trim(bytes[hi - 1]) { hi -= 1 }
            return lo..<hi
        }
        func text(_ range: Range<Int>) -> String? {
            range.isEmpty ? nil : String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        func lowercased(_ range: Range<Int>) -> String? {
            guard !range.isEmpty else { return nil }
            let slice = UnsafeBufferPointer(rebasing: bytes[range])
            if slice.contains(where: { $0 >= 0x80 }) { return String(decoding: slice, as: UTF8.self).lowercased() }
            return String(unsafeUninitializedCapacity: slice.count) { out in
                for k in 0..<slice.count { let c = slice[k]; out[k] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
                return slice.count
            }
        }
        let whole = trimmed(0..<bytes.count, isSpace)
        func last(_ c: UInt8, in range: Range<Int>) -> Int? { range.reversed().first { bytes[$0] == c } }
        func first(_ c: UInt8, in range: Range<Int>) -> Int? { range.first { bytes[$0] == c } }
        if let open = last(0x3C, in: whole), let close = first(0x3E, in: open..<whole.upperBound) {  // < >
            return (
                text(trimmed(whole.lowerBound..<open, isSpaceOrQuote)), lowercased(trimmed((open + 1)..<close, isSpace))
            )
        }
        if let open = first(0x28, in: whole), let close = last(0x29, in: whole), open < close {  // ( )
            let email = trimmed(whole.lowerBound..<open, isSpace)
            return (text(trimmed((open + 1)..<close, isSpace)), first(0x40, in: email) != nil ? lowercased(email) : nil)
        }
        if first(0x40, in: whole) != nil && first(0x20, in: whole) == nil {
            return (nil, lowercased(whole))
        }
        return (text(whole), nil)
    }
}
