import Dispatch

/// AdaGrad's memory for a network (each parameter's summed squared gradients), kept with a model so that
/// incremental learning continues the same optimisation.
public struct NetworkState: Sendable, Equatable {
    public var rows: [Double]
    public var tail: [Double]

    public init(rows: [Double], tail: [Double]) {
        self.rows = rows
        self.tail = tail
    }

    public init(for network: SparseNetwork) {
        rows = [Double](repeating: 0, count: network.rows.count)
        tail = [Double](repeating: 0, count: network.tail.count)
    }
}

/// Fits any `SparseNetwork` (logistic regression, softmax regression, MLP) to minimise the mean cross-entropy (ham
/// weighed up) plus λ/2·|weights|² (biases are not penalised) by mini-batch AdaGrad or Adam at a
/// constant rate. The result depends only on the examples in the order given (callers sort them by digest), the
/// options and the seed; logistic regression with AdaGrad (the default) runs on two threads over fixed halves of the
/// features (`PackedLogisticRows`), which does not change its result. L2 is applied lazily to the rows a batch
/// touches.
public enum NetworkTrainer {
    /// Below this many training examples a logistic fit stays on one thread (same result; a thread is not worth it).
    static let pairedFitMinimum = 2_000

    /// The shape the options ask for.
    public static func shape(_ options: TrainingOptions) -> NetworkShape {
        switch options.model {
        case .logreg: return NetworkShape(hidden: [], output: .sigmoid)
        case .softmax: return .softmax
        case .mlp: return NetworkShape(hidden: options.hidden, activation: options.activation, output: options.output)
        }
    }

    /// `directLogistic: false` sends logistic regression through the general network code too (tests compare
    /// the two).
    public static func fit(
        _ examples: [LabeledExample], featureCount: Int, options: TrainingOptions, jobs: Int = 1,
        directLogistic: Bool = true
    )
        -> (model: SparseNetwork, state: NetworkState, report: TrainingReport)
    {
        let spamCount = examples.reduce(0) { $0 + ($1.isSpam ? 1 : 0) }
        let prior = (Double(spamCount) + 0.5) / (Double(examples.count) + 1)
        var network = SparseNetwork(
            shape: shape(options), featureCount: featureCount, seed: options.seed,
            outputBias: Foundation_log(prior / (1 - prior)))
        guard !examples.isEmpty else { return (network, NetworkState(for: network), TrainingReport(lossPerEpoch: [])) }

        let trainIndices = Array(0..<examples.count)
        let weights = classWeights(examples, trainIndices, hamWeight: options.hamWeight)
        let tailIsWeight = SparseNetwork.tailIsWeight(network.shape)
        // Logistic regression (one sigmoid unit, no hidden layer) takes a direct path through each example.
        let linearSigmoid = directLogistic && network.shape.hidden.isEmpty && network.shape.output == .sigmoid
        // ... and with AdaGrad mini-batches (the default), with each weight's numbers side by side in memory
        // (the per-row arrays below are then not needed: they stay empty).
        let packed =
            linearSigmoid && options.optimizer == .adagrad
            ? PackedLogisticRows(weights: network.rows, examples: examples) : nil
        let rowCount = packed == nil ? network.rows.count : 0
        var optimizer = OptimizerState(options.optimizer, rows: rowCount, tail: network.tail.count)
        let width = network.firstWidth
        var rowGradient = [Double](repeating: 0, count: rowCount)
        var tailGradient = [Double](repeating: 0, count: network.tail.count)
        var touched: [Int32] = []
        var rowSeen = [Bool](repeating: false, count: packed == nil ? network.featureCount : 0)
        var random = SeededRandom(seed: options.seed)
        var order = trainIndices
        let batchSize = max(1, options.batchSize)
        var losses: [Double] = []
        var workspace = NetworkWorkspace(shape: network.shape)
        // Its batches on two threads when there are two cores and enough examples to be worth a thread.
        // (Held as closures: `LockStepPair` needs macOS 15's atomics, and a variable of its type would too.)
        var pair: ((_ phase: (Int) -> Void) -> Void)? = nil
        var closePair: () -> Void = {}
        // (Not when the process may use one core only, whatever `jobs` says: two spinning threads would share it.)
        if #available(macOS 15.0, *), packed != nil, jobs >= 2, trainIndices.count >= Self.pairedFitMinimum,
            availableProcessors() >= 2
        {
            let twoThreads = LockStepPair()
            pair = { twoThreads.run($0) }
            closePair = { twoThreads.close() }
        }
        defer { closePair() }

        for epoch in 0..<max(1, options.epochs) {
            random.shuffle(&order)
            let rate = options.learningRate
            var epochLoss = 0.0
            var start = 0
            while start < order.count {
                let end = min(order.count, start + batchSize)
                let batch = order[start..<end]
                if let packed {
                    packed.trainBatch(
                        examples, batch, bias: network.tail[0], exampleWeights: weights,
                        scale: 1 / Double(end - start), l2: options.l2, rate: rate, pair: pair,
                        loss: &epochLoss, biasGradient: &tailGradient[0])
                } else {
                    rowGradient.withUnsafeMutableBufferPointer { rg in
                        tailGradient.withUnsafeMutableBufferPointer { tg in
                            for index in batch {
                                let example = examples[index]
                                for j in example.features.indices where !rowSeen[Int(j)] {
                                    rowSeen[Int(j)] = true
                                    touched.append(j)
                                }
                                if linearSigmoid {
                                    epochLoss += network.rows.withUnsafeBufferPointer { rows in
                                        Self.logisticStep(
                                            example, rows: rows, bias: network.tail[0], weight: weights[index],
                                            rowGradient: rg, tailGradient: tg)
                                    }
                                    continue
                                }
                                network.forward(example.features, &workspace)
                                epochLoss += SparseNetwork.outputLoss(
                                    &workspace, output: network.shape.output,
                                    isSpam: example.isSpam, weight: weights[index])
                                network.backward(example.features, &workspace, rowGradient: rg, tailGradient: tg)
                            }
                        }
                    }
                }
                let scale = 1 / Double(end - start)
                optimizer.tick()
                if packed == nil {  // the packed rows took their steps in `trainBatch`
                    network.rows.withUnsafeMutableBufferPointer { w in
                        rowGradient.withUnsafeMutableBufferPointer { g in
                            optimizer.stepRows(
                                touched, width: width, weights: w, gradient: g, scale: scale, l2: options.l2, rate: rate
                            )
                        }
                    }
                    for row in touched { rowSeen[Int(row)] = false }
                }
                for p in 0..<network.tail.count {
                    let gradient = tailGradient[p] * scale + (tailIsWeight[p] ? options.l2 * network.tail[p] : 0)
                    tailGradient[p] = 0
                    network.tail[p] -= optimizer.tailStep(p, gradient, rate: rate)
                }
                touched.removeAll(keepingCapacity: true)
                start = end
            }
            // The epoch's mean training loss, each example's measured just before the step its batch took (as it
            // was computed for the gradient anyway: a separate pass over the data would cost a third of the fit).
            // The L2 term is left out: applied lazily, it is not exactly what the steps minimise.
            losses.append(epochLoss / Double(max(1, order.count)))
        }
        if let packed { network.rows = packed.weights }
        var state = optimizer.adaGradState ?? NetworkState(for: network)
        if let packed { state.rows = packed.accumulators }
        return (
            network, state,
            TrainingReport(lossPerEpoch: losses)
        )
    }

