/// Binary logistic regression over sparse features: p(spam | x) = sigmoid(w·x + b).
/// Weights are dense, indexed by feature id; ids past the end have weight zero.
public struct LogisticRegression: Sendable, Equatable {
    public var weights: [Double]
    public var bias: Double

    public init(featureCount: Int = 0, bias: Double = 0) {
        weights = [Double](repeating: 0, count: featureCount)
        self.bias = bias
    }

    public init(weights: [Double], bias: Double) {
        self.weights = weights
        self.bias = bias
    }

    /// The log-odds of spam, w·x + b.
    @inline(__always)
    public func logit(_ x: SparseVector) -> Double {
        weights.withUnsafeBufferPointer { x.dot($0) } + bias
    }

    public func probability(_ x: SparseVector) -> Double { sigmoid(logit(x)) }

    /// Grows the weight vector with zeros so that `count` features fit.
    public mutating func ensureFeatureCount(_ count: Int) {
        if weights.count < count { weights.append(contentsOf: repeatElement(0, count: count - weights.count)) }
    }
}

@inline(__always) public func sigmoid(_ z: Double) -> Double {
    z >= 0
        ? 1 / (1 + Foundation_exp(-z))
        : {
            let e = Foundation_exp(z); return e / (1 + e)
        }()
}

/// log(1 + e^z) without overflow.
@inline(__always) public func softplus(_ z: Double) -> Double {
    z > 30 ? z : (z < -30 ? Foundation_exp(z) : Foundation_log(1 + Foundation_exp(z)))
}
