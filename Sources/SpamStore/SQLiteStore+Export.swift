/// The text export and import (docs/STORE.md): settings and examples, one line each.
extension SQLiteStore {
    /// Writes the store's settings and examples in Hamlet's text format (see docs/STORE.md), one line at a time.
    /// Models are not exported: import refits them.
    public func export(_ line: (String) throws -> Void) throws {
        try read {
            try line(ExportFormat.header)
            let settings = try database.prepare("SELECT key, value FROM settings ORDER BY key")
            while try settings.step() {
                let key = settings.string(0) ?? ""
                if ExportFormat.isExported(setting: key) {
                    try line(ExportFormat.settingLine(key: key, value: settings.string(1) ?? ""))
                }
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
                try line(
                    ExportFormat.exampleLine(
                        digest: examples.string(0) ?? "", isSpam: examples.int(1) != 0,
                        extractor: examples.string(2) ?? "", learnedAt: examples.int(3),
                        messageID: examples.string(4) ?? "", source: examples.string(5) ?? "",
                        counts: FeatureBlob.decode(examples.blob(6)), names: names))
            }
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
