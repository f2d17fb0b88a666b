/// A sparse feature vector: strictly increasing feature indices and their values.
public struct SparseVector: Sendable, Equatable {
    public var indices: [Int32]
    public var values: [Double]

    public init(indices: [Int32] = [], values: [Double] = []) {
        precondition(indices.count == values.count, "indices and values must pair up")
        self.indices = indices
        self.values = values
    }

    /// Builds a vector from (index, value) pairs in any order; duplicate indices are summed.
    public init<S: Sequence>(pairs: S) where S.Element == (Int32, Double) {
        let sorted = pairs.sorted { $0.0 < $1.0 }
        var indices: [Int32] = []
        var values: [Double] = []
        indices.reserveCapacity(sorted.count)
        values.reserveCapacity(sorted.count)
        for (index, value) in sorted {
            if indices.last == index { values[values.count - 1] += value } else {
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

    @inline(__always) public func apply(_ count: Int) -> Double {
        switch self {
        case .binary: return count > 0 ? 1 : 0
        case .log: return (1.0 + Double(count)).logOfSelf
        case .count: return Double(count)
        }
    }

    /// Builds a feature vector from (index, count) pairs; with `normalize`, scales it to unit Euclidean length.
    public func vector(_ counts: [(Int32, Int)], normalize: Bool) -> SparseVector {
        var vector = SparseVector(pairs: counts.map { ($0.0, Double($0.1)) })
        var norm = 0.0
        for k in 0..<vector.values.count {
            let v = apply(Int(vector.values[k]))
            vector.values[k] = v
            norm += v * v
        }
        if normalize, norm > 0 {
            let scale = 1 / norm.squareRoot()
            for k in 0..<vector.values.count { vector.values[k] *= scale }
        }
        return vector
    }
}

extension Double {
    @usableFromInline var logOfSelf: Double { Foundation_log(self) }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func Foundation_log(_ x: Double) -> Double { Glibc.log(x) }
@usableFromInline func Foundation_exp(_ x: Double) -> Double { Glibc.exp(x) }
#elseif canImport(Darwin)
import Darwin
@usableFromInline func Foundation_log(_ x: Double) -> Double { Darwin.log(x) }
@usableFromInline func Foundation_exp(_ x: Double) -> Double { Darwin.exp(x) }
#endif
