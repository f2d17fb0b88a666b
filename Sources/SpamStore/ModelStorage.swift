/// A model version's header as the store keeps it, whatever the model's kind.
public struct ModelInfo: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    /// The settings the model was made with, as `ModelOptions` records them.
    public var options: String
    public var extractor: String
    /// The model's parameters that are not per-token rows, followed by their optimizer accumulators (a linear
    /// model: its bias and the bias's accumulator).
    public var parameters: [Double]
    public var exampleCount: Int
    public var metrics: String
    public var createdAt: Int64
    public var updatedAt: Int64
    /// The store's example-change count when this model was last fitted from every example.
    public var fitChanges: Int64 = 0
    /// The store's example-change count this model's weights reflect (a full fit, then in-place updates).
    public var changes: Int64 = 0

    /// Example changes learned in place since the last full fit.
    public var updatesSinceFit: Int64 { changes - fitChanges }

    public init(
        id: Int64, kind: String, options: String, extractor: String, parameters: [Double], exampleCount: Int,
        metrics: String, createdAt: Int64, updatedAt: Int64, fitChanges: Int64 = 0, changes: Int64 = 0
    ) {
        self.id = id
        self.kind = kind
        self.options = options
        self.extractor = extractor
        self.parameters = parameters
        self.exampleCount = exampleCount
        self.metrics = metrics
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.fitChanges = fitChanges
        self.changes = changes
    }
}

/// What a new model version records beside its rows and parameters.
public struct ModelHeader: Sendable {
    public var kind: String
    public var options: String
    public var extractor: String
    public var exampleCount: Int
    public var metrics: String
    /// The store's example-change count the fit saw.
    public var fittedChanges: Int64

    public init(
        kind: String, options: String, extractor: String, exampleCount: Int, metrics: String, fittedChanges: Int64
    ) {
        self.kind = kind
        self.options = options
        self.extractor = extractor
        self.exampleCount = exampleCount
        self.metrics = metrics
        self.fittedChanges = fittedChanges
    }
}

/// How a model's per-token rows are kept: a row is `width` weights followed by their `width` accumulators.
public enum RowLayout: Sendable, Equatable {
    /// One weight and its accumulator per token (a linear model): the delivery path reads two numbers a token.
    case scalar
    /// `width` weights and their accumulators per token (a network's first layer).
    case vector(width: Int)

    public var width: Int {
        switch self {
        case .scalar: return 1
        case .vector(let width): return width
        }
    }
}

/// A model's rows, dense by token id, to be written as a new version: token `i`'s weights are
/// `weights[i * width ..< (i + 1) * width]`. Only rows with a non-zero weight are stored; accumulators shorter
/// than the weights count as zero.
public struct ModelRows: Sendable {
    public var layout: RowLayout
    public var weights: [Double]
    public var accumulators: [Double]

    public init(layout: RowLayout, weights: [Double], accumulators: [Double]) {
        self.layout = layout
        self.weights = weights
        self.accumulators = accumulators
    }

    /// The token ids with a row to store, in order, and each row (weights then accumulators).
    public func forEachStoredRow(_ body: (Int, [Double]) throws -> Void) rethrows {
        let width = layout.width
        for token in 0..<(weights.count / max(1, width)) {
            let range = (token * width)..<((token + 1) * width)
            guard weights[range].contains(where: { $0 != 0 }) else { continue }
            let kept =
                range.upperBound <= accumulators.count
                ? Array(accumulators[range]) : [Double](repeating: 0, count: width)
            try body(token, Array(weights[range]) + kept)
        }
    }
}