    /// One example's loss and gradient for logistic regression, added to the gradients: the same arithmetic, in
    /// the same order, as `forward`, `outputLoss` and `backward` on a one-unit sigmoid network (so both paths give
    /// the same bits), without the workspace.
    @inline(__always)
    static func logisticStep(
        _ example: LabeledExample, rows: UnsafeBufferPointer<Double>, bias: Double, weight: Double,
        rowGradient: UnsafeMutableBufferPointer<Double>,
        tailGradient: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        let x = example.features
        let count = rows.count
        var z = 0.0
        x.indices.withUnsafeBufferPointer { indices in
            x.values.withUnsafeBufferPointer { values in
                for k in 0..<indices.count {
                    let j = Int(indices[k])
                    guard j < count else { continue }
                    z += rows[j] * values[k]
                }
            }
        }
        z += bias
        let (delta, value) = logisticDelta(z, isSpam: example.isSpam, weight: weight)
        tailGradient[0] += delta
        x.indices.withUnsafeBufferPointer { indices in
            x.values.withUnsafeBufferPointer { values in
                for k in 0..<indices.count {
                    let j = Int(indices[k])
                    guard j < count else { continue }
                    rowGradient[j] += values[k] * delta
                }
            }
        }
        return value
    }

    /// For a logit `z`: the cross-entropy's derivative with respect to it, and the cross-entropy (each times the
    /// example's weight).
    @inline(__always)
    static func logisticDelta(_ z: Double, isSpam: Bool, weight: Double) -> (delta: Double, value: Double) {
        let y = isSpam ? 1.0 : 0.0
        return (weight * (sigmoid(z) - y), weight * (softplus(z) - y * z))
    }

    /// Each training example's weight in the loss: 1 for spam, `hamWeight` for ham; held-out examples get 1.
    static func classWeights(_ examples: [LabeledExample], _ training: [Int], hamWeight: Double = 1) -> [Double] {
        var weights = [Double](repeating: 1, count: examples.count)
        for index in training where !examples[index].isSpam { weights[index] = hamWeight }
        return weights
    }

