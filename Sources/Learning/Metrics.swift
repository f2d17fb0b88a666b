/// A classifier's call on one message.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    case spam, ham, unsure
}

/// One scored message for evaluation: its true label, its log-odds score and the verdict given.
public struct ScoredExample: Sendable, Equatable {
    public var isSpam: Bool
    public var score: Double
    public var verdict: Verdict

    public init(isSpam: Bool, score: Double, verdict: Verdict) {
        self.isSpam = isSpam
        self.score = score
        self.verdict = verdict
    }
}

/// The figures `hamlet evaluate` reports. A spam verdict is a positive call; ham and unsure are negative
/// (an unsure spam counts as missed, an unsure ham as not a false positive).
public struct EvaluationMetrics: Sendable, Equatable, Codable {
    public var n: Int
    public var spam: Int
    public var ham: Int
    public var truePositives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    public var falseNegatives: Int
    public var unsure: Int
    public var accuracy: Double
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var falsePositiveRate: Double
    public var falseNegativeRate: Double
    /// Area under the ROC curve of the scores, ties counted half.
    public var rocArea: Double
    /// 100 · (1 − ROC area), the TREC spam track's headline figure; lower is better.
    public var oneMinusROCAPercent: Double

    public init(_ scored: [ScoredExample]) {
        n = scored.count
        spam = scored.filter(\.isSpam).count
        ham = n - spam
        truePositives = scored.filter { $0.isSpam && $0.verdict == .spam }.count
        falsePositives = scored.filter { !$0.isSpam && $0.verdict == .spam }.count
        falseNegatives = spam - truePositives
        trueNegatives = ham - falsePositives
        unsure = scored.filter { $0.verdict == .unsure }.count
        accuracy = n > 0 ? Double(truePositives + trueNegatives) / Double(n) : 0
        precision = truePositives + falsePositives > 0 ? Double(truePositives) / Double(truePositives + falsePositives) : 0
        recall = spam > 0 ? Double(truePositives) / Double(spam) : 0
        f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        falsePositiveRate = ham > 0 ? Double(falsePositives) / Double(ham) : 0
        falseNegativeRate = spam > 0 ? Double(falseNegatives) / Double(spam) : 0
        rocArea = Self.rocArea(scored)
        oneMinusROCAPercent = 100 * (1 - rocArea)
    }

    /// Mann-Whitney U statistic over (spam, ham) pairs: P(score(spam) > score(ham)) + ½·P(tie).
    public static func rocArea(_ scored: [ScoredExample]) -> Double {
        let sorted = scored.sorted { $0.score < $1.score }
        let spamCount = sorted.filter(\.isSpam).count
        let hamCount = sorted.count - spamCount
        guard spamCount > 0, hamCount > 0 else { return .nan }
        var rankSum = 0.0
        var i = 0
        while i < sorted.count {
            var j = i
            while j < sorted.count, sorted[j].score == sorted[i].score { j += 1 }
            let averageRank = Double(i + 1 + j) / 2  // ranks i+1 ... j
            let spamInTie = sorted[i..<j].filter(\.isSpam).count
            rankSum += averageRank * Double(spamInTie)
            i = j
        }
        let u = rankSum - Double(spamCount) * Double(spamCount + 1) / 2
        return u / (Double(spamCount) * Double(hamCount))
    }
}
