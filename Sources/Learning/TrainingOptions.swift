/// How each mini-batch gradient becomes a step.
public enum Optimizer: String, Sendable, Equatable, Codable, CaseIterable {
    /// AdaGrad: each weight's step is scaled by 1/√(its summed squared gradients), so rare tokens still learn.
    case adagrad
    /// Adam (β₁ 0.9, β₂ 0.999), with bias correction.
    case adam
}

/// Settings for fitting a model by gradient descent.
public struct TrainingOptions: Sendable, Equatable, Codable {
    public var model: ModelKind = .logreg
    /// Hidden layer sizes of an MLP (one or two layers).
    public var hidden: [Int] = [64]
    public var activation: Activation = .tanh
    /// The MLP's output layer (logistic regression is sigmoid, softmax regression softmax).
    public var output: OutputKind = .sigmoid
    public var optimizer: Optimizer = .adagrad
    /// How much each ham example counts in a full fit's loss (spam counts 1): a
    /// mistake on ham costs a user more than a missed spam, and weighing ham up makes the fit work harder at
    /// the low false-positive end of the ROC curve. 4 by default. The old incremental steps do not use it (it made
    /// them worse on-line); docs/lab/EVALUATION.md has the figures.
    public var hamWeight: Double = 4
    /// Feature scaling in logistic regression fits (see `FeatureWeighting`). `blend` by default: naive Bayes ratios
    /// alone cut cross-validation errors by a third but do worse when the mail changes (older folders to newer);
    /// a fifth of them blended into a plain fit keeps most of the gain without that loss. docs/lab/EVALUATION.md has
    /// the figures.
    public var featureWeighting: FeatureWeighting = .blend
    /// With `FeatureWeighting.blend`, the naive Bayes weighted fit's share of the weights.
    public var naiveBayesShare: Double = 0.2
    /// A logistic regression fit of `RareFeaturePruning.minimumFitSize` examples or more learns weights only for
    /// features at least this many of them contain (1: every feature). 2 by default, leaving out tokens seen in a
    /// single message: better in cross-validation and in both directions of the folder shift, with less than half
    /// the non-zero weights; docs/lab/EVALUATION.md has the figures.
    public var minimumDocumentFrequency: Int = 2
    public var epochs: Int = 20
    /// 0.5 since rare tokens are left out of fits (0.3 before): with them out, 5-fold cross-validation on TRAIN
    /// and both folder-shift directions are better at 0.4-0.7 than at 0.3 (docs/lab/EVALUATION.md).
    public var learningRate: Double = 0.5
    /// L2 penalty λ on the weights (not the bias): the objective adds λ/2 · |w|² to the mean loss, for fits of
    /// `l2ReferenceSize` examples or more (see `l2(forExamples:)`).
    public var l2: Double = 1e-5
    public var batchSize: Int = 16
    public var seed: UInt64 = 1
    /// Gradient steps taken on one example when it is learned incrementally.
    public var incrementalSteps: Int = 3
    /// Learning rate of incremental steps (networks' in-place learning). 0.7: the best mean of two TRAIN-only
    /// measures, on-line from an empty model and a bulk fit followed by messages learned one at a time
    /// (docs/lab/EVALUATION.md).
    public var incrementalLearningRate: Double = 0.7

    /// `relabel` re-solves the moved examples' weights against a random sample of the other stored examples:
    /// this many of them per moved example, at least `relabelSampleMinimum`, with `relabelIterations` AdaGrad
    /// iterations at `relabelRate` (see `LabelCorrection`).
    public var relabelSamplePerMessage: Int = 20
    public var relabelSampleMinimum: Int = 400
    public var relabelIterations: Int = 20
    public var relabelRate: Double = 0.3

    public init() {}
}

/// The loss per epoch a fit went through, for reports.
public struct TrainingReport: Sendable, Equatable {
    /// The mean (ham-weighted) training loss after each epoch.
    public var lossPerEpoch: [Double]

    public init(lossPerEpoch: [Double]) {
        self.lossPerEpoch = lossPerEpoch
    }
}

extension TrainingOptions {
    /// Below this many examples the penalty is held at what it weighs against this many: the prior counts as much
    /// as it does at this size however few examples there are, instead of shrinking with them (a sum of losses
    /// rather than a mean). Small stores, a new user's, otherwise fit every example they hold to the last digit
    /// and rank the next unfamiliar message with full confidence (docs/lab/LEARNING-POLICY.md).
    public static let l2ReferenceSize = 2_000

    /// The L2 penalty a fit over `count` examples uses. (In-place updates keep `l2`: with this penalty they
    /// trailed a refit further, docs/lab/LEARNING-POLICY.md.)
    public func l2(forExamples count: Int) -> Double {
        l2 * max(1, Double(Self.l2ReferenceSize) / Double(max(1, count)))
    }
}
