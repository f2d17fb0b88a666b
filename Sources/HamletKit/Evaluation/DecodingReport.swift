import MailParser
import TextFeatures

/// Signs that a message's text was not decoded right, for the corpus check (`hamlet inspect --report`).
public struct DecodingReport: Sendable {
    /// A charset other than UTF-8 or US-ASCII is declared somewhere in the message.
    public var usesNonUTF8Charset = false
    /// Percentage of U+FFFD replacement characters in the decoded text.
    public var replacementPercent = 0.0
    /// Lines of 60 or more base64 characters left in the text (signature parts and PGP armour excepted).
    public var base64Lines = 0
    /// `=3D` or `=20` sequences left in the text (undecoded quoted-printable).
    public var quotedPrintableRuns = 0
    /// Classic mojibake pairs (UTF-8 read as Latin-1) in the text.
    public var mojibake = 0
    /// Parts declared in a CJK or Cyrillic charset, with non-ASCII bytes, whose text has no character of that script.
    public var scriptMismatches = 0

    static let mojibakePairs = ["Ã©", "â€™", "Ã¨", "â€œ", "Ã¶", "Ã¼", "Ã¤", "Ã¡", "Ã³", "â€\u{9D}"]

    public init(_ message: MailMessage) {
        var characters = 0
        var replacements = 0
        walk(message.root, signed: false, characters: &characters, replacements: &replacements)
        replacementPercent = characters > 0 ? 100 * Double(replacements) / Double(characters) : 0
    }

    private mutating func walk(_ part: MIMEPart, signed: Bool, characters: inout Int, replacements: inout Int) {
        if let charset = part.charset?.lowercased().trimming("\"' "),
            !["utf-8", "us-ascii", "utf8", "ascii"].contains(charset)
        {
            usesNonUTF8Charset = true
        }
        if !part.children.isEmpty {
            for (index, child) in part.children.enumerated() {
                // The second part of multipart/signed is the signature.
                let isSignature = part.contentType == "multipart/signed" && index == 1
                if !isSignature { walk(child, signed: signed, characters: &characters, replacements: &replacements) }
            }
            return
        }
        if part.contentType.hasSuffix("pgp-signature") || part.contentType.hasSuffix("pkcs7-signature") { return }
        guard let readable = FeatureExtractor.readableText(of: part) else { return }  // default limits
        let text = readable.text + " " + readable.hidden
        for scalar in text.unicodeScalars {
            characters += 1
            if scalar == "\u{FFFD}" { replacements += 1 }
        }
        var inArmour = false
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if line.hasPrefix("-----BEGIN PGP") { inArmour = true }
            if line.hasPrefix("-----END PGP") { inArmour = false; continue }
            if inArmour { continue }
            let trimmed = line.trimming(" \t")
            if Self.looksLikeBase64(trimmed) { base64Lines += 1 }
        }
        quotedPrintableRuns +=
            Self.occurrences(of: "=3D", in: text) + Self.occurrences(of: "=20", in: text, notBeforeDigit: true)
        for pair in Self.mojibakePairs { mojibake += Self.occurrences(of: pair, in: text) }
        if let charset = part.effectiveCharset?.lowercased(), part.body.contains(where: { $0 >= 0x80 }) {
            let cjk = [
                "gb2312", "gbk", "gb18030", "big5", "euc-kr", "ks_c_5601-1987", "iso-2022-jp", "shift_jis", "euc-jp",
                "x-sjis"
            ]
            let cyrillic = ["koi8-r", "koi8-u", "windows-1251", "iso-8859-5", "cp1251"]
            let name = charset.trimming("\"' ")
            if cjk.contains(name), !text.unicodeScalars.contains(where: { Self.isCJK($0.value) }) {
                scriptMismatches += 1
            }
            if cyrillic.contains(name), !text.unicodeScalars.contains(where: { (0x400...0x4FF).contains($0.value) }) {
                scriptMismatches += 1
            }
        }
    }

    /// How many times `needle` occurs in `text` (by UTF-8 bytes, without overlaps).
    static func occurrences(of needle: String, in text: String, notBeforeDigit: Bool = false) -> Int {
        let n = Array(needle.utf8)
        let t = Array(text.utf8)
        guard !n.isEmpty, t.count >= n.count else { return 0 }
        var count = 0
        var i = 0
        while i + n.count <= t.count {
            if t[i] == n[0], t[i..<(i + n.count)].elementsEqual(n),
                !(notBeforeDigit && i + n.count < t.count && t[i + n.count] >= 0x30 && t[i + n.count] <= 0x39)
            {
                count += 1
                i += n.count
            } else {
                i += 1
            }
        }
        return count
    }

    /// A line of 60+ base64 characters mixing upper case, lower case and digits (so not a `=====` rule).
    static func looksLikeBase64(_ line: String) -> Bool {
        let bytes = Array(line.utf8)
        guard bytes.count >= 60, bytes.allSatisfy(isBase64) else { return false }
        return bytes.contains { $0 >= 0x41 && $0 <= 0x5A } && bytes.contains { $0 >= 0x61 && $0 <= 0x7A }
            && bytes.contains { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func isBase64(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2F
            || b == 0x3D
    }

    static func isCJK(_ value: UInt32) -> Bool {
        (0x3040...0x30FF).contains(value) || (0x3400...0x9FFF).contains(value) || (0xAC00...0xD7AF).contains(value)
            || (0xFF00...0xFFEF).contains(value) || (0x3000...0x303F).contains(value)
    }

    /// One TSV line: id, non-UTF-8 (0/1), U+FFFD %, base64 lines, QP runs, mojibake, script mismatches.
    public func tsv(id: String) -> String {
        "\(id)\t\(usesNonUTF8Charset ? 1 : 0)\t\(formatFixed(replacementPercent, decimals: 3))\t\(base64Lines)\t\(quotedPrintableRuns)\t\(mojibake)\t\(scriptMismatches)"
    }
}
