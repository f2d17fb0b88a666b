/// Splits UTF-8 text into case-folded word tokens, working on bytes. A word is a run of letters and digits
/// (any script), with `'`, `-`, `.`, `,` and `_` allowed between two word characters, so that `don't`,
/// `e-mail` and `$27.500.000` stay whole; a leading `$` or `€` is kept. Words shorter than `minimumLength`
/// bytes are dropped; longer than `maximumLength` become a `skip:` marker (first letter and length in tens),
/// so over-long runs are still seen. Text in URLs (`http://...`, `www....`) is handed to `URLTokens` instead.
public struct Tokenizer: Sendable {
    public var minimumLength = 2
    public var maximumLength = 40
    /// Chinese, Japanese and Korean text has no spaces between words: runs of those characters become
    /// overlapping character pairs (`cjk:` tokens) instead of one long "word".
    public var cjkBigrams = true
    /// Also emit each pair of adjacent words (`pair:first+second`).
    public var wordPairs = false
    /// Also emit how text is written: `shape:caps` for each word written in capitals (three letters or more,
    /// ASCII), `shape:!` and `shape:!!` for one and for several exclamation marks in a row. (A `caps:WORD` token
    /// per capitalised word did a little better at low false-positive rates but grew the vocabulary; see
    /// docs/lab/EVALUATION.md.)
    public var shapeTokens = false

    public init() {}

    @inline(__always) static func isCJK(_ value: UInt32) -> Bool {
        (0x3040...0x30FF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x4E00...0x9FFF).contains(value)
            || (0xAC00...0xD7AF).contains(value) || (0xF900...0xFAFF).contains(value)
            || (0x1100...0x11FF).contains(value)
    }

    /// Adds the words of `text` to `bag`, each prefixed with `prefix`, and collects any URLs into `urls`.
    public func addWords(of text: String, prefix: String, to bag: inout TokenBag, urls: inout [String]) {
        var text = text
        text.withUTF8 { buffer in addWords(of: buffer, prefix: prefix, to: &bag, urls: &urls) }
    }

