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

    public init() {}
}

/// The loss per epoch a fit went through, for reports.
public struct TrainingReport: Sendable, Equatable {
    public var lossPerEpoch: [Double]
}
