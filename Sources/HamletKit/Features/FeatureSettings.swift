import Learning
import MailParser
import TextFeatures

/// How messages become feature vectors, and the size limit that applies everywhere (train, classify, filter),
/// so a message gets the same score whichever way it is scored.
public struct FeatureSettings: Sendable {
    public var transform: CountTransform = .log
    /// How each message's vector is scaled (see `Normalization`).
    public var normalization: Normalization = .split
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
    public func vector(bag: TokenBag, ids: (UnsafeBufferPointer<UInt8>) -> Int32?) -> SparseVector {
        vector(bag: bag, hashedIDs: { token, _ in ids(token) })
    }

    /// The same with each token's hash passed along (see `TokenBag.forEachHashed`).
    public func vector(bag: TokenBag, hashedIDs ids: (UnsafeBufferPointer<UInt8>, UInt32) -> Int32?) -> SparseVector {
        var pairs: [(Int32, Double)] = []
        pairs.reserveCapacity(bag.distinctCount)
        var scaling = LengthScaling(normalization, capacity: bag.distinctCount)
        var signs: [Bool] = []
        if normalization == .split { signs.reserveCapacity(bag.distinctCount) }
        bag.forEachHashed { token, hash, count in
            let isSign = normalization == .split && TokenKind.of(token) == .sign
            if let id = ids(token, hash) {
                pairs.append((id, transform.apply(count)))
                if normalization == .split { signs.append(isSign) }
            }
            scaling.count(count, isSign: isSign)
        }
        return scaling.apply(to: &pairs, signs: signs, transform: transform)
    }

    /// How a message's feature values are scaled: for words and for signs (see `TokenKind`), how many distinct
    /// tokens and the factor each transformed count is multiplied by (1 without normalisation; with `whole`,
    /// words and signs share one factor). For `explain`.
    public func scaling(of bag: TokenBag) -> (words: Int, wordScale: Double, signs: Int, signScale: Double) {
        var scaling = LengthScaling(normalization, capacity: bag.distinctCount)
        var words = 0
        bag.forEach { token, count in
            let isSign = TokenKind.of(token) == .sign
            if !isSign { words += 1 }
            scaling.count(count, isSign: isSign)
        }
        let scales = scaling.scales(transform: transform)
        return (words, scales.word, bag.distinctCount - words, scales.sign)
    }

    /// The same with ids looked up by token string (for the delivery path, which reads ids from the store).
    /// `texts` are the bag's tokens as strings, in its order (`bag.tokens`): made once by the caller, who needs
    /// them for the store query too, rather than again here.
    public func vector(bag: TokenBag, texts: [String], stringIDs: (String) -> Int32?) -> SparseVector {
        precondition(texts.count == bag.distinctCount, "texts must be the bag's tokens, in its order")
        var next = 0
        return vector(
            bag: bag,
            ids: { _ in
                defer { next += 1 }
                return stringIDs(texts[next])
            })
    }

    /// The same with a vocabulary.
    public func vector(bag: TokenBag, vocabulary: Vocabulary) -> SparseVector {
        vector(bag: bag, hashedIDs: { vocabulary[utf8: $0, hash: $1] })
    }

    /// The same from stored (id, count) pairs; `isSign` tells which ids are signs (see `TokenKind`), asked only
    /// with split normalisation.
    public func vector(counts: [(Int32, Int)], isSign: (Int32) -> Bool) -> SparseVector {
        var pairs: [(Int32, Double)] = []
        pairs.reserveCapacity(counts.count)
        var scaling = LengthScaling(normalization, capacity: counts.count)
        var signs: [Bool] = []
        if normalization == .split { signs.reserveCapacity(counts.count) }
        for (id, count) in counts {
            let sign = normalization == .split && isSign(id)
            pairs.append((id, transform.apply(count)))
            if normalization == .split { signs.append(sign) }
            scaling.count(count, isSign: sign)
        }
        return scaling.apply(to: &pairs, signs: signs, transform: transform)
    }
}
