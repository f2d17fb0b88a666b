/// Moves examples a linear model was trained on to their right labels without refitting from every example.
///
/// If w₀ minimised the objective F_old with the wrong labels, the objective with the right labels has gradient
///   ∇F(w) = [∇F_old(w) − ∇F_old(w₀)] + Σ_moved [(σ(w·x_i) − y_new) − (σ(w₀·x_i) − y_old)]·x_i,
/// since ∇F_old(w₀) = 0. The bracket is Σ_k [σ(w·x_k) − σ(w₀·x_k)]·x_k + λN·(w − w₀) over the other examples: the
/// restoring force of everything else the model learned. It is estimated from a fixed-size random sample of the
/// stored examples (each standing for N/M of them), so the cost grows with the moved examples, not the store.
/// `σ(w₀·x_i) − y_old` is taken from the log-odds the example had when the model was last fitted over it (a
/// memorised wrong label left almost nothing to take back; relabelling examples one at a time then does not push
/// twice on what an earlier correction already moved). Only the weights of the moved examples' tokens and the
/// bias change, which is where the wrong labels' harm lives; the correction is solved by full-batch AdaGrad from w₀.
/// With ham weighed up in fits (`TrainingOptions.hamWeight`), every term carries its example's class weight: a moved
/// example pulls with its new label's weight and takes back what it pulled with under the old one.
public enum LabelCorrection {
    /// Solves the correction in place. `weights` are the current weights of the features that may change, in a
    /// local index space; `moved` (with their right labels) and `sample` are given in that space plus a fixed
    /// offset each. `fittedLogits` are the moved examples' log-odds when last fitted (nil: their current ones).
    /// `storeSize` is N, the number of stored examples; `sampleWeight` is how many each sampled example stands for;
    /// `hamWeight` is how much a ham example counted in the fit (spam 1).
    public static func solve(moved: [LocalExample], fittedLogits: [Double?], sample: [LocalExample], sampleWeight: Double,
                             storeSize: Int, weights: inout [Double], bias: inout Double, l2: Double, iterations: Int,
                             rate: Double, hamWeight: Double = 1)
    {
        func classWeight(isSpam: Bool) -> Double { isSpam ? 1 : hamWeight }
        let n = Double(max(1, storeSize))
        let initialWeights = weights
        let initialBias = bias
        let sampleReference = sample.map { sigmoid($0.logit(initialWeights, bias: initialBias)) }
        // What each moved example pulled with under its old label, c_old·(σ(w₀·x) − y_old).
        let oldPull = moved.indices.map { i -> Double in
            let z = fittedLogits[i] ?? moved[i].logit(initialWeights, bias: initialBias)
            return classWeight(isSpam: !moved[i].isSpam) * (sigmoid(z) - (moved[i].isSpam ? 0 : 1))
        }
        let movedWeights = moved.map { classWeight(isSpam: $0.isSpam) }
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
            for (i, example) in moved.enumerated() {
                add(example, movedWeights[i] * (sigmoid(example.logit(weights, bias: bias)) - (example.isSpam ? 1 : 0)) - oldPull[i])
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
