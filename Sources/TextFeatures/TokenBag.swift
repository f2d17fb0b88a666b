/// The tokens one message yields, with how often each occurs. Token strings carry their namespace as a prefix
/// (`subject:free`, `from:domain:example.com`, `url:example.com`); plain body words have none.
public struct TokenBag: Sendable, Equatable {
    public private(set) var counts: [String: Int] = [:]
    /// Token occurrences beyond this many are not counted (hostile messages can hold millions).
    public var limit = Int.max
    /// Occurrences offered, counted or not.
    public private(set) var offered = 0

    public init() { counts.reserveCapacity(512) }

    /// Whether the limit cut tokens off.
    public var truncated: Bool { offered > limit }

    public init(counts: [String: Int]) { self.counts = counts }

    @inline(__always) public mutating func add(_ token: String, count: Int = 1) {
        offered += count
        guard offered <= limit else { return }
        counts[token, default: 0] += count
    }

    public var isEmpty: Bool { counts.isEmpty }
    public var distinctCount: Int { counts.count }
    public var totalCount: Int { counts.values.reduce(0, +) }

    /// Tokens sorted by count (descending), then by token, for stable display.
    public var sorted: [(token: String, count: Int)] {
        counts.map { (token: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.token < $1.token }
    }
}
