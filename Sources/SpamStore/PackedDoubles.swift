/// Doubles stored as a blob: 8 bytes each, IEEE 754 little-endian, so a model reads back bit for bit.
public enum PackedDoubles {
    public static func encode(_ values: [Double]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 8)
        for value in values {
            var bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) -> [Double] {
        var values: [Double] = []
        decode(bytes, into: &values)
        return values
    }

    /// Appends the doubles in `bytes` to `values`.
    public static func decode(_ bytes: [UInt8], into values: inout [Double]) {
        bytes.withUnsafeBufferPointer { decode($0[...], into: &values) }
    }

    /// Appends the doubles in `bytes` to `values`.
    public static func decode(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, into values: inout [Double]) {
        values.reserveCapacity(values.count + bytes.count / 8)
        var i = bytes.startIndex
        while i + 8 <= bytes.endIndex {
            var bits: UInt64 = 0
            for b in 0..<8 { bits |= UInt64(bytes[i + b]) << (8 * UInt64(b)) }
            values.append(Double(bitPattern: bits))
            i += 8
        }
    }
}
