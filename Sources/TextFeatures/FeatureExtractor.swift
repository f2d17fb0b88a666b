import MailParser

/// The families of tokens a message yields beyond its body words, subject and sender, each of which can be
/// switched on or off (for ablation, or by a user who knows their mail).
public struct FeatureFamilies: Sendable, Equatable {
    /// Header fields beyond Subject and From: Reply-To, recipient count, Content-Type and charsets, mailer,
    /// Message-ID domain.
    public var headers = true
    /// Relay hosts and networks from Received lines. Off by default: they mostly learn one site's servers.
    public var received = false
    /// Link hosts and registered domains, from HTML and from text.
    public var urls = true
    /// Words of link paths and the link scheme.
    public var urlPaths = false
    /// Text hidden from the reader, as `hidden:` tokens (off: it counts as ordinary text).
    public var hiddenText = true
    /// CJK text as character pairs.
    public var cjk = true
    /// Adjacent word pairs.
    public var pairs = false
    /// How text is written: words in capitals, runs of exclamation marks.
    public var shapes = true

    public init() {}

    public static let names = ["headers", "received", "urls", "url-paths", "hidden", "cjk", "pairs", "shapes"]

    /// The enabled families, comma-separated, in `names` order. (Plain loops here and in `init(list:)`: the
    /// delivery path reads and writes these once a message, and generic collection chains cost it more, in
    /// first-use runtime work, than its scoring.)
    public var list: String {
        let flags = [headers, received, urls, urlPaths, hiddenText, cjk, pairs, shapes]
        var result = ""
        for i in 0..<flags.count where flags[i] {
            if !result.isEmpty { result += "," }
            result += Self.names[i]
        }
        return result
    }

    /// Parses a comma-separated list of family names (`none` for none); nil if a name is unknown.
    public init?(list: String) {
        var enabled = [Bool](repeating: false, count: Self.names.count)
        for var raw in list.utf8.split(separator: UInt8(ascii: ",")) {
            while raw.first == UInt8(ascii: " ") { raw = raw.dropFirst() }
            while raw.last == UInt8(ascii: " ") { raw = raw.dropLast() }
            let name = String(decoding: raw, as: UTF8.self)
            if name == "none" { continue }
            guard let i = Self.names.firstIndex(of: name) else { return nil }
            enabled[i] = true
        }
        headers = enabled[0]
        received = enabled[1]
        urls = enabled[2]
        urlPaths = enabled[3]
        hiddenText = enabled[4]
        cjk = enabled[5]
        pairs = enabled[6]
        shapes = enabled[7]
    }
}

/// Turns a parsed message into its tokens: body words from every text part (HTML through libxml2), subject words,
/// the sender's address, domain and display-name words, attachment types, and the families switched on in
/// `families`. `versionName` names the feature space: stores record it with every example and model, and refuse
/// to mix two.
public struct FeatureExtractor: Sendable {
    /// Bump whenever a change to the parser or tokenizer changes the tokens any message yields.
    public static let version = "hamlet-features-6"

    public var tokenizer = Tokenizer()
    public var families = FeatureFamilies()
    /// Token occurrences counted per message; the rest are ignored (and a `limit:tokens` token says so).
    public var tokenLimit = 100_000
    /// Bytes of one HTML part handed to libxml2; the rest is read as plain text.
    public var htmlLimit = 1_000_000

    public init(families: FeatureFamilies = FeatureFamilies()) {
        self.families = families
        tokenizer.cjkBigrams = families.cjk
        tokenizer.wordPairs = families.pairs
        tokenizer.shapeTokens = families.shapes
    }

    /// The feature space's name: the extractor version and the enabled families.
    public var versionName: String { Self.version + ":" + families.list }

    /// Tokens of a message given as raw bytes.
    public func tokens(of bytes: [UInt8], limits: ParseLimits = ParseLimits()) -> TokenBag {
        tokens(of: MailMessage.parse(bytes, limits: limits))
    }

