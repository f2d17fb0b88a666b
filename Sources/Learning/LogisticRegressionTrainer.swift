/// Fits logistic regression to minimise mean cross-entropy + λ/2·|w|² by mini-batch gradient descent over
/// seeded shuffled epochs, and learns single examples incrementally. Deterministic for a given input order,
/// options and seed (callers sort examples by digest first, so that storage order cannot matter).
public enum LogisticRegressionTrainer {
    /// Full fit from zero weights.
    public static func fit(_ examples: [LabeledExample], featureCount: Int, options: TrainingOptions)
        -> (model: LogisticRegression, state: AdaptiveState, report: TrainingReport)
    {
        var model = LogisticRegression(featureCount: featureCount)
        guard !examples.isEmpty else {
            return (model, AdaptiveState(featureCount: featureCount), TrainingReport(lossPerEpoch: []))
        }
        var random = SeededRandom(seed: options.seed)
        var order = Array(0..<examples.count)
        let batchSize = max(1, options.batchSize)
        var gradient = [Double](repeating: 0, count: featureCount)
        var touched: [Int32] = []
        var losses: [Double] = []
        var squaredSums = options.optimizer == .adagrad ? [Double](repeating: 0, count: featureCount) : []
        var biasSquaredSum = 0.0
        // Start the bias at the prior log-odds: fewer epochs spent learning the class balance.
        let spamCount = examples.reduce(0) { $0 + ($1.isSpam ? 1 : 0) }
        let prior = (Double(spamCount) + 0.5) / (Double(examples.count) + 1)
        model.bias = Foundation_log(prior / (1 - prior))

        for epoch in 0..<max(1, options.epochs) {
            random.shuffle(&order)
            let rate = options.learningRate / (1 + 0.1 * Double(epoch))
            var start = 0
            while start < order.count {
                let end = min(order.count, start + batchSize)
                var biasGradient = 0.0
                gradient.withUnsafeMutableBufferPointer { g in
                    model.weights.withUnsafeBufferPointer { w in
                        for position in start..<end {
                            let example = examples[order[position]]
                            let error = sigmoid(example.features.dot(w) + model.bias) - example.target
                            biasGradient += error
                            let x = example.features
                            for k in 0..<x.indices.count {
                                let j = Int(x.indices[k])
                                if g[j] == 0 { touched.append(x.indices[k]) }
                                g[j] += error * x.values[k]
                            }
                        }
                    }
                }
                let batchScale = 1 / Double(end - start)
                switch options.optimizer {
                case .sgd:
                    let step = rate * batchScale
                    // Weight decay from the L2 term applies to every weight, every step.
                    let decay = 1 - rate * options.l2
                    model.weights.withUnsafeMutableBufferPointer { w in
                        gradient.withUnsafeMutableBufferPointer { g in
                            if decay != 1 { for j in 0..<w.count { w[j] *= decay } }
                            for index in touched {
                                let j = Int(index)
                                w[j] -= step * g[j]
                                g[j] = 0
                            }
                        }
                    }
                    model.bias -= step * biasGradient
                case .adagrad:
                    // The L2 gradient is applied to the weights this batch touches (sparse regularisation).
                    model.weights.withUnsafeMutableBufferPointer { w in
                        gradient.withUnsafeMutableBufferPointer { g in
                            squaredSums.withUnsafeMutableBufferPointer { G in
                                for index in touched {
                                    let j = Int(index)
                                    let gj = g[j] * batchScale + options.l2 * w[j]
                                    G[j] += gj * gj
                                    w[j] -= options.learningRate * gj / (G[j].squareRoot() + 1e-8)
                                    g[j] = 0
                                }
                            }
                        }
                    }
                    let gb = biasGradient * batchScale
                    biasSquaredSum += gb * gb
                    model.bias -= options.learningRate * gb / (biasSquaredSum.squareRoot() + 1e-8)
                }
                touched.removeAll(keepingCapacity: true)
                start = end
            }
            losses.append(objective(model, examples, l2: options.l2))
        }
        var state = AdaptiveState(featureCount: featureCount)
        if options.optimizer == .adagrad {
            state.accumulators = squaredSums
            state.bias = biasSquaredSum
        }
        return (model, state, TrainingReport(lossPerEpoch: losses))
    }

    /// Learns one example in place: a few AdaGrad steps on it alone, with the L2 penalty applied only to the
    /// weights of its own features (lazy, sparse regularisation: the cost is proportional to the message).
    /// `state` holds each weight's summed squared gradients; it grows with the model.
    public static func learn(_ example: LabeledExample, into model: inout LogisticRegression,
                             state: inout AdaptiveState, options: TrainingOptions)
    {
        let needed = Int(example.features.maxIndex) + 1
        model.ensureFeatureCount(needed)
        state.ensureFeatureCount(model.weights.count)
        let rate = options.incrementalLearningRate
        let floor = max(options.incrementalAccumulatorFloor, 1e-16)
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

    /// Mean cross-entropy plus λ/2·|w|².
    public static func objective(_ model: LogisticRegression, _ examples: [LabeledExample], l2: Double) -> Double {
        guard !examples.isEmpty else { return 0 }
        var loss = 0.0
        for example in examples {
            let z = model.logit(example.features)
            // -log p(y|x) = softplus(z) - y·z
            loss += softplus(z) - example.target * z
        }
        let penalty = model.weights.reduce(0) { $0 + $1 * $1 } * l2 / 2
        return loss / Double(examples.count) + penalty
    }

    /// Gradient of `objective` with respect to the weights and the bias.
    public static func gradient(_ model: LogisticRegression, _ examples: [LabeledExample], l2: Double)
        -> (weights: [Double], bias: Double)
    {
        var g = model.weights.map { $0 * l2 }
        var gb = 0.0
        let n = Double(max(1, examples.count))
        for example in examples {
            let error = model.probability(example.features) - example.target
            gb += error / n
            for k in 0..<example.features.indices.count {
                g[Int(example.features.indices[k])] += error * example.features.values[k] / n
            }
        }
        return (g, gb)
    }
}
