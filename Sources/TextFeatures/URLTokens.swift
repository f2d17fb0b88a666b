/// Turns a URL into tokens: `url:HOST` and `url:dom:REGISTERED-DOMAIN` (the last two labels, three under a
/// two-letter country code with a generic second level such as `co.uk`), or `url:ip` for a numeric host.
public enum URLTokens {
    private static let genericSecondLevel: Set<Substring> = ["co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go"]

    /// With `paths`, also `url:scheme:NAME` and `url:path:WORD` for the words (3 to 20 letters) of the path.
    public static func add(_ url: String, to bag: inout TokenBag, hosts: Bool = true, paths: Bool = false) {
        guard let host = host(of: url), !host.isEmpty else { return }
        if hosts {
            if host.allSatisfy({ $0.isNumber || $0 == "." }) {
                bag.add("url:ip")
            } else {
                bag.add("url:" + host)
                let domain = registeredDomain(host)
                if domain != host { bag.add("url:dom:" + domain) }
            }
        }
        if paths {
            let lower = url.lowercased()
            bag.add("url:scheme:" + (lower.hasPrefix("https") ? "https" : lower.hasPrefix("ftp") ? "ftp" : "http"))
            guard let hostRange = lower.range(of: host) else { return }
            let rest = lower[hostRange.upperBound...]
            for word in rest.split(whereSeparator: { !$0.isLetter }) where word.count >= 3 && word.count <= 20 {
                bag.add("url:path:" + word)
            }
        }
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

extension StringProtocol {
    fileprivate func range(of needle: String) -> Range<Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}
