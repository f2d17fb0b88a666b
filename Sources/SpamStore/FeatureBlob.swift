/// The stored form of an example's features: (token id, count) pairs as little-endian UInt32 pairs.
enum FeatureBlob {
    static func encode(_ counts: [(Int32, Int)]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(counts.count * 8)
        for (id, count) in counts {
            let a = UInt32(bitPattern: id)
            let b = UInt32(clamping: count)
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: a >> UInt32(shift))) }
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: b >> UInt32(shift))) }
        }
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> [(Int32, Int)] {
        var counts: [(Int32, Int)] = []
        counts.reserveCapacity(bytes.count / 8)
        var i = 0
        while i + 8 <= bytes.count {
            let a = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            let b = UInt32(bytes[i + 4]) | UInt32(bytes[i + 5]) << 8 | UInt32(bytes[i + 6]) << 16 | UInt32(bytes[i + 7]) << 24
            counts.append((Int32(bitPattern: a), Int(b)))
            i += 8
        }
        return counts
    }
}
