/// Fits logistic regression to minimise mean cross-entropy + λ/2·|w|² by mini-batch gradient descent over
/// seeded shuffled epochs, and learns single examples incrementally. Deterministic for a given input order,
/// options and seed (callers sort examples by digest first, so that storage order cannot matter).
public enum LogisticRegressionTrainer {
    /// Full fit from zero weights.
    public static func fit(_ examples: [LabeledExample], featureCount: Int, options: TrainingOptions)
        -> (model: LogisticRegression, report: TrainingReport)
    {
        var model = LogisticRegression(featureCount: featureCount)
        guard !examples.isEmpty else { return (model, TrainingReport(lossPerEpoch: [])) }
        var random = SeededRandom(seed: options.seed)
        var order = Array(0..<examples.count)
        let batchSize = max(1, options.batchSize)
        var gradient = [Double](repeating: 0, count: featureCount)
        var touched: [Int32] = []
        var losses: [Double] = []
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
                let scale = rate / Double(end - start)
                // Weight decay from the L2 term applies to every weight, every step.
                let decay = 1 - rate * options.l2
                model.weights.withUnsafeMutableBufferPointer { w in
                    gradient.withUnsafeMutableBufferPointer { g in
                        if decay != 1 { for j in 0..<w.count { w[j] *= decay } }
                        for index in touched {
                            let j = Int(index)
                            w[j] -= scale * g[j]
                            g[j] = 0
                        }
                    }
                }
                touched.removeAll(keepingCapacity: true)
                model.bias -= scale * biasGradient
                start = end
            }
            losses.append(objective(model, examples, l2: options.l2))
        }
        return (model, TrainingReport(lossPerEpoch: losses))
    }

    /// Learns one example in place: a few gradient steps on it alone, with the L2 penalty applied only to the
    /// weights of its own features (lazy, sparse regularisation: the cost is proportional to the message).
    public static func learn(_ example: LabeledExample, into model: inout LogisticRegression, options: TrainingOptions) {
        model.ensureFeatureCount(Int(example.features.maxIndex) + 1)
        let rate = options.incrementalLearningRate
        let x = example.features
        for _ in 0..<max(1, options.incrementalSteps) {
            let error = model.probability(x) - example.target
            model.weights.withUnsafeMutableBufferPointer { w in
                for k in 0..<x.indices.count {
                    let j = Int(x.indices[k])
                    w[j] -= rate * (error * x.values[k] + options.l2 * w[j])
                }
            }
            model.bias -= rate * error
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
