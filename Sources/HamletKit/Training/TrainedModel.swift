import Learning
import SpamStore

/// A fitted model of any kind, as Hamlet scores with it: logistic regression (weights per token, the default and
/// the fastest path) or a network (softmax regression or an MLP).
public enum TrainedModel: SpamModel, Equatable {
    case linear(LogisticRegression)
    case network(SparseNetwork)

    public func logit(_ x: SparseVector) -> Double {
        switch self {
        case .linear(let model): return model.logit(x)
        case .network(let model): return model.logit(x)
        }
    }

    public var parameterCount: Int {
        switch self {
        case .linear(let model): return model.parameterCount
        case .network(let model): return model.parameterCount
        }
    }

    /// Parameters that are not zero (what the store keeps).
    public var nonZeroParameterCount: Int {
        switch self {
        case .linear(let model): return model.weights.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } + 1
        case .network(let model): return model.rows.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } + model.tail.count
        }
    }
}

/// Fits and updates models of every kind the options name.
public enum ModelFitting {
    /// Fits a model from scratch on examples sorted by digest, with the L2 penalty for their number
    /// (`TrainingOptions.l2(forExamples:)`).
    public static func fit(_ examples: [LabeledExample], featureCount: Int, options given: TrainingOptions, jobs: Int)
        -> (model: TrainedModel, state: ModelLearningState, report: TrainingReport)
    {
        var options = given
        options.l2 = given.l2(forExamples: examples.count)
        switch options.model {
        case .logreg:
            let (model, state, report) = LogisticRegressionTrainer.fit(
                examples, featureCount: featureCount, options: options, jobs: jobs)
            return (.linear(model), .linear(state), report)
        case .softmax, .mlp:
            let (model, state, report) = NetworkTrainer.fit(
                examples, featureCount: featureCount, options: options, jobs: jobs)
            return (.network(model), .network(state), report)
        }
    }

    /// An untrained model of the options' kind (for on-line learning from nothing).
    public static func empty(_ options: TrainingOptions) -> (model: TrainedModel, state: ModelLearningState) {
        switch options.model {
        case .logreg: return (.linear(LogisticRegression()), .linear(AdaptiveState()))
        case .softmax, .mlp:
            let network = SparseNetwork(shape: NetworkTrainer.shape(options), featureCount: 0, seed: options.seed)
            return (.network(network), .network(NetworkState(for: network)))
        }
    }

    /// Learns one example in place with a few incremental steps.
    public static func learn(
        _ example: LabeledExample, into model: inout TrainedModel, state: inout ModelLearningState,
        options: TrainingOptions
    ) {
        // Take the payloads out and leave placeholders, so that their arrays are uniquely referenced and updated
        // in place rather than copied at every step.
        switch model {
        case .linear(var linear):
            model = .linear(LogisticRegression())
            guard case .linear(var adaptive) = state else { model = .linear(linear); return }
            state = .linear(AdaptiveState())
            LogisticRegressionTrainer.learn(example, into: &linear, state: &adaptive, options: options)
            model = .linear(linear)
            state = .linear(adaptive)
        case .network(var network):
            model = .linear(LogisticRegression())
            guard case .network(var networkState) = state else { model = .network(network); return }
            state = .linear(AdaptiveState())
            NetworkTrainer.learn(example, into: &network, state: &networkState, options: options)
            model = .network(network)
            state = .network(networkState)
        }
    }
}

/// A stored network model's parameters after the first layer and their AdaGrad accumulators (call inside `read`
/// or `write`); a model whose stored parameters do not match the shape its options describe is an error.
func storedNetworkTail(_ info: ModelInfo, shape: NetworkShape, store: SQLiteStore) throws -> (
    tail: [Double], accumulators: [Double]
) {
    let tailCount = SparseNetwork.tailCount(shape)
    let parameters = try store.networkParameters(modelID: info.id)
    guard parameters.count == 2 * tailCount else {
        throw StoreError.notAStore(
            path: store.path, reason: "model \(info.id) does not have the parameters its options describe")
    }
    return (Array(parameters[..<tailCount]), Array(parameters[tailCount...]))
}

/// The optimizer memory incremental learning continues, per model kind.
public enum ModelLearningState: Sendable {
    case linear(AdaptiveState)
    case network(NetworkState)
}
