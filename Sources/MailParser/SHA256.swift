import CSHA256

/// SHA-256 (FIPS 180-4), written here to keep the dependency list short. Used for message digests. Whole blocks
/// go through the processor's SHA extensions where it has them (a C shim, several times faster: the digest was a
/// seventh of training's work), else through the portable code below, which the tests hold the shim to.
public struct SHA256: Sendable {
    /// Whether this processor runs the shim's SHA-extension code.
    static let hardwareAvailable = hamlet_sha256_hardware_available() != 0
    /// Whether this hasher uses it (tests turn it off to compare with the portable code).
    var usesHardware = SHA256.hardwareAvailable

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var pending: [UInt8] = []
    private var totalLength: UInt64 = 0

    /// FIPS 180-4's round constants, from the C shim (one table for both implementations).
    /// (Read-only memory, so sharing the pointer between threads is safe.)
    nonisolated(unsafe) private static let roundConstants = UnsafeBufferPointer(
        start: hamlet_sha256_round_constants(), count: 64)

    public init() {}

    /// The hex digest of `bytes` in one call.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ absorb($0) }) == nil {
            Array(bytes).withUnsafeBufferPointer { absorb($0) }
        }
    }

    private mutating func absorb(_ input: UnsafeBufferPointer<UInt8>) {
        totalLength &+= UInt64(input.count)
        var offset = 0
        // Top up a partial block first.
        if !pending.isEmpty {
            let take = min(64 - pending.count, input.count)
            pending.append(contentsOf: input[0..<take])
            offset = take
            if pending.count == 64 {
                pending.withUnsafeBufferPointer { compressBlocks($0, from: 0, count: 1) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        // Whole blocks straight from the input, without copying.
        let blocks = (input.count - offset) / 64
        compressBlocks(input, from: offset, count: blocks)
        offset += blocks * 64
        pending.append(contentsOf: input[offset...])
    }

    public mutating func finalize() -> [UInt8] {
        let bitLength = totalLength &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        tail.withUnsafeBufferPointer { compressBlocks($0, from: 0, count: $0.count / 64) }
        pending = []
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        return words.flatMap { w in
            [
                UInt8(w >> 24), UInt8(truncatingIfNeeded: w >> 16), UInt8(truncatingIfNeeded: w >> 8),
                UInt8(truncatingIfNeeded: w)
            ]
        }
    }

    public mutating func finalizeHex() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in finalize() {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func compressBlocks(_ input: UnsafeBufferPointer<UInt8>, from offset: Int, count: Int) {
        guard count > 0 else { return }
        if usesHardware {
            withUnsafeMutableBytes(of: &state) { words in
                hamlet_sha256_hardware_blocks(
                    words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                    input.baseAddress! + offset, count)
            }
            return
        }
        for block in 0..<count { compress(input, offset + block * 64) }
    }

    private mutating func compress(_ block: UnsafeBufferPointer<UInt8>, _ offset: Int) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            compress(block, offset, schedule: w, constants: Self.roundConstants)
        }
    }

    private mutating func compress(
        _ block: UnsafeBufferPointer<UInt8>, _ offset: Int, schedule: UnsafeMutableBufferPointer<UInt32>,
        constants k: UnsafeBufferPointer<UInt32>
    ) {
        let w = schedule.baseAddress!
        for i in 0..<16 {
            let j = offset + i * 4
            w[i] =
                UInt32(block[j]) << 24 | UInt32(block[j + 1]) << 16 | UInt32(block[j + 2]) << 8 | UInt32(block[j + 3])
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = state
        let k = k.baseAddress!
        // Eight rounds per pass with the working variables' roles rotated in the code rather than moved.
        @inline(__always) func round(
            _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32,
            _ g: UInt32, _ h: inout UInt32, _ i: Int
        ) {
            let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
            let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
            d = d &+ t1
            h = t1 &+ t2
        }
        var i = 0
        while i < 64 {
            round(a, b, c, &d, e, f, g, &h, i)
            round(h, a, b, &c, d, e, f, &g, i + 1)
            round(g, h, a, &b, c, d, e, &f, i + 2)
            round(f, g, h, &a, b, c, d, &e, i + 3)
            round(e, f, g, &h, a, b, c, &d, i + 4)
            round(d, e, f, &g, h, a, b, &c, i + 5)
            round(c, d, e, &f, g, h, a, &b, i + 6)
            round(b, c, d, &e, f, g, h, &a, i + 7)
            i += 8
        }
        state = (
            state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g,
            state.7 &+ h
        )
    }
}

@inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 &- n)) }
