/// A sparse feature vector: strictly increasing feature indices and their values.
public struct SparseVector: Sendable, Equatable {
    public var indices: [Int32]
    public var values: [Double]

    public init(indices: [Int32] = [], values: [Double] = []) {
        precondition(indices.count == values.count, "indices and values must pair up")
        self.indices = indices
        self.values = values
    }

    /// Builds a vector from (index, value) pairs in any order; duplicate indices are summed (in the order given).
    public init<S: Sequence>(pairs: S) where S.Element == (Int32, Double) {
        self.init(unsortedPairs: Array(pairs))
    }

    /// The concrete, fast form of `init(pairs:)`: sorts one packed key per pair (index in the high half,
    /// position in the low half) instead of the tuples, so the sort is specialised and stable by construction.
    public init(unsortedPairs pairs: [(Int32, Double)]) {
        var keys = [UInt64](repeating: 0, count: pairs.count)
        var alreadySorted = true
        pairs.withUnsafeBufferPointer { pairs in
            keys.withUnsafeMutableBufferPointer { keys in
                for k in 0..<pairs.count {
                    keys[k] = UInt64(UInt32(bitPattern: pairs[k].0)) << 32 | UInt64(k)
                    if k > 0 && pairs[k].0 <= pairs[k - 1].0 { alreadySorted = false }
                }
            }
        }
        if alreadySorted {
            indices = pairs.map(\.0)
            values = pairs.map(\.1)
            return
        }
        keys.sort()
        var indices: [Int32] = []
        var values: [Double] = []
        indices.reserveCapacity(keys.count)
        values.reserveCapacity(keys.count)
        for key in keys {
            let index = Int32(bitPattern: UInt32(truncatingIfNeeded: key >> 32))
            let value = pairs[Int(key & 0xFFFF_FFFF)].1
            if indices.last == index {
                values[values.count - 1] += value
            } else {
                indices.append(index)
                values.append(value)
            }
        }
        self.indices = indices
        self.values = values
    }

    public var count: Int { indices.count }
    public var maxIndex: Int32 { indices.last ?? -1 }

    /// Dot product with a dense weight vector; indices past its end count as zero.
    @inline(__always)
    public func dot(_ weights: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        let n = weights.count
        for k in 0..<indices.count {
            let j = Int(indices[k])
            if j < n { sum += weights[j] * values[k] }
        }
        return sum
    }
}

/// How raw token counts become feature values.
public enum CountTransform: String, Sendable, CaseIterable, Codable {
    /// 1 for every token present.
    case binary
    /// log(1 + count).
    case log
    /// The count itself.
    case count

    @inlinable @inline(__always) public func apply(_ count: Int) -> Double {
        switch self {
        case .binary: return count > 0 ? 1 : 0
        case .log: return (1.0 + Double(count)).logOfSelf
        case .count: return Double(count)
        }
    }

    /// Σ apply(count)² over the counts, summed in an order that does not depend on the order they come in
    /// (dictionary iteration order differs between instances), so one message always gets the same bits:
    /// counts below 64 are grouped, larger ones added one by one in increasing order.
    /// (Inlinable: called across modules, an unspecialised generic walk of the counts cost more than the sum.)
    @inlinable
    public func squaredNorm<S: Sequence>(ofCounts counts: S) -> Double where S.Element == Int {
        var tokensWithCount = [Int](repeating: 0, count: 64)
        var large: [Int] = []
        for count in counts {
            if count < 64 { tokensWithCount[max(0, count)] += 1 } else { large.append(count) }
        }
        var norm = 0.0
        for count in 1..<64 where tokensWithCount[count] > 0 {
            let value = apply(count)
            norm += Double(tokensWithCount[count]) * value * value
        }
        for count in large.sorted() {
            let value = apply(count)
            norm += value * value
        }
        return norm
    }
}

extension Double {
    @usableFromInline var logOfSelf: Double { Foundation_log(self) }
}

#if canImport(Glibc)
    import Glibc
    @usableFromInline func Foundation_log(_ x: Double) -> Double { Glibc.log(x) }
    @usableFromInline func Foundation_exp(_ x: Double) -> Double { Glibc.exp(x) }
    @usableFromInline func Foundation_tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    @usableFromInline func Foundation_cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
    import Darwin
    @usableFromInline func Foundation_log(_ x: Double) -> Double { Darwin.log(x) }
    @usableFromInline func Foundation_exp(_ x: Double) -> Double { Darwin.exp(x) }
    @usableFromInline func Foundation_tanh(_ x: Double) -> Double { Darwin.tanh(x) }
    @usableFromInline func Foundation_cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
