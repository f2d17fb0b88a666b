/// A structured header value such as `text/plain; charset="utf-8"` split into its main value and its
/// parameters (names lower-cased; RFC 2231 continuations `name*0*=` and `charset''percent%20encoded` values joined).
public struct HeaderParameters: Sendable, Equatable {
    /// The value before the first `;`, lower-cased and trimmed (for Content-Type: `type/subtype`).
    public let value: String
    public let parameters: [String: String]

    public subscript(_ name: String) -> String? { parameters[name.lowercased()] }

    public init(_ raw: ArraySlice<UInt8>) {
        var pieces: [(String, String)] = []
        var i = raw.startIndex
        let end = raw.endIndex
        // Main value.
        while i < end, raw[i] != ASCII.semicolon { i += 1 }
        value = String(decoding: raw[raw.startIndex..<i].trimmingWhitespace(), as: UTF8.self).lowercased()
        while i < end {
            i += 1  // skip ';'
            while i < end, ASCII.isWhitespace(raw[i]) || raw[i] == ASCII.semicolon { i += 1 }
            let nameStart = i
            while i < end, raw[i] != ASCII.equals, raw[i] != ASCII.semicolon { i += 1 }
            let name = String(decoding: raw[nameStart..<i].trimmingWhitespace(), as: UTF8.self).lowercased()
            guard i < end, raw[i] == ASCII.equals else { continue }
            i += 1
            while i < end, ASCII.isSpace(raw[i]) { i += 1 }
            var valueBytes: [UInt8] = []
            if i < end, raw[i] == ASCII.quote {
                i += 1
                while i < end, raw[i] != ASCII.quote {
                    if raw[i] == ASCII.backslash, i + 1 < end { i += 1 }
                    valueBytes.append(raw[i])
                    i += 1
                }
                while i < end, raw[i] != ASCII.semicolon { i += 1 }  // past the closing quote and any junk
            } else {
                let valueStart = i
                while i < end, raw[i] != ASCII.semicolon { i += 1 }
                valueBytes = Array(raw[valueStart..<i].trimmingWhitespace())
            }
            if !name.isEmpty { pieces.append((name, valueBytes.utf8String)) }
        }
        parameters = HeaderParameters.joinContinuations(pieces)
    }

    /// Joins RFC 2231 pieces: `name*0`, `name*1*`, ... in order, percent-decoding the `*` ones and converting
    /// from the charset given in the first piece.
    private static func joinContinuations(_ pieces: [(String, String)]) -> [String: String] {
        var plain: [String: String] = [:]
        var sections: [String: [(Int, String, Bool)]] = [:]
        for (name, value) in pieces {
            guard let star = name.firstIndex(of: "*") else {
                if plain[name] == nil { plain[name] = value }
                continue
            }
            let base = String(name[..<star])
            let rest = name[name.index(after: star)...]
            let encoded = rest.hasSuffix("*") || rest.isEmpty
            let number = Int(rest.hasSuffix("*") ? rest.dropLast() : rest) ?? 0
            sections[base, default: []].append((number, value, encoded))
        }
        for (base, parts) in sections {
            var charset: String? = nil
            var bytes: [UInt8] = []
            for (index, (_, value, encoded)) in parts.sorted(by: { $0.0 < $1.0 }).enumerated() {
                var text = Substring(value)
                if encoded && index == 0 {
                    // charset'language'value
                    let fields = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if fields.count == 3 {
                        charset = fields[0].isEmpty ? nil : String(fields[0])
                        text = fields[2]
                    }
                }
                bytes += encoded ? percentDecode(Array(text.utf8)) : Array(text.utf8)
            }
            plain[base] = Charset.decode(bytes, charset: charset)
        }
        return plain
    }

    private static func percentDecode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count,
                let hi = ASCII.hexValue(bytes[i + 1]), let lo = ASCII.hexValue(bytes[i + 2])
            {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
