import Learning
import SpamStore
import TextFeatures

/// Logistic regression, the default: one weight a token and a bias, kept as `.scalar` rows (weight, AdaGrad
/// accumulator) and the parameters [bias, bias accumulator]. In place it re-solves the changed tokens' weights
/// against the changes and a sample of the other examples (`LabelCorrection`), which also takes back what a
/// wrong label or a forgotten example taught.
enum LinearFamily: ModelFamily {
    struct Fit: FittedModel {
        var regression: LogisticRegression
        var state: AdaptiveState

        var model: any SpamModel { regression }
        var rows: ModelRows {
            ModelRows(layout: .scalar, weights: regression.weights, accumulators: state.accumulators)
        }
        var parameters: [Double] { [regression.bias, state.bias] }

        func inStoreOrder(_ storedID: [Int32]) -> any FittedModel {
            let accumulators =
                state.accumulators.count == regression.weights.count
                ? rowsInStoreOrder(state.accumulators, width: 1, storedID: storedID) : state.accumulators
            return Fit(
                regression: LogisticRegression(
                    weights: rowsInStoreOrder(regression.weights, width: 1, storedID: storedID), bias: regression.bias),
                state: AdaptiveState(accumulators: accumulators, bias: state.bias))
        }
    }

    static func fit(_ examples: [LabeledExample], featureCount: Int, options: TrainingOptions, jobs: Int)
        -> (fitted: any FittedModel, report: TrainingReport)
    {
        let (model, state, report) = LogisticRegressionTrainer.fit(
            examples, featureCount: featureCount, options: options, jobs: jobs)
        return (Fit(regression: model, state: state), report)
    }

    static func bias(_ info: ModelInfo) -> Double { info.parameters.first ?? 0 }

    static func load(_ info: ModelInfo, options: ModelOptions, store: any HamletStore, featureCount: Int) throws
        -> any SpamModel
    {
        var weights = [Double](repeating: 0, count: featureCount)
        try store.forEachModelRow(modelID: info.id) { id, row in
            if id >= 0 && Int(id) < featureCount, let weight = row.first { weights[Int(id)] = weight }
        }
        return LogisticRegression(weights: weights, bias: bias(info))
    }

    static func score(
        _ tokens: TokenBag, info: ModelInfo, options: ModelOptions, store: any HamletStore, explaining: Bool
    ) throws -> MessageScore {
        let texts = tokens.tokens.map(\.token)
        var known: [String: (id: Int32, weight: Double)] = [:]
        known.reserveCapacity(texts.count)
        try store.forEachModelRow(modelID: info.id, tokens: texts) { token, id, row in
            known[token] = (id, row.first ?? 0)
        }
        let vector = options.features.vector(bag: tokens, texts: texts, stringIDs: { known[$0]?.id })
        // The known tokens' weights as a sparse vector: the same ids as `vector`, in the same (sorted) order,
        // so the sum runs in id order exactly as the dense path's does and gives the same bits.
        let weights = SparseVector(unsortedPairs: known.values.map { ($0.id, $0.weight) })
        var sum = 0.0
        for k in 0..<vector.indices.count { sum += weights.values[k] * vector.values[k] }
        var contributions: [TokenContribution] = []
        if explaining {
            var tokenByID: [Int32: String] = [:]
            for (token, entry) in known { tokenByID[entry.id] = token }
            contributions.reserveCapacity(vector.indices.count)
            for k in 0..<vector.indices.count {
                let token = tokenByID[vector.indices[k]] ?? ""
                contributions.append(
                    TokenContribution(
                        token: token, count: tokens.count(of: token), weight: weights.values[k],
                        contribution: weights.values[k] * vector.values[k]))
            }
        }
        let bias = bias(info)
        return MessageScore(logit: sum + bias, bias: bias, contributions: contributions, knownTokens: known.count)
    }

    static var unlearnsInPlace: Bool { true }
}
