/// Which model `train`, `retrain` and `evaluate` fit.
public enum ModelKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// Binary logistic regression, p(spam | x) = sigmoid(w·x + b): the default.
    case logreg
    /// The same linear layer with a two-class softmax output.
    case softmax
    /// A multilayer perceptron with one or two hidden layers.
    case mlp
}

/// The non-linearity of an MLP's hidden units.
public enum Activation: String, Sendable, Equatable, Codable, CaseIterable {
    case sigmoid, tanh, relu, gelu

    @inline(__always) public func apply(_ a: Double) -> Double {
        switch self {
        case .sigmoid: return Learning.sigmoid(a)
        case .tanh: return Foundation_tanh(a)
        case .relu: return a > 0 ? a : 0
        case .gelu: return 0.5 * a * (1 + Foundation_tanh(geluScale * (a + 0.044715 * a * a * a)))
        }
    }

    /// d apply / da.
    @inline(__always) public func derivative(_ a: Double) -> Double {
        switch self {
        case .sigmoid:
            let s = Learning.sigmoid(a)
            return s * (1 - s)
        case .tanh:
            let t = Foundation_tanh(a)
            return 1 - t * t
        case .relu: return a > 0 ? 1 : 0
        case .gelu:
            // The tanh approximation of GELU, differentiated exactly.
            let inner = geluScale * (a + 0.044715 * a * a * a)
            let t = Foundation_tanh(inner)
            return 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * geluScale * (1 + 3 * 0.044715 * a * a)
        }
    }
}

private let geluScale = (2 / Double.pi).squareRoot()

/// The output layer: one unit through a sigmoid, or two units through a softmax (log-odds = z_spam − z_ham).
public enum OutputKind: String, Sendable, Equatable, Codable, CaseIterable {
    case sigmoid, softmax

    public var units: Int { self == .sigmoid ? 1 : 2 }
}

/// How a logistic regression fit scales each feature before it learns its weight.
public enum FeatureWeighting: String, Sendable, Equatable, Codable, CaseIterable {
    /// Every feature as the extractor made it.
    case none
    /// Each feature times its naive Bayes log-count ratio, log(P(token | spam) / P(token | ham)) from the fit's own
    /// examples (Wang and Manning's NBSVM, with logistic regression): a prior that lets tokens that already
    /// separate the labels move further. Only the fit sees it: the stored weights absorb the ratios, so scoring,
    /// the store and incremental steps do not change.
    case nb
    /// Two fits, one on the features as they are and one with naive Bayes weighting, folded into one weight vector:
    /// (1 − `naiveBayesShare`) of the first plus `naiveBayesShare` of the second. The ratios' pull toward tokens
    /// that already separate the labels, without leaning on them alone (which does worse on mail from another
    /// period or source); costs a second fit.
    case blend
}
