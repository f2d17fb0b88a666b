import Platform

/// The per-parameter memory of an optimizer and the step it takes for a gradient. Rows and tail are kept apart
/// (rows are a network's first layer, one per feature; the tail is everything else). Sparse batches update only
/// the rows they touch ("lazy" momentum and Adam: an untouched row's moments are not decayed).
struct OptimizerState {
    let kind: Optimizer
    private var rowFirst: [Double] = []  // Adam's first moment
    private var rowSecond: [Double] = []  // AdaGrad's sum of squares, or Adam's second moment
    private var tailFirst: [Double] = []
    private var tailSecond: [Double] = []
    private var step = 0
    private var firstCorrection = 1.0
    private var secondCorrection = 1.0

    static let beta1 = 0.9
    static let beta2 = 0.999
    static let epsilon = 1e-8

    init(_ kind: Optimizer, rows: Int, tail: Int) {
        self.kind = kind
        switch kind {
        case .adagrad:
            rowSecond = [Double](repeating: 0, count: rows)
            tailSecond = [Double](repeating: 0, count: tail)
        case .adam:
            rowFirst = [Double](repeating: 0, count: rows)
            rowSecond = [Double](repeating: 0, count: rows)
            tailFirst = [Double](repeating: 0, count: tail)
            tailSecond = [Double](repeating: 0, count: tail)
        }
    }

    /// Call once per batch, before its steps (Adam's bias correction counts batches).
    mutating func tick() {
        step += 1
        if kind == .adam {
            firstCorrection = 1 - pow(Self.beta1, Double(step))
            secondCorrection = 1 - pow(Self.beta2, Double(step))
        }
    }

    /// Steps the rows in `touched` (`width` numbers each) by their gradients in `g` (times `scale`, plus the L2
    /// term), and clears those gradients. The same arithmetic as `rowStep`; for AdaGrad (the default) the
    /// optimizer is chosen once per batch rather than once per number.
    mutating func stepRows(
        _ touched: [Int32], width: Int, weights w: UnsafeMutableBufferPointer<Double>,
        gradient g: UnsafeMutableBufferPointer<Double>, scale: Double, l2: Double, rate: Double
    ) {
        let eps = Self.epsilon
        switch kind {
        case .adagrad:
            rowSecond.withUnsafeMutableBufferPointer { second in
                for row in touched {
                    let base = Int(row) * width
                    for p in base..<(base + width) {
                        let gradient = g[p] * scale + l2 * w[p]
                        g[p] = 0
                        second[p] += gradient * gradient
                        w[p] -= rate * gradient / (second[p].squareRoot() + eps)
                    }
                }
            }
        case .adam:  // AdaGrad, the default, has its loop above
            for row in touched {
                let base = Int(row) * width
                for p in base..<(base + width) {
                    let gradient = g[p] * scale + l2 * w[p]
                    g[p] = 0
                    w[p] -= rowStep(p, gradient, rate: rate)
                }
            }
        }
    }

    @inline(__always) mutating func rowStep(_ p: Int, _ g: Double, rate: Double) -> Double {
        Self.delta(kind, g, rate, &rowFirst, &rowSecond, p, firstCorrection, secondCorrection)
    }

    @inline(__always) mutating func tailStep(_ p: Int, _ g: Double, rate: Double) -> Double {
        Self.delta(kind, g, rate, &tailFirst, &tailSecond, p, firstCorrection, secondCorrection)
    }

    @inline(__always) private static func delta(
        _ kind: Optimizer, _ g: Double, _ rate: Double, _ first: inout [Double],
        _ second: inout [Double], _ p: Int, _ c1: Double, _ c2: Double
    ) -> Double {
        switch kind {
        case .adagrad:
            second[p] += g * g
            return rate * g / (second[p].squareRoot() + epsilon)
        case .adam:
            first[p] = beta1 * first[p] + (1 - beta1) * g
            second[p] = beta2 * second[p] + (1 - beta2) * g * g
            return rate * (first[p] / c1) / ((second[p] / c2).squareRoot() + epsilon)
        }
    }

    /// AdaGrad's accumulators, which incremental learning continues (nil for Adam).
    var adaGradState: NetworkState? {
        kind == .adagrad ? NetworkState(rows: rowSecond, tail: tailSecond) : nil
    }
}
