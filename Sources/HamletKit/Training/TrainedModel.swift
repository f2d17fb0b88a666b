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

/// A freshly fitted model together with the optimizer memory its in-place learning continues: one case per kind,
/// so that the model and its memory cannot be of different kinds.
public enum FittedModel: Sendable {
    case linear(LogisticRegression, AdaptiveState)
    case network(SparseNetwork, NetworkState)

    /// The model as Hamlet scores with it.
    public var model: TrainedModel {
        switch self {
        case .linear(let model, _): return .linear(model)
        case .network(let model, _): return .network(model)
        }
    }

    /// The model fitted in a canonical feature space (rank r), with its rows moved to the store's token ids
    /// (`storedID[r]`).
    func inStoreOrder(_ storedID: [Int32]) -> FittedModel {
        func reorder(_ values: [Double], width: Int) -> [Double] {
            var result = [Double](repeating: 0, count: values.count)
            for rank in 0..<(values.count / width) {
                let id = Int(storedID[rank])
                for u in 0..<width { result[id * width + u] = values[rank * width + u] }
            }
            return result
        }
        switch self {
        case .linear(let linear, let adaptive):
            return .linear(
                LogisticRegression(weights: reorder(linear.weights, width: 1), bias: linear.bias),
                AdaptiveState(
                    accumulators: adaptive.accumulators.count == linear.weights.count
                        ? reorder(adaptive.accumulators, width: 1) : adaptive.accumulators, bias: adaptive.bias))
        case .network(let network, let networkState):
            let width = network.firstWidth
            return .network(
                SparseNetwork(
                    shape: network.shape, seed: network.seed, rows: reorder(network.rows, width: width),
                    tail: network.tail),
                NetworkState(
                    rows: networkState.rows.count == network.rows.count
                        ? reorder(networkState.rows, width: width) : networkState.rows, tail: networkState.tail))
        }
    }

    /// Writes the model as a new version (call inside `write`); returns its id.
    func insertVersion(
        into store: SQLiteStore, options: ModelOptions, exampleCount: Int, metrics: String, fittedChanges: Int64
    ) throws -> Int64 {
        switch self {
        case .linear(let linear, let adaptive):
            return try store.insertModel(
                kind: options.kind, options: options.serialized, extractor: options.features.extractorVersion,
                bias: linear.bias, biasAccumulator: adaptive.bias, exampleCount: exampleCount, metrics: metrics,
                weights: linear.weights, accumulators: adaptive.accumulators, fittedChanges: fittedChanges)
        case .network(let network, let networkState):
            return try store.insertNetworkModel(
                kind: options.kind, options: options.serialized, extractor: options.features.extractorVersion,
                exampleCount: exampleCount, metrics: metrics, width: network.firstWidth, rows: network.rows,
                rowAccumulators: networkState.rows, tail: network.tail, tailAccumulators: networkState.tail,
                fittedChanges: fittedChanges)
        }
    }
}

/// Fits models of every kind the options name.
public enum ModelFitting {
    /// Fits a model from scratch on examples sorted by digest, with the L2 penalty for their number
    /// (`TrainingOptions.l2(forExamples:)`).
    public static func fit(_ examples: [LabeledExample], featureCount: Int, options given: TrainingOptions, jobs: Int)
        -> (fitted: FittedModel, report: TrainingReport)
    {
        var options = given
        options.l2 = given.l2(forExamples: examples.count)
        switch options.model {
        case .logreg:
            let (model, state, report) = LogisticRegressionTrainer.fit(
                examples, featureCount: featureCount, options: options, jobs: jobs)
            return (.linear(model, state), report)
        case .softmax, .mlp:
            let (model, state, report) = NetworkTrainer.fit(
                examples, featureCount: featureCount, options: options, jobs: jobs)
            return (.network(model, state), report)
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
