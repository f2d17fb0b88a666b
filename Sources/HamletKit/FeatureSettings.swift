import Learning
import MailParser
import TextFeatures

/// How messages become feature vectors, and the size limit that applies everywhere (train, classify, filter),
/// so a message gets the same score whichever way it is scored.
public struct FeatureSettings: Sendable {
    public var transform: CountTransform = .log
    /// Scale each message's vector to unit length, so long messages do not shout.
    public var normalize = true
    /// Messages larger than this are scored on their first `sizeLimit` bytes.
    public var sizeLimit = 1_000_000
    public var parseLimits = ParseLimits()
    /// Token occurrences counted per message.
    public var tokenLimit = 100_000
    /// Bytes of one HTML part handed to libxml2.
    public var htmlLimit = 1_000_000
    /// Which token families are extracted.
    public var families = FeatureFamilies()
    /// How a message's identity is computed (Hamlet's configured header names and subject tag are ignored).
    public var digest = MessageDigest()

    public init() {}

    /// The feature-space name recorded with examples and models: the extractor version plus the settings that
    /// change what a stored count means.
    public var extractorVersion: String { extractor.versionName }

    public var extractor: FeatureExtractor {
        var extractor = FeatureExtractor(families: families)
        extractor.tokenLimit = tokenLimit
        extractor.htmlLimit = htmlLimit
        return extractor
    }

    /// Feature values for a message's tokens, given their ids (nil for tokens the vocabulary lacks, which still
    /// count towards the length normalisation so that a message scores the same before and after it is learned).
    public func vector(bag: TokenBag, ids: (String) -> Int32?) -> SparseVector {
        var pairs: [(Int32, Double)] = []
        pairs.reserveCapacity(bag.distinctCount)
        for (token, count) in bag.counts {
            if let id = ids(token) { pairs.append((id, transform.apply(count))) }
        }
        var vector = SparseVector(pairs: pairs)
        let norm = normalize ? transform.squaredNorm(ofCounts: bag.counts.values) : 0
        if normalize, norm > 0 {
            let scale = 1 / norm.squareRoot()
            for k in 0..<vector.values.count { vector.values[k] *= scale }
        }
        return vector
    }

    /// The same from stored (id, count) pairs.
    public func vector(counts: [(Int32, Int)]) -> SparseVector {
        transform.vector(counts, normalize: normalize)
    }
}
