/// A model that scores a sparse feature vector: the protocol every Hamlet model (logistic regression, softmax
/// regression, MLP) is used through.
public protocol SpamModel: Sendable {
    /// The log-odds of spam for a feature vector.
    func logit(_ x: SparseVector) -> Double
    /// How many numbers the model holds.
    var parameterCount: Int { get }
    /// How many of them are not zero (what a store keeps).
    var nonZeroParameterCount: Int { get }
}

extension SpamModel {
    public func probability(_ x: SparseVector) -> Double { sigmoid(logit(x)) }
}

extension LogisticRegression: SpamModel {
    public var parameterCount: Int { weights.count + 1 }
    public var nonZeroParameterCount: Int { weights.count { $0 != 0 } + 1 }
}

/// The layer sizes and non-linearities of a `SparseNetwork`.
public struct NetworkShape: Sendable, Equatable, Codable {
    /// Hidden layer sizes; empty for a linear model.
    public var hidden: [Int] { didSet { widths = hidden + [output.units] } }
    public var activation: Activation
    public var output: OutputKind { didSet { widths = hidden + [output.units] } }
    /// The sizes of every layer after the input: the hidden layers, then the output (kept, not recomputed: the
    /// forward and backward passes read it once per example).
    public private(set) var widths: [Int]

    public init(hidden: [Int], activation: Activation = .tanh, output: OutputKind) {
        self.hidden = hidden
        self.activation = activation
        self.output = output
        widths = hidden + [output.units]
    }

    private enum CodingKeys: String, CodingKey { case hidden, activation, output }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            hidden: try container.decode([Int].self, forKey: .hidden),
            activation: try container.decode(Activation.self, forKey: .activation),
            output: try container.decode(OutputKind.self, forKey: .output))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hidden, forKey: .hidden)
        try container.encode(activation, forKey: .activation)
        try container.encode(output, forKey: .output)
    }

    /// Two-class softmax regression: one linear layer, two outputs.
    public static let softmax = NetworkShape(hidden: [], output: .softmax)

    /// The width of the first layer, whose weights form one row per feature.
    public var firstWidth: Int { widths[0] }
}

/// A feed-forward network over sparse inputs: the first layer's weights are one row of `firstWidth` numbers per
/// feature (so a message touches only its own tokens' rows), the later layers are small and dense. With no hidden
/// layer it is a linear model: one sigmoid output is logistic regression, two softmax outputs softmax regression.
///
/// `tail` holds, in order, the first layer's biases, then for each later layer its weights (input-major: the
/// weight from input unit i to unit u is at i·width + u) and biases. A feature's row is deterministic in the seed
/// and the feature id, so a model grown for new tokens is the same whatever order they arrive in.
public struct SparseNetwork: SpamModel, Equatable {
    public let shape: NetworkShape
    public let seed: UInt64
    public var rows: [Double]
    public var tail: [Double]

    public init(shape: NetworkShape, featureCount: Int, seed: UInt64, outputBias: Double = 0) {
        self.shape = shape
        self.seed = seed
        rows = []
        tail = []
        ensureFeatureCount(featureCount)
        let widths = shape.widths
        var random = SeededRandom(seed: seed ^ 0x7A11)
        tail.append(contentsOf: repeatElement(0, count: widths[0]))
        for layer in 1..<widths.count {
            let fanIn = widths[layer - 1], fanOut = widths[layer]
            let limit = (6 / Double(fanIn + fanOut)).squareRoot()
            for _ in 0..<(fanIn * fanOut) { tail.append(limit * (2 * random.unit() - 1)) }
            tail.append(contentsOf: repeatElement(0, count: fanOut))
        }
        // Start the output at the prior log-odds (on the spam unit for a softmax).
        tail[tail.count - 1] = shape.output == .sigmoid ? outputBias : outputBias / 2
        if shape.output == .softmax { tail[tail.count - 2] = -outputBias / 2 }
    }

    public init(shape: NetworkShape, seed: UInt64, rows: [Double], tail: [Double]) {
        self.shape = shape
        self.seed = seed
        self.rows = rows
        self.tail = tail
    }

