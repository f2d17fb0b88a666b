/// Turns a URL into tokens: `url:HOST` and `url:dom:REGISTERED-DOMAIN` (the last two labels, three under a
/// two-letter country code with a generic second level such as `co.uk`), or `url:ip` for a numeric host.
public enum URLTokens {
    /// Whether a label is one under which country domains register names (`example.co.uk`, `example.com.au`):
    /// co, com, net, org, ac, gov, edu, ne, or, go. Compared as the label's bytes packed into an integer: a
    /// `Set<Substring>` of them cost the delivery path a quarter of a million instructions to build and hash.
    static func isGenericSecondLevel<C: Collection>(_ label: C) -> Bool where C.Element == UInt8 {
        guard label.count == 2 || label.count == 3 else { return false }
        var key: UInt32 = 0
        for byte in label { key = key << 8 | UInt32(byte) }
        switch key {
        case 0x636F, 0x636F6D, 0x6E6574, 0x6F7267, 0x6163, 0x676F76, 0x656475, 0x6E65, 0x6F72, 0x676F: return true
        default: return false
        }
    }

    /// With `paths`, also `url:scheme:NAME` and `url:path:WORD` for the words (3 to 20 letters) of the path.
    /// The host tokens are built from the URL's bytes (spam carries dozens of links; this runs for each).
    public static func add(_ url: String, to bag: inout TokenBag, hosts: Bool = true, paths: Bool = false) {
        var url = url
        let host: [UInt8]? = url.withUTF8 { hostBytes(of: $0) }
        guard let host, !host.isEmpty else { return }
        if hosts {
            if host.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }) {
                bag.add("url:ip")
            } else {
                var token = Array("url:".utf8)
                token.append(contentsOf: host)
                token.withUnsafeBufferPointer { bag.add(utf8: $0) }
                if let domain = registeredDomainStart(host) {
                    token = Array("url:dom:".utf8)
                    token.append(contentsOf: host[domain...])
                    token.withUnsafeBufferPointer { bag.add(utf8: $0) }
                }
            }
        }
        if paths {
            let hostString = String(decoding: host, as: UTF8.self)
            let lower = url.lowercased()
            bag.add("url:scheme:" + (lower.hasPrefix("https") ? "https" : lower.hasPrefix("ftp") ? "ftp" : "http"))
            guard let hostRange = lower.range(of: hostString) else { return }
            let rest = lower[hostRange.upperBound...]
            for word in rest.split(whereSeparator: { !$0.isLetter }) where word.count >= 3 && word.count <= 20 {
                bag.add("url:path:" + word)
            }
        }
    }

    /// The positions of a host's last `limit` non-empty dot-separated labels, the last first.
    static func lastLabels(of host: [UInt8], upTo limit: Int) -> [Range<Int>] {
        var labels: [Range<Int>] = []
        var end = host.count
        var i = host.count - 1
        while i >= -1 && labels.count < limit {
            if i == -1 || host[i] == 0x2E {
                if end > i + 1 { labels.append((i + 1)..<end) }
                end = i
            }
            i -= 1
        }
        return labels
    }

    /// Where a host's registered domain starts (the last two labels, three under a two-letter country code with
    /// a generic second level); nil when that is the whole host. Works as `registeredDomain`, on bytes, for a host
    /// as `hostBytes` gives it (lower-cased, no trailing dot).
    static func registeredDomainStart(_ host: [UInt8]) -> Int? {
        let labels = lastLabels(of: host, upTo: 4)
        guard labels.count > 2 else { return nil }
        let last = labels[0], secondLast = labels[1]
        let generic = last.count == 2 && isGenericSecondLevel(host[secondLast])
        let take = generic ? 3 : 2
        guard labels.count > take else { return nil }  // exactly `take` labels: the domain is the host itself
        let start = labels[take - 1].lowerBound
        // An empty label inside the domain part (`a..example.com`): the String version drops it; leave such a
        // host without a domain token rather than name a domain that is not in it.
        for k in start..<(host.count - 1) where host[k] == 0x2E && host[k + 1] == 0x2E { return nil }
        return start
    }

    /// The lower-cased host of a URL, without user info or port; nil for mailto:, javascript: and relative links.
    public static func host(of url: String) -> String? {
        var url = url
        return url.withUTF8 { hostBytes(of: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The same as bytes.
    static func hostBytes(of bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var i = 0
        let n = bytes.count
        while i < n, bytes[i] <= 0x20 { i += 1 }
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
        func hasPrefix(_ literal: StaticString, at start: Int) -> Bool {
            literal.withUTF8Buffer { p in
                guard n - start >= p.count else { return false }
                for k in 0..<p.count where lower(bytes[start + k]) != p[k] { return false }
                return true
            }
        }
        if hasPrefix("http://", at: i) {
            i += 7
        } else if hasPrefix("https://", at: i) {
            i += 8
        } else if hasPrefix("ftp://", at: i) {
            i += 6
        } else if !hasPrefix("www.", at: i) {
            return nil
        }
        var start = i
        var end = i
        while end < n {
            let b = bytes[end]
            if b == 0x2F || b == 0x3F || b == 0x23 || b == 0x5C { break }  // / ? # \
            if b == 0x40 { start = end + 1 }  // user info ends at the last @ before the path
            end += 1
        }
        var stop = start
        while stop < end, bytes[stop] != 0x3A { stop += 1 }  // a port
        while stop > start, bytes[stop - 1] == 0x2E { stop -= 1 }  // trailing dots
        guard stop > start else { return nil }
        var host = [UInt8]()
        host.reserveCapacity(stop - start)
        for k in start..<stop { host.append(lower(bytes[k])) }
        return host
    }

    /// The last two labels of a host, three under a generic second level (`example.co.uk`); empty labels are
    /// skipped. Worked on the bytes (splitting by `Character` cost a `filter` run 0.2 million instructions).
    public static func registeredDomain(_ host: String) -> String {
        let bytes = Array(host.utf8)
        let labels = lastLabels(of: bytes, upTo: 3)
        guard labels.count > 2 else { return host }
        let last = bytes[labels[0]]
        // A two-character top-level label (counted in characters, as for non-ASCII names).
        let lastIsTwo =
            last.allSatisfy { $0 < 0x80 } ? last.count == 2 : String(decoding: last, as: UTF8.self).count == 2
        let take = lastIsTwo && isGenericSecondLevel(bytes[labels[1]]) ? 3 : 2
        var result: [UInt8] = []
        for k in stride(from: take - 1, through: 0, by: -1) {
            result.append(contentsOf: bytes[labels[k]])
            if k > 0 { result.append(0x2E) }
        }
        return String(decoding: result, as: UTF8.self)
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