    public func addWords(
        of text: UnsafeBufferPointer<UInt8>, prefix: String, to bag: inout TokenBag, urls: inout [String]
    ) {
        // The word is built right after the prefix in one fixed buffer, so a token is counted straight from its
        // bytes, and adding a letter is a store (no array growth or uniqueness check per byte).
        let prefixBytes = Array(prefix.utf8)
        let base = prefixBytes.count
        var word = WordBuffer(prefix: prefixBytes, room: maximumLength + 32)
        defer { word.deallocate() }
        var wordLength = 0  // in bytes, including any not kept past the maximum
        var firstLetter: UInt8 = 0
        var i = 0
        let n = text.count
        var previousWord: [UInt8] = []  // for word pairs
        var hasPreviousWord = false
        var pair: [UInt8] = []
        var previousCJK: Unicode.Scalar? = nil
        var cjkRunLength = 0
        var upperLetters = 0  // capital ASCII letters in the word so far
        var lowerLetters = 0

        func flush() {
            // Trailing joiners are not part of the word.
            while word.count > base, Self.isJoiner(word.last) { word.count -= 1; wordLength -= 1 }
            if wordLength >= minimumLength {
                if wordLength > maximumLength {
                    let letter = (firstLetter >= 0x61 && firstLetter <= 0x7A) ? String(UnicodeScalar(firstLetter)) : "_"
                    bag.add("\(prefix)skip:\(letter)\(min(wordLength / 10 * 10, 200))")
                    hasPreviousWord = false
                } else {
                    bag.add(utf8: word.bytes)
                    if shapeTokens && upperLetters >= 3 && lowerLetters == 0 {
                        bag.add(prefix + "shape:caps")
                    }
                    if wordPairs {
                        let current = UnsafeBufferPointer(rebasing: word.bytes[base...])
                        if hasPreviousWord {
                            pair.removeAll(keepingCapacity: true)
                            pair.append(contentsOf: prefixBytes)
                            pair.append(contentsOf: "pair:".utf8)
                            pair.append(contentsOf: previousWord)
                            pair.append(0x2B)  // +
                            pair.append(contentsOf: current)
                            pair.withUnsafeBufferPointer { bag.add(utf8: $0) }
                        }
                        previousWord.removeAll(keepingCapacity: true)
                        previousWord.append(contentsOf: current)
                        hasPreviousWord = true
                    }
                }
            }
            word.count = base
            wordLength = 0
            upperLetters = 0
            lowerLetters = 0
        }

        func endCJKRun() {
            if cjkRunLength == 1, let single = previousCJK { bag.add(prefix + "cjk:" + String(single)) }
            previousCJK = nil
            cjkRunLength = 0
        }

        while i < n {
            let b = text[i]
            if cjkRunLength > 0 && (b < 0x80 || !Self.isCJKStart(text, i)) { endCJKRun() }
            if b < 0x80 {
                if Self.isAlphanumeric(b) {
                    if wordLength == 0 {
                        if let urlEnd = Self.urlEnd(text, at: i) {
                            urls.append(
                                String(decoding: UnsafeBufferPointer(rebasing: text[i..<urlEnd]), as: UTF8.self))
                            i = urlEnd
                            continue
                        }
                        firstLetter = ASCII_lower(b)
                    }
                    if wordLength < maximumLength + 1 { word.append(ASCII_lower(b)) }
                    wordLength += 1
                    if b >= 0x41 && b <= 0x5A { upperLetters += 1 } else if b >= 0x61 { lowerLetters += 1 }
                } else if b == 0x24 && wordLength == 0 && i + 1 < n && Self.isDigit(text[i + 1]) {
                    word.append(b)  // "$27"
                    wordLength += 1
                } else if Self.isJoiner(b), wordLength > 0, i + 1 < n, Self.isWordStart(text, i + 1) {
                    if wordLength < maximumLength + 1 { word.append(b) }
                    wordLength += 1
                } else {
                    if wordLength > 0 { flush() }
                    if shapeTokens && b == 0x21 {  // !
                        var end = i + 1
                        while end < n && text[end] == 0x21 { end += 1 }
                        bag.add(end - i == 1 ? prefix + "shape:!" : prefix + "shape:!!")
                        i = end
                        continue
                    }
                }
                i += 1
                continue
            }
            // Non-ASCII: decode one scalar.
            let (scalar, length) = Self.decodeScalar(text, at: i)
            if cjkBigrams, let scalar, Self.isCJK(scalar.value) {
                if wordLength > 0 { flush() }
                if let previous = previousCJK { bag.add(prefix + "cjk:" + String(previous) + String(scalar)) }
                previousCJK = scalar
                cjkRunLength += 1
                i += length
                continue
            }
            if let scalar, scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if wordLength == 0 { firstLetter = 0 }
                if wordLength < maximumLength + 1 {
                    // Most scalars fold to themselves: their bytes (when in shortest form) are copied as they are,
                    // with no String made.
                    if !scalar.properties.changesWhenCaseMapped && UTF8.width(scalar) == length {
                        for k in i..<(i + length) { word.append(text[k]) }
                    } else {
                        for byte in Self.caseFolded(scalar).utf8 { word.append(byte) }
                    }
                }
                wordLength += length
            } else if let scalar, scalar == "€" || scalar == "£", wordLength == 0 {
                for byte in String(scalar).utf8 { word.append(byte) }
                wordLength += length
            } else if wordLength > 0 {
                flush()
            }
            i += length
        }
        if wordLength > 0 { flush() }
        if cjkRunLength > 0 { endCJKRun() }
    }

    /// Whether the (non-ASCII) character starting at `i` is a CJK one that continues a run.
    static func isCJKStart(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let (scalar, _) = decodeScalar(text, at: i)
        return scalar.map { isCJK($0.value) } ?? false
    }

    @inline(__always) static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isJoiner(_ b: UInt8) -> Bool {
        b == 0x27 || b == 0x2D || b == 0x2E || b == 0x2C || b == 0x5F
    }
    @inline(__always) static func isWordStart(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = text[i]
        return b >= 0x80 || isAlphanumeric(b)
    }

    /// If a URL starts at `i` (`http://`, `https://`, `ftp://`, `www.`), where it ends.
    static func urlEnd(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = text.count
        let first = ASCII_lower(text[i])
        guard first == 0x68 || first == 0x66 || first == 0x77 else { return nil }  // h, f, w: most words stop here
        func matches(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard n - i >= count else { return false }
            return literal.withUTF8Buffer { p in
                for k in 0..<count where ASCII_lower(text[i + k]) != p[k] { return false }
                return true
            }
        }
        guard matches("http://") || matches("https://") || matches("ftp://") || matches("www.") else { return nil }
        var j = i
        while j < n {
            let b = text[j]
            if b <= 0x20 || b == 0x22 || b == 0x27 || b == 0x3C || b == 0x3E || b == 0x28 || b == 0x29 || b == 0x5B
                || b == 0x5D || b >= 0x80
            {
                break
            }
            j += 1
        }
        return j
    }

    /// Unicode case folding of one scalar, as the lower-case form of its upper-case form, so that every casing of
    /// a word is one token: `Straße` and `STRASSE` both give `strasse`, `ΣΊΣΥΦΟΣ` and `σίσυφος` both `σίσυφοσ`, the
    /// ligature `ﬁ` gives `fi`. (Lower-casing alone keeps `ß`, `ς` and `ﬁ`.) Scalars that no case mapping changes
    /// are returned as they are, without the two look-ups.
    static func caseFolded(_ scalar: Unicode.Scalar) -> String {
        let properties = scalar.properties
        guard properties.changesWhenCaseMapped else { return String(scalar) }
        var folded = ""
        for upper in properties.uppercaseMapping.unicodeScalars { folded += upper.properties.lowercaseMapping }
        return folded
    }

    static func decodeScalar(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar?, Int) {
        let b = text[i]
        let length: Int
        var value: UInt32
        if b & 0xE0 == 0xC0 {
            length = 2; value = UInt32(b & 0x1F)
        } else if b & 0xF0 == 0xE0 {
            length = 3; value = UInt32(b & 0x0F)
        } else if b & 0xF8 == 0xF0 {
            length = 4; value = UInt32(b & 0x07)
        } else {
            return (nil, 1)
        }
        guard i + length <= text.count else { return (nil, 1) }
        for k in 1..<length {
            let c = text[i + k]
            guard c & 0xC0 == 0x80 else { return (nil, 1) }
            value = value << 6 | UInt32(c & 0x3F)
        }
        return (Unicode.Scalar(value), length)
    }
}

@inline(__always) func ASCII_lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

/// The word being built: a fixed buffer holding the prefix, then the word's bytes. Appends past the capacity are
/// dropped (the tokenizer stops keeping bytes past the maximum length long before).
struct WordBuffer {
    private let storage: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    var count: Int

    init(prefix: [UInt8], room: Int) {
        capacity = prefix.count + room
        storage = .allocate(capacity: capacity)
        for (k, byte) in prefix.enumerated() { storage[k] = byte }
        count = prefix.count
    }

    func deallocate() { storage.deallocate() }

    @inline(__always) mutating func append(_ byte: UInt8) {
        guard count < capacity else { return }
        storage[count] = byte
        count += 1
    }

    var last: UInt8 { storage[count - 1] }
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }
}
