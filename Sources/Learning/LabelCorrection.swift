/// Updates a fitted linear model in place for a few changed stored examples (added, moved to the other label, or
/// forgotten) without refitting from every example: the update a refit would make, estimated.
///
/// If w₀ minimised the objective F_old over the stored examples, the objective after the changes has gradient
///   ∇F(w) = [∇F_old(w) − ∇F_old(w₀)] + Σ_changed [pull_after(w) − pull_before(w₀)]·x_i,
/// since ∇F_old(w₀) = 0, where an example's pull is c·(σ(w·x) − y) under its label (class weight c) and zero when
/// it is not stored. The bracket is Σ_k [σ(w·x_k) − σ(w₀·x_k)]·x_k + λN·(w − w₀) over the other examples: the
/// restoring force of everything else the model learned, which keeps the bias and the tokens shared with other
/// mail where the fit put them. It is estimated from a fixed-size random sample of the stored examples (each
/// standing for N/M of them), so the cost grows with the changed examples, not the store. The pull before is taken
/// from the log-odds the example had when the model was last fitted over it (a memorised wrong label left almost
/// nothing to take back; correcting examples one at a time then does not push twice on what an earlier
/// correction already moved). Only the weights of the changed examples' tokens and the bias move, which is where
/// the change's effect lives; the update is solved by full-batch AdaGrad from w₀.
public enum LabelCorrection {
    /// One changed example in the update's local index space: its label before (nil: it was not stored) and after
    /// (nil: forgotten), and its log-odds when the model was last fitted over it (nil: its current ones).
    public struct Change: Sendable {
        public var example: LocalExample
        public var before: Bool?
        public var after: Bool?
        public var fittedLogit: Double?

        public init(example: LocalExample, before: Bool?, after: Bool?, fittedLogit: Double?) {
            self.example = example
            self.before = before
            self.after = after
            self.fittedLogit = fittedLogit
        }
    }

    /// Solves the update in place. `weights` are the current weights of the features that may change, in a local
    /// index space; `changes` and `sample` are given in that space plus a fixed offset each. `storeSize` is N,
    /// the number of stored examples; `sampleWeight` is how many each sampled example stands for; `hamWeight` is
    /// how much a ham example counted in the fit (spam 1).
    public static func solve(
        changes: [Change], sample: [LocalExample], sampleWeight: Double, storeSize: Int,
        weights: inout [Double], bias: inout Double, l2: Double, iterations: Int, rate: Double,
        hamWeight: Double = 1
    ) {
        func classWeight(isSpam: Bool) -> Double { isSpam ? 1 : hamWeight }
        let n = Double(max(1, storeSize))
        let initialWeights = weights
        let initialBias = bias
        let sampleReference = sample.map { sigmoid($0.logit(initialWeights, bias: initialBias)) }
        // What each changed example pulled with before, c_old·(σ(w₀·x) − y_old).
        let oldPull = changes.map { change -> Double in
            guard let before = change.before else { return 0 }
            let z = change.fittedLogit ?? change.example.logit(initialWeights, bias: initialBias)
            return classWeight(isSpam: before) * (sigmoid(z) - (before ? 1 : 0))
        }
        let sampleWeights = sample.map { sampleWeight * classWeight(isSpam: $0.isSpam) }
        var squaredSums = [Double](repeating: 0, count: weights.count)
        var biasSquaredSum = 0.0
        var gradient = [Double](repeating: 0, count: weights.count)
        for _ in 0..<max(1, iterations) {
            for j in 0..<gradient.count { gradient[j] = l2 * n * (weights[j] - initialWeights[j]) }
            var biasGradient = 0.0
            func add(_ example: LocalExample, _ amount: Double) {
                if amount == 0 { return }
                biasGradient += amount
                for k in 0..<example.indices.count { gradient[Int(example.indices[k])] += amount * example.values[k] }
            }
            for (i, change) in changes.enumerated() {
                var pull = 0.0
                if let after = change.after {
                    pull =
                        classWeight(isSpam: after)
                        * (sigmoid(change.example.logit(weights, bias: bias)) - (after ? 1 : 0))
                }
                add(change.example, pull - oldPull[i])
            }
            for (k, example) in sample.enumerated() {
                add(example, sampleWeights[k] * (sigmoid(example.logit(weights, bias: bias)) - sampleReference[k]))
            }
            for j in 0..<weights.count {
                let g = gradient[j] / n
                guard g != 0 else { continue }
                squaredSums[j] += g * g
                weights[j] -= rate * g / squaredSums[j].squareRoot()
            }
            let gb = biasGradient / n
            if gb != 0 {
                biasSquaredSum += gb * gb
                bias -= rate * gb / biasSquaredSum.squareRoot()
            }
        }
    }
}

/// An example seen through the weights a correction may change: those features in a local index space, and the
/// fixed part of its log-odds from every other feature.
public struct LocalExample: Sendable {
    public var indices: [Int32]
    public var values: [Double]
    public var offset: Double
    public var isSpam: Bool

    public init(indices: [Int32], values: [Double], offset: Double, isSpam: Bool) {
        self.indices = indices
        self.values = values
        self.offset = offset
        self.isSpam = isSpam
    }

    @inline(__always) public func logit(_ weights: [Double], bias: Double) -> Double {
        var sum = offset + bias
        for k in 0..<indices.count { sum += weights[Int(indices[k])] * values[k] }
        return sum
    }
}
