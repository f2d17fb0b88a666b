/// How each mini-batch gradient becomes a step.
public enum Optimizer: String, Sendable, Equatable, Codable, CaseIterable {
    /// Plain gradient descent: step = rate · gradient, with a decaying rate.
    case sgd
    /// AdaGrad: each weight's step is scaled by 1/√(its summed squared gradients), so rare tokens still learn.
    case adagrad
}

/// Settings for fitting a logistic regression by mini-batch gradient descent.
public struct TrainingOptions: Sendable, Equatable, Codable {
    public var optimizer: Optimizer = .adagrad
    public var epochs: Int = 20
    public var learningRate: Double = 0.3
    /// L2 penalty λ on the weights (not the bias): the objective adds λ/2 · |w|².
    public var l2: Double = 1e-5
    public var batchSize: Int = 16
    public var seed: UInt64 = 1
    /// Gradient steps taken on one example when it is learned incrementally.
    public var incrementalSteps: Int = 3
    /// Learning rate of incremental steps.
    public var incrementalLearningRate: Double = 1.0
    /// Added to every AdaGrad accumulator in incremental steps. Above zero, a token seen for the first time takes
    /// a step in proportion to its gradient instead of a full `incrementalLearningRate` jump. Zero by default: on
    /// the TRAIN messages in date order, 0.01 / 0.1 / 1 gave on-line 1-ROCA% 0.213 / 0.258 / 0.359 against 0.168.
    public var incrementalAccumulatorFloor: Double = 0

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
    public var lossPerEpoch: [Double]
}
