import Platform

/// Converts text in a declared charset to a Swift String (UTF-8) through iconv. Never fails: invalid bytes
/// become U+FFFD, an unknown charset falls back to UTF-8 when the bytes are valid UTF-8, else windows-1252.
public enum Charset {
    /// Names mail uses that glibc's iconv does not know, or knows as a smaller charset than senders meant.
    static let aliases: [String: String] = [
        "ks_c_5601-1987": "CP949", "ks_c_5601": "CP949", "ksc5601": "CP949", "euc-kr": "CP949",
        "gb2312": "GB18030", "gbk": "GB18030", "x-gbk": "GB18030", "cp936": "GB18030", "gb_2312-80": "GB18030",
        "chinesebig5": "BIG5-HKSCS", "big5": "BIG5-HKSCS", "x-x-big5": "BIG5-HKSCS", "cn-big5": "BIG5-HKSCS",
        "x-sjis": "CP932", "shift_jis": "CP932", "shift-jis": "CP932", "sjis": "CP932", "ms_kanji": "CP932",
        "x-euc-jp": "EUC-JP", "iso-8859-8-i": "ISO-8859-8", "utf7": "UTF-7", "unicode-1-1-utf-7": "UTF-7",
        "cp1252": "WINDOWS-1252", "cp1251": "WINDOWS-1251", "cp1250": "WINDOWS-1250", "koi8": "KOI8-R",
        "iso-2022-jp-2": "ISO-2022-JP-2", "csiso2022jp": "ISO-2022-JP", "x-mac-cyrillic": "MAC-CYRILLIC",
        "x-mac-roman": "MACINTOSH", "macintosh": "MACINTOSH",
        "iso-8859-1": "WINDOWS-1252", "latin1": "WINDOWS-1252", "us-ascii": "", "ascii": "", "us_ascii": "",
        "x-unknown": "", "unknown-8bit": "", "x-user-defined": "", "default": "", "charset": ""
    ]

    /// Decodes `bytes` declared as `charset` (nil when undeclared).
    public static func decode<C: Collection>(_ bytes: C, charset declared: String?) -> String
    where C.Element == UInt8 {
        decode(Array(bytes), charset: declared)
    }

    /// Decodes `bytes` declared as `charset` (nil when undeclared).
    public static func decode(_ array: [UInt8], charset declared: String?) -> String {
        let name = normalizedName(declared)
        // 7-bit text is ASCII, except in the stateful 7-bit encodings (ISO-2022-*, UTF-7, HZ).
        if isASCII(array), !isSevenBitEncoding(name) { return String(decoding: array, as: UTF8.self) }
        if name.isEmpty || name == "UTF-8" || name == "UTF8" {
            if name.isEmpty, !isValidUTF8(array) { return convert(array, from: "WINDOWS-1252") ?? latin1(array) }
            return String(decoding: array, as: UTF8.self)
        }
        if let converted = convert(array, from: name) { return converted }
        // iconv does not know this charset: best effort.
        if isValidUTF8(array) { return String(decoding: array, as: UTF8.self) }
        return convert(array, from: "WINDOWS-1252") ?? latin1(array)
    }

    /// The charset an HTML document declares in its first 2 KB: `<meta charset=X>` or
    /// `<meta http-equiv="Content-Type" content="text/html; charset=X">`.
    public static func htmlMetaCharset(_ body: [UInt8]) -> String? {
        let head = Array(body.prefix(2048)).map { (b: UInt8) -> UInt8 in (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
        let needle = Array("charset=".utf8)
        var i = 0
        while i + needle.count < head.count {
            if head[i] == 0x63, head[i..<(i + needle.count)].elementsEqual(needle) {
                // Only inside a <meta ...> tag.
                let before = head[..<i]
                guard let open = before.lastIndex(of: 0x3C), !before[open...].contains(0x3E),
                    head[(open + 1)...].starts(with: Array("meta".utf8))
                else { i += 1; continue }
                var j = i + needle.count
                while j < head.count, head[j] == 0x22 || head[j] == 0x27 || head[j] == 0x20 { j += 1 }
                var name: [UInt8] = []
                while j < head.count, name.count < 40 {
                    let b = head[j]
                    guard
                        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F || b == 0x3A
                            || b == 0x2E
                    else { break }
                    name.append(b)
                    j += 1
                }
                return name.isEmpty ? nil : String(decoding: name, as: UTF8.self)
            }
            i += 1
        }
        return nil
    }

    /// The iconv name for a charset label as found in mail (quotes, case and aliases handled); "" for none.
    static func normalizedName(_ declared: String?) -> String {
        guard var label = declared else { return "" }
        label = label.trimming(" \t\"'").lowercased()
        if let alias = aliases[label] { return alias }
        return label.uppercased()
    }

    static func isSevenBitEncoding(_ name: String) -> Bool {
        name.hasPrefix("ISO-2022") || name == "UTF-7" || name == "HZ-GB-2312" || name == "HZ"
    }

    static func isASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let n = buffer.count
            // Eight bytes at a time.
            if let base = buffer.baseAddress {
                let raw = UnsafeRawPointer(base)
                while i + 8 <= n {
                    if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                        return false
                    }
                    i += 8
                }
            }
            while i < n {
                if buffer[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func latin1(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(Unicode.Scalar(b)) }
        return String(scalars)
    }

    /// Converts through iconv, replacing each invalid or incomplete sequence by U+FFFD. Nil if iconv
    /// does not know the charset.
    static func convert(_ input: [UInt8], from charset: String) -> String? {
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: input.count * 3 + 16)
        var produced = 0
        var input = input
        input.withUnsafeMutableBufferPointer { inBuffer in
            var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var inLeft = inBuffer.count
            while inLeft > 0 {
                if output.count - produced < 16 { output.append(contentsOf: repeatElement(0, count: output.count)) }
                let outCapacity = output.count - produced
                var outLeft = outCapacity
                let result: Int = output.withUnsafeMutableBufferPointer { outBuffer in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(
                        outBuffer.baseAddress! + produced
                    )
                    .assumingMemoryBound(to: CChar.self)
                    var inOptional: UnsafeMutablePointer<CChar>? = inPointer
                    let r = iconv(cd, &inOptional, &inLeft, &outPointer, &outLeft)
                    inPointer = inOptional!
                    return r
                }
                produced += outCapacity - outLeft
                if result == -1 {
                    let error = errno
                    if error == E2BIG { continue }
                    // EILSEQ or EINVAL: one bad byte becomes U+FFFD; start afresh after it.
                    if output.count - produced < 3 { output.append(contentsOf: [0, 0, 0]) }
                    output[produced] = 0xEF; output[produced + 1] = 0xBF; output[produced + 2] = 0xBD
                    produced += 3
                    inPointer += 1
                    inLeft -= 1
                    iconv(cd, nil, nil, nil, nil)
                }
            }
            // Flush a stateful encoder (ISO-2022-JP and friends).
            var outLeft = output.count - produced
            if outLeft >= 8 {
                output.withUnsafeMutableBufferPointer { outBuffer in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(
                        outBuffer.baseAddress! + produced
                    )
                    .assumingMemoryBound(to: CChar.self)
                    let before = outLeft
                    _ = iconv(cd, nil, nil, &outPointer, &outLeft)
                    produced += before - outLeft
                }
            }
        }
        return String(decoding: output[0..<produced], as: UTF8.self)
    }
}
