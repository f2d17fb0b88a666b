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
    /// Mean cross-entropy of the predictions, in nats. With one-hot true labels it equals the mean KL divergence
    /// between the true label distribution and the predicted one.
    public var logLoss: Double
    /// Percent of ham at or above the score that lets 1% of spam through (TREC's hm%@sm=1%).
    public var hamMisclassifiedAtOnePercentSpamMissed: Double
    /// Percent of spam at or below the score that misclassifies 0.1% of ham (sm%@hm=0.1%).
    public var spamMissedAtTenthPercentHamMisclassified: Double

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
        precision =
            truePositives + falsePositives > 0 ? Double(truePositives) / Double(truePositives + falsePositives) : 0
        recall = spam > 0 ? Double(truePositives) / Double(spam) : 0
        f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        falsePositiveRate = ham > 0 ? Double(falsePositives) / Double(ham) : 0
        falseNegativeRate = spam > 0 ? Double(falseNegatives) / Double(spam) : 0
        rocArea = Self.rocArea(scored)
        oneMinusROCAPercent = 100 * (1 - rocArea)
        var loss = 0.0
        for example in scored {
            // -log p(true label) from the log-odds, without overflow.
            loss += example.isSpam ? softplus(-example.score) : softplus(example.score)
        }
        logLoss = n > 0 ? loss / Double(n) : 0
        let spamScores = scored.filter(\.isSpam).map(\.score).sorted()
        let hamScores = scored.filter { !$0.isSpam }.map(\.score).sorted()
        hamMisclassifiedAtOnePercentSpamMissed = Self.hamMisclassified(
            spam: spamScores, ham: hamScores, spamMissed: 0.01)
        spamMissedAtTenthPercentHamMisclassified = Self.spamMissed(
            spam: spamScores, ham: hamScores, hamMisclassified: 0.001)
    }

    /// Percent of ham scoring at or above the threshold that leaves `spamMissed` of spam below it.
    static func hamMisclassified(spam: [Double], ham: [Double], spamMissed: Double) -> Double {
        guard !spam.isEmpty, !ham.isEmpty else { return .nan }
        let k = Int(spamMissed * Double(spam.count))
        let threshold = k < spam.count ? spam[k] : .infinity
        return 100 * Double(ham.filter { $0 >= threshold }.count) / Double(ham.count)
    }

    /// Percent of spam scoring at or below the threshold that puts `hamMisclassified` of ham above it.
    static func spamMissed(spam: [Double], ham: [Double], hamMisclassified: Double) -> Double {
        guard !spam.isEmpty, !ham.isEmpty else { return .nan }
        let k = Int(hamMisclassified * Double(ham.count))
        let threshold = k < ham.count ? ham[ham.count - 1 - k] : -.infinity
        return 100 * Double(spam.filter { $0 <= threshold }.count) / Double(spam.count)
    }

    /// The lowest log-odds threshold at which at most `rate` of ham scores at or above it (nil without ham).
    public static func threshold(forFalsePositiveRate rate: Double, _ scored: [ScoredExample]) -> Double? {
        let ham = scored.filter { !$0.isSpam }.map(\.score).sorted(by: >)
        guard !ham.isEmpty else { return nil }
        let allowed = Int(rate * Double(ham.count))  // ham allowed at or above the threshold
        // Just above the (allowed+1)-th highest ham score.
        return allowed < ham.count ? ham[allowed].nextUp : ham[ham.count - 1]
    }

    /// ROC points (false-positive rate, true-positive rate), one per distinct score, from the strictest threshold down.
    public static func rocCurve(_ scored: [ScoredExample]) -> [(falsePositiveRate: Double, truePositiveRate: Double)] {
        let sorted = scored.sorted { $0.score > $1.score }
        let spam = Double(max(1, sorted.filter(\.isSpam).count)),
            ham = Double(max(1, sorted.count - sorted.filter(\.isSpam).count))
        var points: [(Double, Double)] = [(0, 0)]
        var tp = 0.0, fp = 0.0
        var i = 0
        while i < sorted.count {
            var j = i
            while j < sorted.count, sorted[j].score == sorted[i].score {
                if sorted[j].isSpam { tp += 1 } else { fp += 1 }
                j += 1
            }
            points.append((fp / ham, tp / spam))
            i = j
        }
        return points.map { (falsePositiveRate: $0.0, truePositiveRate: $0.1) }
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
