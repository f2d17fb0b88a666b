import Learning

/// How a message's feature vector is scaled before it is scored or learned.
public enum Normalization: String, Sendable, CaseIterable {
    /// The words of the text and the signs (header, link, attachment, hidden-text and shape tokens; see `TokenKind`)
    /// each scaled to unit length, so the vector's length is √2 when a message has both. The default: better than
    /// `whole` in cross-validation, across the older/newer folder shift and on-line (docs/lab/EVALUATION.md).
    case split
    /// The whole vector scaled to unit length (how every model was scaled before `split`; such models record
    /// `normalize=true` and are still scored this way).
    case whole
    /// Values as the count transform gives them.
    case none
}

/// Collects a message's counts, all of them (tokens the vocabulary lacks too), and scales its feature values
/// by `normalization`'s rule.
struct LengthScaling {
    let normalization: Normalization
    private var wordCounts: [Int] = []
    private var signCounts: [Int] = []

    init(_ normalization: Normalization, capacity: Int) {
        self.normalization = normalization
        if normalization != .none { wordCounts.reserveCapacity(capacity) }
    }

    mutating func count(_ count: Int, isSign: Bool) {
        switch normalization {
        case .none: return
        case .whole: wordCounts.append(count)
        case .split: if isSign { signCounts.append(count) } else { wordCounts.append(count) }
        }
    }

    /// The factors each transformed count of a word and of a sign is multiplied by (1 without normalisation).
    func scales(transform: CountTransform) -> (word: Double, sign: Double) {
        switch normalization {
        case .none:
            return (1, 1)
        case .whole:
            let scale = Self.scale(transform.squaredNorm(ofCounts: wordCounts))
            return (scale, scale)
        case .split:
            return (
                Self.scale(transform.squaredNorm(ofCounts: wordCounts)),
                Self.scale(transform.squaredNorm(ofCounts: signCounts))
            )
        }
    }

    /// The vector of `pairs` (id, transformed count), scaled; `signs` flags each pair with split normalisation.
    func apply(to pairs: inout [(Int32, Double)], signs: [Bool], transform: CountTransform) -> SparseVector {
        if normalization != .none {
            let (wordScale, signScale) = scales(transform: transform)
            for k in 0..<pairs.count { pairs[k].1 *= normalization == .split && signs[k] ? signScale : wordScale }
        }
        return SparseVector(unsortedPairs: pairs)
    }

    private static func scale(_ squaredNorm: Double) -> Double {
        squaredNorm > 0 ? 1 / squaredNorm.squareRoot() : 1
    }
}
