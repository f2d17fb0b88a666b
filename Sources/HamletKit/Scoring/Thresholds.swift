import Learning

/// Turns p(spam) into a three-way verdict: spam at or above `spam`, ham below `ham`, unsure in between.
public struct Thresholds: Sendable, Equatable {
    public var spam: Double
    public var ham: Double

    /// Defaults chosen by cross-validation on the SpamAssassin TRAIN list by `scripts/choose-thresholds.py`: the
    /// lowest spam threshold that keeps ham called spam at or under 0.2%, and a ham threshold that keeps the
    /// unsure share at or under 2% (see docs/EVALUATION.md).
    public static let standard = Thresholds(spam: 0.73, ham: 0.50)

    public init(spam: Double, ham: Double) {
        self.spam = spam
        self.ham = min(ham, spam)
    }

    public func verdict(probability p: Double) -> Verdict {
        if p >= spam { return .spam }
        if p < ham { return .ham }
        return .unsure
    }
}
