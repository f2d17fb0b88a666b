import Learning

import Platform
import SpamStore

/// Turns p(spam) into a three-way verdict: spam at or above `spam`, ham below `ham`, unsure in between.
public struct Thresholds: Sendable, Equatable {
    public var spam: Double
    public var ham: Double

    /// Defaults chosen by cross-validation on the SpamAssassin TRAIN list by `scripts/lab/choose-thresholds.py`: the
    /// lowest spam threshold that keeps ham called spam at or under 0.2%, and a ham threshold that keeps the
    /// unsure share at or under 2% (see docs/lab/EVALUATION.md).
    public static let standard = Thresholds(spam: 0.73, ham: 0.50)

    public init(spam: Double, ham: Double) {
        self.spam = spam
        self.ham = min(ham, spam)
    }

    /// A store is young until it holds this many ham (0: never); see `forStore(hamExamples:)`. Chosen on TRAIN
    /// with `youngStoreExponent` (docs/lab/LEARNING-POLICY.md).
    public var youngStoreHam = 1_200

    /// How steeply a young store's spam threshold rises as its ham get fewer.
    public static let youngStoreExponent = 1.5

    /// How far a store's examples are counted for its verdicts: counting every entry of a large store's label
    /// index would cost more than scoring the message.
    public var examplesCounted: ExampleCounts {
        (StoreVerdicts.minimumExamplesPerLabel, max(StoreVerdicts.minimumExamplesPerLabel, youngStoreHam))
    }

    /// The thresholds for a store holding `hamExamples` ham. A store that has seen few ham knows little of what
    /// ham looks like, and its fits call unfamiliar ham (a first newsletter of its kind) spam far more often at
    /// the same score than the fits the thresholds were chosen on; so while it is young, the spam threshold asks
    /// for odds `(youngStoreHam / hamExamples)^1.5` times as high. The ham threshold stays: the difference goes to
    /// the unsure band.
    public func forStore(hamExamples: Int) -> Thresholds {
        guard hamExamples < youngStoreHam, spam < 1 else { return self }
        let lacking = Double(youngStoreHam) / Double(max(1, hamExamples))
        let odds = spam / (1 - spam) * pow(lacking, Self.youngStoreExponent)
        var raised = self
        raised.spam = odds / (1 + odds)
        return raised
    }

    public func verdict(probability p: Double) -> Verdict {
        if p >= spam { return .spam }
        if p < ham { return .ham }
        return .unsure
    }
}
