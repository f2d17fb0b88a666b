/// Turns a URL into tokens: `url:HOST` and `url:dom:REGISTERED-DOMAIN` (the last two labels, three under a
/// two-letter country code with a generic second level such as `co.uk`), or `url:ip` for a numeric host.
public enum URLTokens {
    private static let genericSecondLevel: Set<Substring> = ["co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go"]

    public static func add(_ url: String, to bag: inout TokenBag) {
        guard let host = host(of: url), !host.isEmpty else { return }
        if host.allSatisfy({ $0.isNumber || $0 == "." }) {
            bag.add("url:ip")
            return
        }
        bag.add("url:" + host)
        let domain = registeredDomain(host)
        if domain != host { bag.add("url:dom:" + domain) }
    }

    /// The lower-cased host of a URL, without user info or port; nil for mailto:, javascript: and relative links.
    public static func host(of url: String) -> String? {
        var rest = Substring(url.lowercased()).drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        if let scheme = rest.range(of: "://") {
            let name = rest[..<scheme.lowerBound]
            guard name == "http" || name == "https" || name == "ftp" else { return nil }
            rest = rest[scheme.upperBound...]
        } else if rest.hasPrefix("www.") {
            // scheme-less link
        } else {
            return nil
        }
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0 == "\\" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if let colon = rest.firstIndex(of: ":") { rest = rest[..<colon] }
        while rest.hasSuffix(".") { rest = rest.dropLast() }
        return rest.isEmpty ? nil : String(rest)
    }

    public static func registeredDomain(_ host: String) -> String {
        let labels = host.split(separator: ".")
        guard labels.count > 2 else { return host }
        let take = labels[labels.count - 1].count == 2 && genericSecondLevel.contains(labels[labels.count - 2]) ? 3 : 2
        return labels.suffix(take).joined(separator: ".")
    }
}

extension Substring {
    fileprivate func range(of needle: String) -> Range<Substring.Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}