    public var firstWidth: Int { shape.firstWidth }
    public var featureCount: Int { rows.count / firstWidth }
    public var parameterCount: Int { rows.count + tail.count }
    public var nonZeroParameterCount: Int { rows.count { $0 != 0 } + tail.count }

    /// The number of tail parameters a shape has.
    public static func tailCount(_ shape: NetworkShape) -> Int {
        let widths = shape.widths
        var count = widths[0]
        for layer in 1..<widths.count { count += widths[layer - 1] * widths[layer] + widths[layer] }
        return count
    }

    /// Whether each tail parameter is a weight (L2-penalised) rather than a bias.
    public static func tailIsWeight(_ shape: NetworkShape) -> [Bool] {
        let widths = shape.widths
        var mask = [Bool](repeating: false, count: widths[0])
        for layer in 1..<widths.count {
            mask.append(contentsOf: repeatElement(true, count: widths[layer - 1] * widths[layer]))
            mask.append(contentsOf: repeatElement(false, count: widths[layer]))
        }
        return mask
    }

    /// Grows the first layer with initial rows so that `count` features fit.
    public mutating func ensureFeatureCount(_ count: Int) {
        let have = featureCount
        guard count > have else { return }
        rows.reserveCapacity(count * firstWidth)
        if shape.hidden.isEmpty {  // linear models start at zero: no row to compute
            rows.append(contentsOf: repeatElement(0, count: (count - have) * firstWidth))
            return
        }
        for feature in have..<count {
            rows.append(contentsOf: Self.initialRow(shape: shape, seed: seed, feature: feature))
        }
    }

