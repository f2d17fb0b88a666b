import MailParser

/// Header-tagged tokens for the header fields that carry signal beyond Subject and From: Reply-To, Return-Path, the
/// To/Cc recipient count, the message's top-level Content-Type and charsets, the mailer, the Message-ID domain, and
/// (when enabled) the hosts and IP addresses of Received lines.
struct HeaderTokens {
    var tokenizer: Tokenizer
    var includeFields: Bool
    var includeReceived: Bool

    func add(_ message: MailMessage, to bag: inout TokenBag, urls: inout [String]) {
        if includeFields { addFields(message, to: &bag, urls: &urls) }
        if includeReceived {
            for field in message.headers.all("received") { addReceived(field.decodedValue, to: &bag) }
        }
    }

    private func addFields(_ message: MailMessage, to bag: inout TokenBag, urls: inout [String]) {
        let headers = message.headers
        // From, parsed once for the comparisons below.
        let sender = Address(headers["from"] ?? "")
        let senderDomain = sender.domain.map(URLTokens.registeredDomain)
        if let replyTo = headers.first("reply-to") {
            let address = Address(replyTo.decodedValue)
            if let email = address.email, let at = email.lastIndex(of: "@") {
                bag.add("reply-to:domain:" + email[email.index(after: at)...])
            }
            bag.add(address.email == sender.email ? "reply-to:same-as-from" : "reply-to:differs")
        }
        if let returnPath = headers.first("return-path") {
            addReturnPath(returnPath.decodedValue, sender: sender.email, senderDomain: senderDomain, to: &bag)
        }
        var recipients = 0
        for name in ["to", "cc"] {
            for field in headers.all(name) {
                recipients += field.rawValue.reduce(into: 0) { if $1 == UInt8(ascii: "@") { $0 += 1 } }
            }
        }
        bag.add("to-cc:count:" + Self.bucket(recipients))
        if headers.first("to") == nil { bag.add("to:missing") }
        let contentType = message.root.contentType
        bag.add("content-type:" + contentType)
        for leaf in message.root.leaves {
            if let charset = leaf.charset { bag.add("charset:" + charset.lowercased().trimming(" \t\"'")) }
            if leaf.transferEncoding != "7bit" && leaf.transferEncoding != "8bit" {
                bag.add("encoding:" + leaf.transferEncoding)
            }
        }
        for name in ["x-mailer", "user-agent"] {
            if let mailer = message.decodedHeader(name) {
                tokenizer.addWords(of: mailer, prefix: "mailer:", to: &bag, urls: &urls)
            }
        }
        if headers.first("x-mailer") == nil && headers.first("user-agent") == nil { bag.add("mailer:none") }
        if let id = headers["message-id"] {
            if let at = id.lastIndex(of: "@") {
                let domain = id[id.index(after: at)...].prefix { $0 != ">" && $0 != " " }.lowercased()
                let registered = URLTokens.registeredDomain(domain)
                bag.add("message-id:domain:" + registered)
                if let senderDomain {
                    bag.add(senderDomain == registered ? "message-id:same-domain-as-from" : "message-id:domain-differs")
                }
            } else {
                bag.add("message-id:malformed")
            }
        } else {
            bag.add("message-id:missing")
        }
    }

    /// The envelope sender the delivering server recorded: its registered domain, and how it relates to From (the
    /// same address, another address at From's registered domain, another domain, or empty for a bounce).
    private func addReturnPath(_ value: String, sender: String?, senderDomain: String?, to bag: inout TokenBag) {
        guard let email = Address(value).email, let at = email.lastIndex(of: "@") else {
            bag.add(value.contains("<>") ? "return-path:empty" : "return-path:malformed")
            return
        }
        let domain = URLTokens.registeredDomain(String(email[email.index(after: at)...]))
        bag.add("return-path:domain:" + domain)
        if sender == email {
            bag.add("return-path:same-as-from")
        } else if senderDomain == domain {
            bag.add("return-path:same-domain-as-from")
        } else {
            bag.add("return-path:differs")
        }
    }

    /// Hosts (`received:host:`) and dotted-quad IPs (`received:ip:` with its /24 and /16) named on a Received line.
    private func addReceived(_ value: String, to bag: inout TokenBag) {
        var word = ""
        func flush() {
            defer { word = "" }
            let parts = word.split(separator: ".")
            guard parts.count >= 2 else { return }
            if parts.count == 4, parts.allSatisfy({ $0.allSatisfy(\.isNumber) && $0.count <= 3 }) {
                bag.add("received:ip:" + parts[0...1].joined(separator: "."))
                bag.add("received:ip:" + parts[0...2].joined(separator: "."))
            } else if parts.last!.allSatisfy(\.isLetter), parts.last!.count >= 2 {
                bag.add("received:host:" + URLTokens.registeredDomain(word.lowercased()))
            }
        }
        for c in value.unicodeScalars {
            if c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "." || c == "-" {
                word.unicodeScalars.append(c)
            } else if !word.isEmpty {
                flush()
            }
        }
        if !word.isEmpty { flush() }
    }

    static func bucket(_ n: Int) -> String {
        switch n {
        case 0: return "0"
        case 1: return "1"
        case 2: return "2"
        case 3...5: return "3-5"
        case 6...10: return "6-10"
        default: return "11+"
        }
    }
}
