/// Content-Transfer-Encoding decoders. They never fail: noise is skipped, missing padding tolerated,
/// bad escapes kept literally.
public enum TransferDecoding {
    private static let base64Table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Decodes base64, skipping bytes outside the alphabet within a line and stopping at the first `=`-padded
    /// quantum's end only to start afresh (concatenated base64). A line that is mostly not base64 (a signature
    /// separator, a mailing list's footer appended to the part) ends the data.
    public static func base64<C: Collection>(_ input: C) -> [UInt8] where C.Element == UInt8 {
        var output = [UInt8]()
        output.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        base64Table.withUnsafeBufferPointer { table in
            var line: [UInt8] = []
            var sawData = false
            func decodeLine() -> Bool {
                var alphabet = 0, other = 0
                for byte in line where !ASCII.isWhitespace(byte) {
                    if table[Int(byte)] != 0xFF || byte == ASCII.equals { alphabet += 1 } else { other += 1 }
                }
                if sawData && other > 0 && other * 4 >= alphabet + other { return false }
                for byte in line {
                    if byte == ASCII.equals {
                        // Padding ends a quantum; a later quantum (concatenated base64) starts fresh.
                        accumulator = 0
                        bits = 0
                        continue
                    }
                    let value = table[Int(byte)]
                    if value == 0xFF { continue }
                    sawData = true
                    accumulator = (accumulator << 6) | UInt32(value)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                    }
                }
                return true
            }
            for byte in input {
                if byte == ASCII.lf || byte == ASCII.cr {
                    if !line.isEmpty {
                        guard decodeLine() else { return }
                        line.removeAll(keepingCapacity: true)
                    }
                } else {
                    line.append(byte)
                }
            }
            if !line.isEmpty { _ = decodeLine() }
        }
        return output
    }

    /// Decodes quoted-printable (RFC 2045): `=XX` escapes, soft line breaks, trailing white space on lines removed.
    /// A malformed escape is kept as it was. With `header` set, `_` means space (RFC 2047's Q encoding).
    public static func quotedPrintable<C: Collection>(_ input: C, header: Bool = false) -> [UInt8]
    where C.Element == UInt8, C.Index == Int {
        var output = [UInt8]()
        output.reserveCapacity(input.count)
        var i = input.startIndex
        let end = input.endIndex
        var pendingSpaces = 0  // trailing white space is dropped at line ends
        var pendingStart = 0
        func flushSpaces() {
            if pendingSpaces > 0 {
                for k in pendingStart..<(pendingStart + pendingSpaces) { output.append(input[k]) }
                pendingSpaces = 0
            }
        }
        while i < end {
            let b = input[i]
            if b == ASCII.space || b == ASCII.tab {
                if pendingSpaces == 0 { pendingStart = i }
                pendingSpaces += 1
                i += 1
                continue
            }
            if b == ASCII.lf || b == ASCII.cr {
                pendingSpaces = 0
                output.append(ASCII.lf)
                i += (b == ASCII.cr && i + 1 < end && input[i + 1] == ASCII.lf) ? 2 : 1
                continue
            }
            flushSpaces()
            if b == ASCII.equals {
                // Soft line break: '=' then optional white space then a line end.
                var j = i + 1
                while j < end, ASCII.isSpace(input[j]) { j += 1 }
                if j >= end { i = end; continue }
                if input[j] == ASCII.lf { i = j + 1; continue }
                if input[j] == ASCII.cr { i = (j + 1 < end && input[j + 1] == ASCII.lf) ? j + 2 : j + 1; continue }
                if i + 2 < end, let hi = ASCII.hexValue(input[i + 1]), let lo = ASCII.hexValue(input[i + 2]) {
                    output.append(hi << 4 | lo)
                    i += 3
                    continue
                }
                output.append(b)
                i += 1
                continue
            }
            output.append(header && b == 0x5F ? ASCII.space : b)
            i += 1
        }
        flushSpaces()
        return output
    }

    /// Decodes uuencoded data (Content-Transfer-Encoding x-uuencode): an optional `begin MODE NAME` line, lines
    /// whose first character gives their length, and an `end` line. Malformed lines are skipped.
    public static func uudecode<C: Collection>(_ input: C) -> [UInt8] where C.Element == UInt8 {
        var output = [UInt8]()
        let bytes = Array(input)
        var lineStart = 0
        @inline(__always) func value(_ b: UInt8) -> UInt8 { (b &- 0x20) & 0x3F }
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != ASCII.lf, bytes[lineEnd] != ASCII.cr { lineEnd += 1 }
            let line = bytes[lineStart..<lineEnd]
            lineStart = lineEnd
            while lineStart < bytes.count, bytes[lineStart] == ASCII.lf || bytes[lineStart] == ASCII.cr {
                lineStart += 1
            }
            if line.isEmpty || line.starts(with: Array("begin ".utf8)) { continue }
            if line.elementsEqual(Array("end".utf8)) { break }
            let length = Int(value(line[line.startIndex]))
            if length == 0 { continue }
            var produced = 0
            var i = line.startIndex + 1
            while produced < length, i + 4 <= line.endIndex {
                let a = value(line[i]), b = value(line[i + 1]), c = value(line[i + 2]), d = value(line[i + 3])
                let triple = [a << 2 | b >> 4, (b & 0x0F) << 4 | c >> 2, (c & 0x03) << 6 | d]
                for byte in triple where produced < length {
                    output.append(byte)
                    produced += 1
                }
                i += 4
            }
        }
        return output
    }
}
