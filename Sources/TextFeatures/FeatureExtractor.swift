import MailParser

/// Turns a parsed message into its tokens: body words from every text part (HTML through libxml2), subject words,
/// the sender's address, domain and display-name words, URL hosts from links and from text, and attachment types.
/// `version` names the feature space: stores record it with every example and model, and refuse to mix two.
public struct FeatureExtractor: Sendable {
    /// Bump whenever a change to the parser or tokenizer changes the tokens any message yields.
    public static let version = "hamlet-features-1"

    public var tokenizer = Tokenizer()
    /// Tokens from header fields beyond Subject and From (Reply-To, recipients, Content-Type, mailer, Message-ID).
    public var headerTokens = true
    /// Tokens from Received lines (relay hosts and networks). Off by default: they mostly learn one site's servers.
    public var receivedTokens = false

    public init() {}

    /// Tokens of a message given as raw bytes.
    public func tokens(of bytes: [UInt8], limits: ParseLimits = ParseLimits()) -> TokenBag {
        tokens(of: MailMessage.parse(bytes, limits: limits))
    }

    public func tokens(of message: MailMessage) -> TokenBag {
        var bag = TokenBag()
        var urls: [String] = []
        if let subject = message.headers["subject"] {
            tokenizer.addWords(of: subject, prefix: "subject:", to: &bag, urls: &urls)
        }
        if let from = message.headers.first("from") {
            addSender(from.decodedValue, to: &bag, urls: &urls)
        }
        if headerTokens {
            HeaderTokens(tokenizer: tokenizer, includeReceived: receivedTokens).add(message, to: &bag, urls: &urls)
        }
        for part in message.root.leaves {
            addPart(part, to: &bag, urls: &urls)
        }
        for url in urls { URLTokens.add(url, to: &bag) }
        return bag
    }

    private func addPart(_ part: MIMEPart, to bag: inout TokenBag, urls: inout [String]) {
        let isAttachment = part.filename != nil
            || (part.headers.first("content-disposition").map { HeaderParameters($0.rawValue[...]).value == "attachment" } ?? false)
        if part.isHTML {
            var utf8 = Array(part.text.utf8)
            let content = HTMLText.extract(utf8: &utf8)
            urls += content.urls
            tokenizer.addWords(of: content.text, prefix: "", to: &bag, urls: &urls)
        } else if part.isText && !(isAttachment && part.contentType != "text/plain") {
            tokenizer.addWords(of: part.text, prefix: "", to: &bag, urls: &urls)
        }
        if isAttachment || !part.isText {
            bag.add("attach:type:" + part.contentType)
            if let name = part.filename, let dot = name.lastIndex(of: "."), name.distance(from: dot, to: name.endIndex) <= 6 {
                bag.add("attach:ext:" + name[name.index(after: dot)...].lowercased())
            }
        }
    }

    private func addSender(_ from: String, to bag: inout TokenBag, urls: inout [String]) {
        let address = Address(from)
        if let email = address.email {
            bag.add("from:addr:" + email)
            if let at = email.lastIndex(of: "@") {
                bag.add("from:domain:" + email[email.index(after: at)...])
            }
        }
        if let name = address.displayName {
            tokenizer.addWords(of: name, prefix: "from:name:", to: &bag, urls: &urls)
        }
    }
}

/// A single mailbox from an address header: `Name <user@example.com>`, `user@example.com (Name)` or a bare address.
public struct Address: Sendable, Equatable {
    public var displayName: String?
    /// The address, lower-cased; nil when none could be found.
    public var email: String?

    public init(_ value: String) {
        let trimmed = value.trimmed
        if let open = trimmed.lastIndex(of: "<"), let close = trimmed[open...].firstIndex(of: ">") {
            let email = trimmed[trimmed.index(after: open)..<close].trimmed.lowercased()
            self.email = email.isEmpty ? nil : email
            let name = trimmed[..<open].trimmed.trimmingQuotes
            displayName = name.isEmpty ? nil : name
            return
        }
        if let open = trimmed.firstIndex(of: "("), let close = trimmed.lastIndex(of: ")"), open < close {
            let email = trimmed[..<open].trimmed.lowercased()
            self.email = email.contains("@") ? email : nil
            let name = trimmed[trimmed.index(after: open)..<close].trimmed
            displayName = name.isEmpty ? nil : name
            return
        }
        if trimmed.contains("@") && !trimmed.contains(" ") {
            email = trimmed.lowercased()
            displayName = nil
        } else {
            email = nil
            displayName = trimmed.isEmpty ? nil : trimmed
        }
    }
}

extension StringProtocol {
    var trimmed: String {
        var scalars = Substring(self).unicodeScalars
        while let f = scalars.first, f == " " || f == "\t" || f == "\r" || f == "\n" { scalars.removeFirst() }
        while let l = scalars.last, l == " " || l == "\t" || l == "\r" || l == "\n" { scalars.removeLast() }
        return String(scalars)
    }

    var trimmingQuotes: String {
        var s = Substring(self)
        while s.first == "\"" || s.first == "'" { s = s.dropFirst() }
        while s.last == "\"" || s.last == "'" { s = s.dropLast() }
        return s.trimmed
    }
}
