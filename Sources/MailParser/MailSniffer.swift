/// Tells mail from files that are not mail before anything is learned or classified from them: `train` and
/// `classify` refuse an empty file, one with a NUL byte near its start (a binary), a gzip- or other compressed
/// file, and anything whose first line is neither a header field (`Name:`) nor an mbox `From ` line.
/// (`filter` never refuses: whatever arrives on the delivery path passes through.)
public enum MailSniffer {
    /// How far into a file to look for a NUL byte.
    public static let binaryWindow = 1_000

    /// Why `bytes` is not a message, or nil if it looks like one.
    public static func refusal(_ bytes: [UInt8]) -> String? {
        if bytes.isEmpty { return "empty" }
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B { return "gzip-compressed: decompress it first" }
        if bytes.count >= 3, bytes[0] == 0x42, bytes[1] == 0x5A, bytes[2] == 0x68 {
            return "bzip2-compressed: decompress it first"
        }
        if bytes.count >= 6, bytes[0] == 0xFD, bytes[1] == 0x37, bytes[2] == 0x7A, bytes[3] == 0x58 {
            return "xz-compressed: decompress it first"
        }
        if bytes.prefix(binaryWindow).contains(0) { return "binary (a NUL byte in its first \(binaryWindow) bytes)" }
        if bytes.starts(with: [0x46, 0x72, 0x6F, 0x6D, 0x20]) { return nil }  // "From "
        // A header field name: printable ASCII other than the colon, then optional blanks, then a colon.
        var i = 0
        while i < bytes.count, bytes[i] > 0x20, bytes[i] < 0x7F, bytes[i] != 0x3A { i += 1 }
        let nameEnd = i
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        if nameEnd > 0, i < bytes.count, bytes[i] == 0x3A { return nil }
        return "it starts with neither a header field nor an mbox From line"
    }
}
