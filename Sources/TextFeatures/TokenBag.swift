/// The tokens one message yields, with how often each occurs, in the order they first appeared. Token strings
/// carry their namespace as a prefix (`subject:free`, `from:domain:example.com`, `url:example.com`); plain body
/// words have none. Tokens are counted by their UTF-8 bytes (`TokenTable`): a message's words never become
/// `String`s unless someone asks for `counts` or `tokens`.
public struct TokenBag: Sendable, Equatable {
    private var table: TokenTable
    /// Occurrences of token k (the table's numbering).
    private var occurrences: [Int] = []
    /// Token occurrences beyond this many are not counted (hostile messages can hold millions).
    public var limit = Int.max
    /// Occurrences offered, counted or not.
    public private(set) var offered = 0

    public init() {
        table = TokenTable(capacity: 256)
        occurrences.reserveCapacity(256)
    }

    public init(counts: [String: Int]) {
        table = TokenTable(capacity: counts.count)
        for token in counts.keys.sorted() { add(token, count: counts[token]!) }
        offered = 0
    }

    /// Whether the limit cut tokens off.
    public var truncated: Bool { offered > limit }

    @inline(__always) public mutating func add(_ token: String, count: Int = 1) {
        var token = token
        token.withUTF8 { add(utf8: $0, count: count) }
    }

    /// Counts a token given as UTF-8 bytes.
    @inline(__always) public mutating func add(utf8 token: UnsafeBufferPointer<UInt8>, count: Int = 1) {
        offered += count
        guard offered <= limit else { return }
        let (k, inserted) = table.insert(token)
        if inserted { occurrences.append(count) } else { occurrences[k] += count }
    }

    public var isEmpty: Bool { occurrences.isEmpty }
    public var distinctCount: Int { occurrences.count }
    public var totalCount: Int { occurrences.reduce(0, +) }

    /// Calls `body` with each token's bytes and count, in first-seen order (the bytes are valid during the call).
    public func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        for k in 0..<occurrences.count {
            try table.withKey(k) { try body($0, occurrences[k]) }
        }
    }

    /// `forEach` with each token's hash too (see `TokenTable.hash(ofKey:)`), for looking it up in a vocabulary.
    public func forEachHashed(_ body: (UnsafeBufferPointer<UInt8>, UInt32, Int) throws -> Void) rethrows {
        for k in 0..<occurrences.count {
            try table.withKey(k) { try body($0, table.hash(ofKey: k), occurrences[k]) }
        }
    }

    /// The tokens and their counts, in first-seen order.
    public var tokens: [(token: String, count: Int)] {
        (0..<occurrences.count).map { (table.key($0), occurrences[$0]) }
    }

    /// The tokens and their counts as a dictionary.
    public var counts: [String: Int] {
        var counts: [String: Int] = [:]
        counts.reserveCapacity(occurrences.count)
        for k in 0..<occurrences.count { counts[table.key(k)] = occurrences[k] }
        return counts
    }

    /// How often `token` occurs (0 if it does not).
    public func count(of token: String) -> Int {
        table.index(of: token).map { occurrences[$0] } ?? 0
    }

    /// Tokens sorted by count (descending), then by token, for stable display.
    public var sorted: [(token: String, count: Int)] {
        tokens.sorted { $0.count != $1.count ? $0.count > $1.count : $0.token < $1.token }
    }

    /// Two bags are equal when they hold the same tokens with the same counts, whatever the order.
    public static func == (a: TokenBag, b: TokenBag) -> Bool {
        a.counts == b.counts
    }
}
