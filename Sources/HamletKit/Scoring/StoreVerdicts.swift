import Learning

/// How a store's size shapes its verdicts. Nothing is called spam before the store holds
/// `minimumExamplesPerLabel` of each label, and the spam threshold is raised while the store is young, holding
/// fewer than `Thresholds.youngStoreHam` ham (`Thresholds.forStore(hamExamples:)`). Every path that turns a store's
/// score into a verdict (filter, classify, explain, evaluate) uses one of these.
public struct StoreVerdicts: Sendable, Equatable {
    /// Nothing is called spam before the store holds this many examples of each label.
    public static let minimumExamplesPerLabel = 10
    /// The thresholds for the store's size.
    public var thresholds: Thresholds
    /// True when the store holds too few examples of a label for anything to be called spam.
    public var inTraining: Bool

    /// The rule for a store holding `spamExamples` and `hamExamples` (counted up to at least `base.examplesCounted`).
    public init(_ base: Thresholds, spamExamples: Int, hamExamples: Int) {
        thresholds = base.forStore(hamExamples: hamExamples)
        inTraining =
            spamExamples < Self.minimumExamplesPerLabel || hamExamples < Self.minimumExamplesPerLabel
    }

    /// `thresholds` as they are, whatever the store's size.
    public init(fixed thresholds: Thresholds) {
        self.thresholds = thresholds
        inTraining = false
    }

    /// Unsure where the thresholds say spam while the store is in training.
    public func verdict(probability: Double) -> Verdict {
        let verdict = thresholds.verdict(probability: probability)
        return inTraining && verdict == .spam ? .unsure : verdict
    }
}