    /// Mean (weighted) loss over `indices` plus λ/2·|weights|².
    public static func objective(
        _ network: SparseNetwork, _ examples: [LabeledExample], _ indices: [Int], weights: [Double]?, l2: Double
    ) -> Double {
        guard !indices.isEmpty else { return 0 }
        var workspace = NetworkWorkspace(shape: network.shape)
        var total = 0.0
        for index in indices {
            network.forward(examples[index].features, &workspace)
            total += SparseNetwork.outputLoss(
                &workspace, output: network.shape.output,
                isSpam: examples[index].isSpam, weight: weights?[index] ?? 1)
        }
        var penalty = 0.0
        if l2 > 0 {
            for w in network.rows { penalty += w * w }
            for (w, isWeight) in zip(network.tail, SparseNetwork.tailIsWeight(network.shape)) where isWeight {
                penalty += w * w
            }
        }
        return total / Double(indices.count) + penalty * l2 / 2
    }

    /// The gradient of `objective` over all examples (for checks against finite differences).
    public static func gradient(_ network: SparseNetwork, _ examples: [LabeledExample], l2: Double)
        -> (rows: [Double], tail: [Double])
    {
        var rows = network.rows.map { $0 * l2 }
        var tail = zip(network.tail, SparseNetwork.tailIsWeight(network.shape)).map { $1 ? $0 * l2 : 0 }
        var rowGradient = [Double](repeating: 0, count: network.rows.count)
        var tailGradient = [Double](repeating: 0, count: network.tail.count)
        var workspace = NetworkWorkspace(shape: network.shape)
        rowGradient.withUnsafeMutableBufferPointer { rg in
            tailGradient.withUnsafeMutableBufferPointer { tg in
                for example in examples {
                    network.forward(example.features, &workspace)
                    _ = SparseNetwork.outputLoss(
                        &workspace, output: network.shape.output, isSpam: example.isSpam, weight: 1)
                    network.backward(example.features, &workspace, rowGradient: rg, tailGradient: tg)
                }
            }
        }
        let n = Double(max(1, examples.count))
        for p in rows.indices { rows[p] += rowGradient[p] / n }
        for p in tail.indices { tail[p] += tailGradient[p] / n }
        return (rows, tail)
    }

    /// Learns one example in place with a few AdaGrad steps on it alone, touching only its own rows and the tail
    /// (lazy, sparse L2). `state` holds each parameter's summed squared gradients and grows with the model.
    public static func learn(
        _ example: LabeledExample, into network: inout SparseNetwork, state: inout NetworkState,
        options: TrainingOptions
    ) {
        network.ensureFeatureCount(Int(example.features.maxIndex) + 1)
        if state.rows.count < network.rows.count {
            state.rows.append(contentsOf: repeatElement(0, count: network.rows.count - state.rows.count))
        }
        if state.tail.count < network.tail.count {
            state.tail.append(contentsOf: repeatElement(0, count: network.tail.count - state.tail.count))
        }
        let width = network.firstWidth
        let rate = options.incrementalLearningRate
        let floor = 1e-16
        let tailIsWeight = SparseNetwork.tailIsWeight(network.shape)
        var workspace = NetworkWorkspace(shape: network.shape)
        var rowGradient = [Double](repeating: 0, count: example.features.count * width)
        var tailGradient = [Double](repeating: 0, count: network.tail.count)
        // The example's features in a local index space, so the gradient buffer is as small as the message.
        let local = SparseVector(
            indices: (0..<Int32(example.features.count)).map { $0 }, values: example.features.values)
        for _ in 0..<max(1, options.incrementalSteps) {
            var localRows = [Double](repeating: 0, count: example.features.count * width)
            for (k, j) in example.features.indices.enumerated() {
                for u in 0..<width { localRows[k * width + u] = network.rows[Int(j) * width + u] }
            }
            let view = SparseNetwork(shape: network.shape, seed: network.seed, rows: localRows, tail: network.tail)
            view.forward(local, &workspace)
            _ = SparseNetwork.outputLoss(
                &workspace, output: network.shape.output, isSpam: example.isSpam, weight: 1)
            for p in rowGradient.indices { rowGradient[p] = 0 }
            for p in tailGradient.indices { tailGradient[p] = 0 }
            rowGradient.withUnsafeMutableBufferPointer { rg in
                tailGradient.withUnsafeMutableBufferPointer { tg in
                    view.backward(local, &workspace, rowGradient: rg, tailGradient: tg)
                }
            }
            for (k, j) in example.features.indices.enumerated() {
                for u in 0..<width {
                    let p = Int(j) * width + u
                    let g = rowGradient[k * width + u] + options.l2 * network.rows[p]
                    state.rows[p] += g * g
                    network.rows[p] -= rate * g / (state.rows[p] + floor).squareRoot()
                }
            }
            for p in 0..<network.tail.count {
                let g = tailGradient[p] + (tailIsWeight[p] ? options.l2 * network.tail[p] : 0)
                guard g != 0 else { continue }
                state.tail[p] += g * g
                network.tail[p] -= rate * g / (state.tail[p] + floor).squareRoot()
            }
        }
    }
}
