/// AdaGrad's memory: each weight's sum of squared gradients so far (and the bias's). Kept with a model so that
/// incremental learning continues the same optimisation: well-known tokens move little, new ones learn fast.
public struct AdaptiveState: Sendable, Equatable {
    public var accumulators: [Double]
    public var bias: Double

    public init(featureCount: Int = 0) {
        accumulators = [Double](repeating: 0, count: featureCount)
        bias = 0
    }

    public init(accumulators: [Double], bias: Double) {
        self.accumulators = accumulators
        self.bias = bias
    }

    public mutating func ensureFeatureCount(_ count: Int) {
        if accumulators.count < count {
            accumulators.append(contentsOf: repeatElement(0, count: count - accumulators.count))
        }
    }
}
