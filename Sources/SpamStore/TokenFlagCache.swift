/// Flags over every token id, kept in a store's settings so that each in-place update reads only the tokens
/// added since the last (a whole vocabulary is a hundred thousand tokens). Ids only grow, so a flag once computed
/// stays right; a store's `prune`, which may free the largest ids for reuse, drops every such setting (their keys
/// start with `prefix`).
public enum TokenFlagCache {
    public static let prefix = "token_flags:"

    /// Four flags a hex digit, the first flag in the digit's lowest bit.
    static func encode(_ flags: ArraySlice<Bool>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: flags.count / 4)
        for i in 0..<bytes.count {
            var value = 0
            for bit in 0..<4 where flags[flags.startIndex + i * 4 + bit] { value |= 1 << bit }
            bytes[i] = digits[value]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decode(_ text: String) -> [Bool] {
        var flags: [Bool] = []
        flags.reserveCapacity(text.utf8.count * 4)
        for c in text.utf8 {
            let value = c <= 0x39 ? Int(c) - 0x30 : Int(c) - 0x61 + 10
            for bit in 0..<4 { flags.append(value & (1 << bit) != 0) }
        }
        return flags
    }
}

extension HamletStore {
    /// Flags over every token id, true where `predicate` holds for the token's text, kept under `name` and
    /// extended only for tokens added since (inside `write`).
    public func tokenFlags(cachedAs name: String, where predicate: (UnsafeBufferPointer<UInt8>) -> Bool) throws
        -> [Bool]
    {
        let key = TokenFlagCache.prefix + name
        var flags = try setting(key).map(TokenFlagCache.decode) ?? []
        let largest = Int(try maxTokenID())
        guard flags.count <= largest else { return flags }
        let known = flags.count
        flags += repeatElement(false, count: largest + 1 - known)
        try forEachToken(above: Int32(known) - 1) { token, id in
            if Int(id) < flags.count, predicate(token) { flags[Int(id)] = true }
        }
        // Whole hex digits only: the last partial digit is computed again next time rather than padded.
        try setSetting(key, TokenFlagCache.encode(flags[..<(flags.count / 4 * 4)]))
        return flags
    }
}
