/// The text export and import (docs/STORE.md): settings and examples, one line each.
extension SQLiteStore {
    /// Writes the store's settings and examples in Hamlet's text format (see docs/STORE.md), one line at a time.
    /// Models are not exported: import refits them.
    public func export(_ line: (String) throws -> Void) throws {
        try read {
            try line("# hamlet store export, format 1")
            // The example-change counter is this store's own bookkeeping (models are measured against it), not a
            // setting to carry to another store.
            let settings = try database.prepare(
                "SELECT key, value FROM settings WHERE key <> 'example_changes' ORDER BY key")
            while try settings.step() {
                try line(
                    "setting\t\(TextField.encode(settings.string(0) ?? ""))\t\(TextField.encode(settings.string(1) ?? ""))"
                )
            }
            var names: [Int32: String] = [:]
            let tokens = try database.prepare("SELECT id, token FROM tokens")
            while try tokens.step() { names[Int32(truncatingIfNeeded: tokens.int(0))] = tokens.string(1) ?? "" }
            let examples = try database.prepare(
                """
                SELECT digest, is_spam, extractor, learned_at, coalesce(message_id, ''), coalesce(source, ''), features
                FROM examples ORDER BY digest
                """)
            while try examples.step() {
                // Tokens in the byte order of their text, not of this store's ids: the same examples export to the
                // same text from any store.
                let counts = FeatureBlob.decode(examples.blob(6)).compactMap { pair -> (String, Int)? in
                    names[pair.0].map { ($0, pair.1) }
                }
                .sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
                .map { "\($0.1):\(TextField.encode($0.0))" }
                try line(
                    [
                        "example", examples.string(0) ?? "", examples.int(1) != 0 ? "spam" : "ham",
                        TextField.encode(examples.string(2) ?? ""), String(examples.int(3)),
                        TextField.encode(examples.string(4) ?? ""), TextField.encode(examples.string(5) ?? ""),
                        counts.joined(separator: " ")
                    ].joined(separator: "\t"))
            }
        }
    }

    /// Reads lines written by `export` into this store (call inside `write`). Examples already stored follow the
    /// training rules: same label unchanged, other label moved. Returns the examples added or moved.
    public func importLine(
        _ line: String, number: Int, vocabulary: inout [String: Int32], deltas: inout DocumentCountDeltas
    )
        throws -> ExampleChange?
    {
        if line.isEmpty || line.hasPrefix("#") { return nil }
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        func bad(_ why: String) -> StoreError { .badImportLine(number: number, reason: why) }
        switch fields[0] {
        case "setting":
            guard fields.count == 3 else { throw bad("a setting line has 3 fields") }
            let key = TextField.decode(fields[1])
            // Older exports carried the example-change counter; only this store's own changes may move it.
            if key != "example_changes" { try setSetting(key, TextField.decode(fields[2])) }
            return nil
        case "example":
            guard fields.count == 8 else { throw bad("an example line has 8 fields") }
            guard fields[1].count == 64, fields[2] == "spam" || fields[2] == "ham" else {
                throw bad("bad digest or label")
            }
            var counts: [(Int32, Int)] = []
            for item in fields[7].split(separator: " ") {
                guard let colon = item.firstIndex(of: ":"), let count = Int(item[..<colon]), count > 0 else {
                    throw bad("bad token entry '\(item.prefix(40))'")
                }
                let token = TextField.decode(String(item[item.index(after: colon)...]))
                let id: Int32
                if let known = vocabulary[token] {
                    id = known
                } else {
                    id = try insertToken(token)
                    vocabulary[token] = id
                }
                counts.append((id, count))
            }
            counts.sort { $0.0 < $1.0 }
            guard let learnedAt = Int64(fields[4]) else { throw bad("bad learned-at time '\(fields[4].prefix(20))'") }
            let messageID = TextField.decode(fields[5])
            let source = TextField.decode(fields[6])
            return try putExample(
                digest: fields[1], messageID: messageID.isEmpty ? nil : messageID,
                isSpam: fields[2] == "spam", source: source.isEmpty ? nil : source,
                extractor: TextField.decode(fields[3]), counts: counts, deltas: &deltas, learnedAt: learnedAt)
        default:
            throw bad("unknown record '\(fields[0].prefix(20))'")
        }
    }
}

/// Percent-encoding for the export format: `%`, tab, line breaks, space and other control characters.
enum TextField {
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte <= 0x20 || byte == 0x25 || byte == 0x7F {
                out += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.utf8)
        var i = 0
        while i < input.count {
            if input[i] == 0x25, i + 2 < input.count, let hi = hexValue(input[i + 1]), let lo = hexValue(input[i + 2]) {
                bytes.append(hi << 4 | lo)
                i += 3
            } else {
                bytes.append(input[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}
