import Platform

/// A set of byte strings numbered 0, 1, 2, ... in the order they were first inserted, found by their UTF-8 bytes
/// without making a `String`: the hot paths (counting a message's tokens, looking them up in a vocabulary of
/// 100,000) would otherwise allocate and hash a `String` per token occurrence. Open addressing with linear
/// probing over a power-of-two slot array; keys live back to back in one byte arena.
///
/// The hash is seeded per process, so a message crafted to make its tokens collide cannot slow every filter
/// down; nothing observable depends on the seed (keys keep their insertion numbers).
public struct TokenTable: Sendable {
    /// Key k is `arena[starts[k] ..< starts[k + 1]]`.
    private var arena: [UInt8] = []
    private var starts: [Int32] = [0]
    private var hashes: [UInt32] = []
    /// An empty slot is 0; a full one holds the key's hash in its upper 32 bits and its number + 1 in the lower,
    /// so that a probe passes over other keys without reading their hashes or bytes (a cache miss each in a table
    /// the size of a vocabulary).
    private var slots: [UInt64]
    private var mask: Int

    public init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        arena.reserveCapacity(capacity * 8)
        starts.reserveCapacity(capacity + 1)
        hashes.reserveCapacity(capacity)
    }

    /// How many keys the table holds.
    public var count: Int { hashes.count }

    /// The number of `key`, nil if absent.
    public func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        probe(key, hash: Self.hash(key)).found
    }

    /// The number of `key` whose hash (`hash(ofKey:)` of this or another table, in this process) is `hash`.
    public func index(of key: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int? {
        probe(key, hash: hash).found
    }

    /// Key number `k`'s hash: the same in every table of this process, so a key moved from one table to another
    /// (a message's tokens looked up in the vocabulary) need not be hashed again.
    public func hash(ofKey k: Int) -> UInt32 { hashes[k] }

    /// Where `key` is (`found`), or the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: UnsafeBufferPointer<UInt8>, hash: UInt32) -> (slot: Int, found: Int?) {
        arena.withUnsafeBufferPointer { arena in
            slots.withUnsafeBufferPointer { slots in
                starts.withUnsafeBufferPointer { starts in
                    var slot = Int(hash) & mask
                    while true {
                        let entry = slots[slot]
                        if entry == 0 { return (slot, nil) }
                        if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                            let k = Int(UInt32(truncatingIfNeeded: entry)) - 1
                            if Self.equal(arena, from: Int(starts[k]), to: Int(starts[k + 1]), key) { return (slot, k) }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    public func index(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { index(of: $0) }
    }

    /// The number of `key`, inserting it (as the next number) if absent.
    @discardableResult
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (index: Int, inserted: Bool) {
        insert(key, hash: Self.hash(key))
    }

    /// `insert` with the key's hash already known (see `hash(ofKey:)`).
    @discardableResult
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt32) -> (index: Int, inserted: Bool) {
        let (slot, found) = probe(key, hash: hash)
        if let found { return (found, false) }
        let k = hashes.count
        arena.append(contentsOf: key)
        starts.append(Int32(truncatingIfNeeded: arena.count))
        hashes.append(hash)
        slots[slot] = Self.slot(hash: hash, number: k)
        if hashes.count * 2 > slots.count { grow() }
        return (k, true)
    }

    @discardableResult
    public mutating func insert(_ key: String) -> (index: Int, inserted: Bool) {
        var key = key
        return key.withUTF8 { insert($0) }
    }

    /// Key number `k`'s bytes.
    public func withKey<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { arena in
            try body(UnsafeBufferPointer(rebasing: arena[Int(starts[k])..<Int(starts[k + 1])]))
        }
    }

    /// Key number `k` as a string.
    public func key(_ k: Int) -> String {
        withKey(k) { String(decoding: $0, as: UTF8.self) }
    }

    /// The key numbers in byte order of their keys (memcmp, shorter first on a tie): for UTF-8, the order
    /// `String`'s `<` gives ASCII tokens, without making a `String` per key.
    public func sortedByBytes() -> [Int] {
        arena.withUnsafeBufferPointer { arena in
            starts.withUnsafeBufferPointer { starts in
                let base = arena.baseAddress
                return (0..<count).sorted { a, b in
                    let aStart = Int(starts[a]), aCount = Int(starts[a + 1]) - aStart
                    let bStart = Int(starts[b]), bCount = Int(starts[b + 1]) - bStart
                    let common = min(aCount, bCount)
                    if common > 0, let base {
                        let order = memcmp(base + aStart, base + bStart, common)
                        if order != 0 { return order < 0 }
                    }
                    return aCount < bCount
                }
            }
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        hashes.withUnsafeBufferPointer { hashes in
            fresh.withUnsafeMutableBufferPointer { fresh in
                for k in 0..<hashes.count {
                    var slot = Int(hashes[k]) & newMask
                    while fresh[slot] != 0 { slot = (slot + 1) & newMask }
                    fresh[slot] = Self.slot(hash: hashes[k], number: k)
                }
            }
        }
        slots = fresh
        mask = newMask
    }

    @inline(__always)
    private static func slot(hash: UInt32, number k: Int) -> UInt64 {
        UInt64(hash) << 32 | UInt64(UInt32(k + 1))
    }

    @inline(__always)
    private static func equal(
        _ arena: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, _ key: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard end - start == key.count else { return false }
        guard key.count > 0 else { return true }
        return memcmp(arena.baseAddress! + start, key.baseAddress!, key.count) == 0
    }

    private static let seed: UInt64 = UInt64.random(in: 1...UInt64.max)

    /// A multiply-xorshift hash over 8-byte words (unaligned loads), then the 0 to 7 bytes left.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h = seed ^ (UInt64(key.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = key.baseAddress else { return UInt32(truncatingIfNeeded: h >> 32) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = key.count
        while i + 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }
}
