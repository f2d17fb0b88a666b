import Dispatch

/// Fits logistic regression (mean cross-entropy + λ/2·|w|² by default) and learns single examples incrementally.
/// Deterministic for a given input order, options and seed (callers sort examples by digest first, so that
/// storage order cannot matter).
public enum LogisticRegressionTrainer {
    /// Full fit from zero weights, by `NetworkTrainer` with a one-output linear network (any optimizer, loss,
    /// schedule, class weighting or early stopping the options ask for). Features fewer than
    /// `minimumDocumentFrequency` examples contain are left out of the fit (their weights stay zero).
    public static func fit(_ examples: [LabeledExample], featureCount: Int, options: TrainingOptions, jobs: Int = 1)
        -> (model: LogisticRegression, state: AdaptiveState, report: TrainingReport)
    {
        var logreg = options
        logreg.model = .logreg
        let linear = logreg
        let examples = RareFeaturePruning.pruned(examples, minimumExamples: options.minimumDocumentFrequency)
        @Sendable func plainFit(jobs: Int) -> (model: LogisticRegression, state: AdaptiveState, report: TrainingReport)
        {
            let (network, state, report) = NetworkTrainer.fit(
                examples, featureCount: featureCount, options: linear, jobs: jobs)
            return (
                LogisticRegression(weights: network.rows, bias: network.tail[0]),
                AdaptiveState(accumulators: state.rows, bias: state.tail[0]), report
            )
        }
        switch options.featureWeighting {
        case .none:
            return plainFit(jobs: jobs)
        case .nb:
            return naiveBayesFit(examples, featureCount: featureCount, options: linear, jobs: jobs)
        case .blend:
            // With two cores or more the two fits run side by side, one thread each: a fit's result does not
            // depend on its threads, and two single-threaded fits at once beat two two-threaded ones in turn.
            let results = BlendParts()
            if jobs >= 2 {
                DispatchQueue.concurrentPerform(iterations: 2) { part in
                    if part == 0 {
                        results.plain = plainFit(jobs: 1)
                    } else {
                        results.weighted =
                            naiveBayesFit(examples, featureCount: featureCount, options: linear, jobs: 1).model
                    }
                }
            } else {
                results.plain = plainFit(jobs: jobs)
                results.weighted =
                    naiveBayesFit(examples, featureCount: featureCount, options: linear, jobs: jobs).model
            }
            guard case (var model, var state, let report)? = results.plain, let weighted = results.weighted else {
                preconditionFailure("both fits ran")
            }
            // Incremental steps continue from the plain fit's AdaGrad sums: they learn plain features.
            let share = options.naiveBayesShare
            model.ensureFeatureCount(weighted.weights.count)
            state.ensureFeatureCount(model.weights.count)
            for j in 0..<weighted.weights.count {
                model.weights[j] = (1 - share) * model.weights[j] + share * weighted.weights[j]
            }
            model.bias = (1 - share) * model.bias + share * weighted.bias
            return (model, state, report)
        }
    }

    /// The two fits of a blend, each written by the thread that made it and read after both are done.
    private final class BlendParts: @unchecked Sendable {
        var plain: (model: LogisticRegression, state: AdaptiveState, report: TrainingReport)?
        var weighted: LogisticRegression?
    }

    /// A fit on x·r with r the naive Bayes log-count ratios, r then folded into the weights: w·(x·r) = (w·r)·x, so
    /// what is stored scores plain features. An AdaGrad accumulator of w sums (g·r)², so the same sums for w·r are
    /// divided by r².
    private static func naiveBayesFit(
        _ examples: [LabeledExample], featureCount: Int, options: TrainingOptions, jobs: Int
    )
        -> (model: LogisticRegression, state: AdaptiveState, report: TrainingReport)
    {
        let ratios = LogCountRatios(examples, featureCount: featureCount)
        let (network, state, report) = NetworkTrainer.fit(
            examples.map(ratios.scaled), featureCount: featureCount,
            options: options, jobs: jobs)
        var weights = network.rows
        var accumulators = state.rows
        for j in 0..<min(weights.count, ratios.ratios.count) {
            let r = ratios.ratios[j]
            weights[j] *= r
            accumulators[j] = abs(r) > 1e-12 ? accumulators[j] / (r * r) : 0
        }
        return (
            LogisticRegression(weights: weights, bias: network.tail[0]),
            AdaptiveState(accumulators: accumulators, bias: state.tail[0]), report
        )
    }

    /// Learns one example in place: a few AdaGrad steps on it alone, with the L2 penalty applied only to the
    /// weights of its own features (lazy, sparse regularisation: the cost is proportional to the message).
    /// `state` holds each weight's summed squared gradients; it grows with the model.
    public static func learn(
        _ example: LabeledExample, into model: inout LogisticRegression,
        state: inout AdaptiveState, options: TrainingOptions
    ) {
        let needed = Int(example.features.maxIndex) + 1
        model.ensureFeatureCount(needed)
        state.ensureFeatureCount(model.weights.count)
        let rate = options.incrementalLearningRate
        let floor = 1e-16
        let x = example.features
        for _ in 0..<max(1, options.incrementalSteps) {
            let error = model.probability(x) - example.target
            model.weights.withUnsafeMutableBufferPointer { w in
                state.accumulators.withUnsafeMutableBufferPointer { G in
                    for k in 0..<x.indices.count {
                        let j = Int(x.indices[k])
                        let g = error * x.values[k] + options.l2 * w[j]
                        G[j] += g * g
                        w[j] -= rate * g / (G[j] + floor).squareRoot()
                    }
                }
            }
            state.bias += error * error
            model.bias -= rate * error / (state.bias + floor).squareRoot()
        }
    }
}
