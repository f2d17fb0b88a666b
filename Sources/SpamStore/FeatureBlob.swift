/// The stored form of an example's features, the same in every backend: (token id, count) pairs sorted by id,
/// as LEB128 varints of the id's difference from the previous id and of the count. Most differences and counts
/// fit in one or two bytes, so an example takes a quarter of fixed-width pairs.
public enum FeatureBlob {
    public static func encode(_ counts: [(Int32, Int)]) -> [UInt8] {
        let sorted = counts.sorted { $0.0 < $1.0 }
        var bytes = [UInt8]()
        bytes.reserveCapacity(sorted.count * 3)
        var previous: Int64 = 0
        for (id, count) in sorted {
            appendVarint(UInt64(Int64(id) - previous), to: &bytes)
            appendVarint(UInt64(max(0, count)), to: &bytes)
            previous = Int64(id)
        }
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) -> [(Int32, Int)] {
        var counts: [(Int32, Int)] = []
        counts.reserveCapacity(bytes.count / 2)
        var i = 0
        var previous: Int64 = 0
        while i < bytes.count {
            guard let delta = readVarint(bytes, &i), let count = readVarint(bytes, &i) else { break }
            previous += Int64(truncatingIfNeeded: delta)
            counts.append((Int32(truncatingIfNeeded: previous), Int(truncatingIfNeeded: count)))
        }
        return counts
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A varint at `i` (advancing it); nil if the bytes end inside one or it is too long.
    private static func readVarint(_ bytes: [UInt8], _ i: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count, shift < 64 {
            let b = bytes[i]
            i += 1
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
