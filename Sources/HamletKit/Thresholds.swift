import Learning

/// Turns p(spam) into a three-way verdict: spam at or above `spam`, ham below `ham`, unsure in between.
public struct Thresholds: Sendable, Equatable {
    public var spam: Double
    public var ham: Double

    /// Defaults chosen by cross-validation on the SpamAssassin TRAIN list (see docs/EVALUATION.md).
    public static let standard = Thresholds(spam: 0.9, ham: 0.5)

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