    public func tokens(of message: MailMessage) -> TokenBag {
        var bag = TokenBag()
        bag.limit = tokenLimit
        var urls: [String] = []
        if let subject = message.decodedHeader("subject") {
            var subjectTokenizer = tokenizer
            subjectTokenizer.wordPairs = false
            subjectTokenizer.addWords(of: subject, prefix: "subject:", to: &bag, urls: &urls)
        }
        if let from = message.decodedHeader("from") {
            addSender(from, to: &bag, urls: &urls)
        }
        var headerTokenizer = tokenizer
        headerTokenizer.wordPairs = false
        if families.headers || families.received {
            HeaderTokens(
                tokenizer: headerTokenizer, includeFields: families.headers, includeReceived: families.received
            )
            .add(message, to: &bag, urls: &urls)
        }
        for part in message.root.leaves {
            addPart(part, to: &bag, urls: &urls)
        }
        if families.urls || families.urlPaths {
            for url in urls { URLTokens.add(url, to: &bag, hosts: families.urls, paths: families.urlPaths) }
        }
        if bag.truncated {
            bag.limit = .max
            bag.add("limit:tokens")
        }
        return bag
    }

    /// What the tokenizer reads from one leaf part: its visible text, its hidden text (HTML only) and the links
    /// HTML carries; nil for parts that are not read as text (attachments other than text/plain, binary parts).
    public static func readableText(of part: MIMEPart, htmlLimit: Int = 1_000_000) -> (
        text: String, hidden: String, urls: [String]
    )? {
        if part.isHTML {
            let content = htmlContent(of: part, htmlLimit: htmlLimit)
            return (
                String(decoding: content.text, as: UTF8.self), String(decoding: content.hidden, as: UTF8.self),
                content.urls
            )
        }
        if part.isText && !(part.isAttachment && part.contentType != "text/plain") {
            return (part.text, "", [])
        }
        return nil
    }

    /// An HTML part's visible and hidden text as UTF-8 bytes (the tokenizer reads bytes: no `String` is made and
    /// validated on the way), with its links. Past `htmlLimit` bytes the rest is read as plain text.
    static func htmlContent(of part: MIMEPart, htmlLimit: Int) -> (text: [UInt8], hidden: [UInt8], urls: [String]) {
        var utf8 = Array(part.text.utf8)
        // NUL bytes end libxml2's reading early: they become spaces.
        utf8.withUnsafeMutableBufferPointer { bytes in
            for k in 0..<bytes.count where bytes[k] == 0 { bytes[k] = 0x20 }
        }
        var rest: [UInt8] = []
        if utf8.count > htmlLimit {
            rest = Array(utf8[htmlLimit...])
            utf8.removeSubrange(htmlLimit...)
        }
        var content = HTMLText.extractBytes(utf8: &utf8)
        if !rest.isEmpty {
            content.text.append(0x20)
            content.text += rest
        }
        return content
    }

    private func addPart(_ part: MIMEPart, to bag: inout TokenBag, urls: inout [String]) {
        if part.isHTML {
            let content = Self.htmlContent(of: part, htmlLimit: htmlLimit)
            urls += content.urls
            content.text.withUnsafeBufferPointer { tokenizer.addWords(of: $0, prefix: "", to: &bag, urls: &urls) }
            if !content.hidden.isEmpty {
                content.hidden.withUnsafeBufferPointer {
                    tokenizer.addWords(of: $0, prefix: families.hiddenText ? "hidden:" : "", to: &bag, urls: &urls)
                }
            }
        } else if part.isText && !(part.isAttachment && part.contentType != "text/plain") {
            tokenizer.addWords(of: part.text, prefix: "", to: &bag, urls: &urls)
        }
        if part.isAttachment || !part.isText {
            bag.add("attach:type:" + part.contentType)
            if let name = part.filename, let dot = name.lastIndex(of: "."),
                name.distance(from: dot, to: name.endIndex) <= 6
            {
                bag.add("attach:ext:" + name[name.index(after: dot)...].lowercased())
            }
        }
    }

    private func addSender(_ from: String, to bag: inout TokenBag, urls: inout [String]) {
        let address = Address(from)
        if let email = address.email {
            bag.add("from:addr:" + email)
            if let at = email.lastIndex(of: "@") {
                bag.add("from:domain:" + String(email[email.index(after: at)...]))
            }
        }
        if let name = address.displayName {
            var nameTokenizer = tokenizer
            nameTokenizer.wordPairs = false
            nameTokenizer.addWords(of: name, prefix: "from:name:", to: &bag, urls: &urls)
        }
    }
}
