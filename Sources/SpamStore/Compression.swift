import CZlib

/// zlib compression for the raw messages a store may keep.
public enum Compression {
    /// Nil if zlib failed (it can only run out of memory here).
    public static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var length = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(length) + 8)
        // The original size first (8 bytes, little-endian), so decompression knows how much room it needs.
        for k in 0..<8 { output[k] = UInt8(truncatingIfNeeded: UInt64(bytes.count) >> UInt64(8 * k)) }
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                compress2(out.baseAddress! + 8, &length, input.baseAddress, uLong(input.count), 6)
            }
        }
        guard status == Z_OK else { return nil }
        return Array(output.prefix(8 + Int(length)))
    }

    /// Nil if the data is not what `compress` wrote.
    public static func decompress(_ data: [UInt8]) -> [UInt8]? {
        guard data.count >= 8 else { return nil }
        var size: UInt64 = 0
        for k in 0..<8 { size |= UInt64(data[k]) << UInt64(8 * k) }
        guard size < 1 << 31 else { return nil }
        var length = uLongf(size)
        var output = [UInt8](repeating: 0, count: max(1, Int(size)))
        let status = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &length, input.baseAddress! + 8, uLong(input.count - 8))
            }
        }
        guard status == Z_OK, Int(length) == Int(size) else { return nil }
        return Array(output.prefix(Int(size)))
    }
}
