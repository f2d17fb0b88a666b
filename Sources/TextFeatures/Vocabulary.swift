/// Tokens and their feature ids, looked up by UTF-8 bytes (see `TokenTable`): what scoring a message needs from
/// a store's vocabulary, held in memory.
public struct Vocabulary: Sendable {
    private var table: TokenTable
    private var ids: [Int32] = []

    public init(capacity: Int = 1024) {
        table = TokenTable(capacity: capacity)
        ids.reserveCapacity(capacity)
    }

    /// A vocabulary from a token → id dictionary.
    public init(_ dictionary: [String: Int32]) {
        self.init(capacity: dictionary.count)
        for (token, id) in dictionary.sorted(by: { $0.value < $1.value }) { set(token, id: id) }
    }

    public var count: Int { ids.count }

    public subscript(utf8 token: UnsafeBufferPointer<UInt8>) -> Int32? {
        table.index(of: token).map { ids[$0] }
    }

    /// The id of a token whose hash is known (`TokenBag.forEachHashed`).
    public subscript(utf8 token: UnsafeBufferPointer<UInt8>, hash hash: UInt32) -> Int32? {
        table.index(of: token, hash: hash).map { ids[$0] }
    }

    public subscript(token: String) -> Int32? {
        table.index(of: token).map { ids[$0] }
    }

    /// Gives `token` the id `id` (replacing any id it had).
    public mutating func set(_ token: UnsafeBufferPointer<UInt8>, id: Int32) {
        let (k, inserted) = table.insert(token)
        if inserted { ids.append(id) } else { ids[k] = id }
    }

    /// `set` for a token whose hash is known.
    public mutating func set(_ token: UnsafeBufferPointer<UInt8>, hash: UInt32, id: Int32) {
        let (k, inserted) = table.insert(token, hash: hash)
        if inserted { ids.append(id) } else { ids[k] = id }
    }

    public mutating func set(_ token: String, id: Int32) {
        var token = token
        token.withUTF8 { set($0, id: id) }
    }
}