    /// A feature's first-layer weights before training: zero for a linear model (as logistic regression starts),
    /// small seeded values for an MLP (zero rows would make every hidden unit learn the same thing).
    public static func initialRow(shape: NetworkShape, seed: UInt64, feature: Int) -> [Double] {
        guard !shape.hidden.isEmpty else { return [Double](repeating: 0, count: shape.firstWidth) }
        var random = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(feature) &* 0xD1B5_4A32_D192_ED03)
        // Inputs are unit-length vectors of a few hundred tokens, so a row's scale is a unit's pre-activation scale:
        // small enough to start in the units' linear range.
        return (0..<shape.firstWidth).map { _ in 0.1 * (2 * random.unit() - 1) }
    }

    public func logit(_ x: SparseVector) -> Double {
        var workspace = NetworkWorkspace(shape: shape)
        forward(x, &workspace)
        return workspace.logit(shape.output)
    }

    /// Computes every layer's pre-activations into the workspace (the last layer's are the outputs).
    public func forward(_ x: SparseVector, _ workspace: inout NetworkWorkspace) {
        let widths = shape.widths
        let width = widths[0]
        rows.withUnsafeBufferPointer { rows in
            tail.withUnsafeBufferPointer { tail in
                workspace.pre[0].withUnsafeMutableBufferPointer { a in
                    // Σ w·x first and the bias last: the same sum, in the same order, as LogisticRegression.logit.
                    for u in 0..<width { a[u] = 0 }
                    let count = rows.count / width
                    for k in 0..<x.indices.count {
                        let j = Int(x.indices[k])
                        guard j < count else { continue }
                        let v = x.values[k]
                        let base = j * width
                        for u in 0..<width { a[u] += rows[base + u] * v }
                    }
                    for u in 0..<width { a[u] += tail[u] }
                }
                var offset = width
                for layer in 1..<widths.count {
                    let fanIn = widths[layer - 1], fanOut = widths[layer]
                    for i in 0..<fanIn {
                        workspace.post[layer - 1][i] = shape.activation.apply(workspace.pre[layer - 1][i])
                    }
                    let biasOffset = offset + fanIn * fanOut
                    for u in 0..<fanOut {
                        var sum = tail[biasOffset + u]
                        for i in 0..<fanIn { sum += workspace.post[layer - 1][i] * tail[offset + i * fanOut + u] }
                        workspace.pre[layer][u] = sum
                    }
                    offset = biasOffset + fanOut
                }
            }
        }
    }

    /// The cross-entropy of one example after `forward`, and its gradient with respect to the outputs in
    /// `workspace.delta` of the last layer, scaled by `weight`.
    public static func outputLoss(
        _ workspace: inout NetworkWorkspace, output: OutputKind, isSpam: Bool, weight: Double
    ) -> Double {
        let last = workspace.pre.count - 1
        let y = isSpam ? 1.0 : 0.0
        let z = workspace.logit(output)
        switch output {
        case .sigmoid:
            workspace.delta[last][0] = weight * (sigmoid(z) - y)
            return weight * (softplus(z) - y * z)
        case .softmax:
            // p(spam) = sigmoid(z_spam − z_ham); dL/dz_spam = p − y, dL/dz_ham = y − p.
            let error = sigmoid(z) - y
            workspace.delta[last][1] = weight * error
            workspace.delta[last][0] = -weight * error
            return weight * (softplus(z) - y * z)
        }
    }

    /// Back-propagates the output gradient in the workspace (after `forward` and `outputLoss`), adding the
    /// parameter gradients to `rowGradient` (the rows of the example's features only) and `tailGradient`.
    public func backward(
        _ x: SparseVector, _ workspace: inout NetworkWorkspace,
        rowGradient: UnsafeMutableBufferPointer<Double>, tailGradient: UnsafeMutableBufferPointer<Double>
    ) {
        let widths = shape.widths
        if widths.count > 1 { backwardHidden(widths, &workspace, tailGradient: tailGradient) }
        let width = widths[0]
        for u in 0..<width { tailGradient[u] += workspace.delta[0][u] }
        let count = rows.count / width
        for k in 0..<x.indices.count {
            let j = Int(x.indices[k])
            guard j < count else { continue }
            let v = x.values[k]
            let base = j * width
            for u in 0..<width { rowGradient[base + u] += v * workspace.delta[0][u] }
        }
    }

    /// The layers after the first: their weight and bias gradients, and the deltas of the first layer.
    private func backwardHidden(
        _ widths: [Int], _ workspace: inout NetworkWorkspace, tailGradient: UnsafeMutableBufferPointer<Double>
    ) {
        var offsets: [Int] = [widths[0]]  // where each later layer's weights start in the tail
        for layer in 1..<widths.count {
            offsets.append(offsets[layer - 1] + widths[layer - 1] * widths[layer] + widths[layer])
        }
        tail.withUnsafeBufferPointer { tail in
            for layer in stride(from: widths.count - 1, through: 1, by: -1) {
                let fanIn = widths[layer - 1], fanOut = widths[layer]
                let start = offsets[layer - 1]
                let biasOffset = start + fanIn * fanOut
                for u in 0..<fanOut { tailGradient[biasOffset + u] += workspace.delta[layer][u] }
                for i in 0..<fanIn {
                    let h = workspace.post[layer - 1][i]
                    var back = 0.0
                    for u in 0..<fanOut {
                        let d = workspace.delta[layer][u]
                        tailGradient[start + i * fanOut + u] += h * d
                        back += tail[start + i * fanOut + u] * d
                    }
                    workspace.delta[layer - 1][i] = back * shape.activation.derivative(workspace.pre[layer - 1][i])
                }
            }
        }
    }
}

/// Scratch space for one example's pass through a network, reused across examples.
public struct NetworkWorkspace: Sendable {
    /// Pre-activations per layer (the last layer's are the outputs).
    public var pre: [[Double]]
    /// Activations of the hidden layers.
    public var post: [[Double]]
    /// Gradients of the loss with respect to each layer's pre-activations.
    public var delta: [[Double]]

    public init(shape: NetworkShape) {
        let widths = shape.widths
        pre = widths.map { [Double](repeating: 0, count: $0) }
        post = widths.map { [Double](repeating: 0, count: $0) }
        delta = widths.map { [Double](repeating: 0, count: $0) }
    }

    /// The log-odds of spam from the outputs.
    @inline(__always) public func logit(_ output: OutputKind) -> Double {
        let outputs = pre[pre.count - 1]
        return output == .sigmoid ? outputs[0] : outputs[1] - outputs[0]
    }
}

extension SeededRandom {
    /// A uniform value in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
