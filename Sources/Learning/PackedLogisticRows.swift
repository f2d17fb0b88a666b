/// Logistic regression's weights for a mini-batch AdaGrad fit (the default training), stored so that one
/// feature's weight, pending gradient, AdaGrad sum of squares and "touched this batch" mark share one 32-byte
/// record that never straddles a cache line (100,000 features in four separate arrays came to 2.5 MB read at
/// random).
///
/// The features are split in two at `splitFeature` (the median of the examples' non-zero values), and a batch is
/// two phases over each half: the half's part of every example's logit, then (once the logits are combined into
/// each example's output gradient) the half's gradients summed over the batch's examples in order and their
/// AdaGrad steps. With a `LockStepPair` each half runs on its own thread and stays in that core's cache. A logit
/// is summed as (lower half) + (upper half), one thread or two, so the fit's bits do not depend on the number of
/// cores; they differ from the general network code's (one sum in index order) only by rounding.
final class PackedLogisticRows: @unchecked Sendable {
    private static let stride = 4
    private let records: UnsafeMutablePointer<Double>
    let count: Int
    /// Features below it are the calling thread's half, the rest the helper's.
    let splitFeature: Int32
    /// Each batch example's output gradient and loss (raw memory: both threads write their own entries).
    private var deltas = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    private var losses = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    /// For example e, entries 2e and 2e + 1: the positions in its features where `splitFeature` and the end of
    /// the weights fall.
    private let bounds: UnsafeMutablePointer<Int32>
    /// Features touched in the batch: the lower half's from the start of this buffer, the upper half's from the
    /// middle (each half has room for every feature; the two threads write apart).
    private let touched: UnsafeMutablePointer<Int32>

    /// `examples` only choose `splitFeature`: the feature at which half of all their non-zero values lie below.
    init(weights: [Double], examples: [LabeledExample]) {
        count = weights.count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * Self.stride * 8, alignment: 64)
        records = raw.bindMemory(to: Double.self, capacity: max(1, count) * Self.stride)
        records.initialize(repeating: 0, count: max(1, count) * Self.stride)
        for j in 0..<count { records[j * Self.stride] = weights[j] }
        var occurrences = [Int](repeating: 0, count: count + 1)
        var total = 0
        for example in examples {
            for j in example.features.indices where Int(j) < count { occurrences[Int(j)] += 1 }
            total += example.features.indices.count
        }
        var below = 0, split = count
        for j in 0..<count {
            below += occurrences[j]
            if 2 * below >= total { split = j + 1; break }
        }
        splitFeature = Int32(split)
        let bounds = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, 2 * examples.count))
        self.bounds = bounds
        for (e, example) in examples.enumerated() {
            example.features.indices.withUnsafeBufferPointer { indices in
                bounds[2 * e] = Int32(Self.firstIndex(atLeast: Int32(split), in: indices))
                bounds[2 * e + 1] = Int32(
                    Self.firstIndex(atLeast: Int32(truncatingIfNeeded: weights.count), in: indices))
            }
        }
        touched = .allocate(capacity: max(1, 2 * weights.count))
    }

    deinit {
        records.deallocate()
        bounds.deallocate()
        touched.deallocate()
        deltas.deallocate()
        losses.deallocate()
    }

    /// The weights, in feature order.
    var weights: [Double] { (0..<count).map { records[$0 * Self.stride] } }

    /// AdaGrad's sums of squared gradients, in feature order.
    var accumulators: [Double] { (0..<count).map { records[$0 * Self.stride + 2] } }

    /// One mini-batch: adds each example's loss to `loss` and its output gradient to `biasGradient` (in example
    /// order), and steps every weight the batch touches by AdaGrad (gradient × `scale` plus the L2 term). `pair`
    /// runs a phase's two halves on two threads (`LockStepPair.run`); without it they run in turn.
    func trainBatch(
        _ examples: [LabeledExample], _ batch: ArraySlice<Int>, bias: Double, exampleWeights: [Double],
        scale: Double, l2: Double, rate: Double,
        pair: ((_ phase: (Int) -> Void) -> Void)?,
        loss: inout Double, biasGradient: inout Double
    ) {
        let n = batch.count
        if deltas.count < n {
            deltas.deallocate()
            losses.deallocate()
            deltas = .allocate(capacity: n)
            losses = .allocate(capacity: n)
        }
        let (deltas, losses) = (self.deltas, self.losses)
        let first = batch.startIndex
        // Each thread sums its features' part of every logit (kept in `deltas` and `losses` until combined).
        let logits = { (part: Int) in
            let sums = part == 0 ? deltas : losses
            for i in 0..<n {
                sums[i] = self.partialLogit(examples, batch[first + i], part: part)
            }
        }
        if let pair { pair(logits) } else { logits(0); logits(1) }
        for i in 0..<n {
            let index = batch[first + i]
            let z = deltas[i] + losses[i] + bias
            (deltas[i], losses[i]) = NetworkTrainer.logisticDelta(
                z, isSpam: examples[index].isSpam,
                weight: exampleWeights[index])
            loss += losses[i]
            biasGradient += deltas[i]
        }
        let step = { (part: Int) in
            let touched = self.touched + part * self.count
            let touchedCount = self.addGradients(examples, batch, deltas, part: part, touched: touched)
            self.stepAdaGrad(UnsafeBufferPointer(start: touched, count: touchedCount), scale: scale, l2: l2, rate: rate)
        }
        if let pair { pair(step) } else { step(0); step(1) }
    }

    /// The positions of example `e`'s features in `part` (0: below `splitFeature`, 1: from it, within the weights).
    @inline(__always)
    private func range(of part: Int, example e: Int) -> Range<Int> {
        part == 0 ? 0..<Int(bounds[2 * e]) : Int(bounds[2 * e])..<Int(bounds[2 * e + 1])
    }

    /// x·w over the features of `part`, in index order.
    @inline(__always)
    private func partialLogit(_ examples: [LabeledExample], _ e: Int, part: Int) -> Double {
        var z = 0.0
        let x = examples[e].features
        x.indices.withUnsafeBufferPointer { indices in
            x.values.withUnsafeBufferPointer { values in
                for k in range(of: part, example: e) {
                    z += records[Int(indices[k]) * Self.stride] * values[k]
                }
            }
        }
        return z
    }

    /// The batch's gradients for the features of `part`, example by example in order; the features touched go to
    /// `touched`, and their number is returned.
    private func addGradients(
        _ examples: [LabeledExample], _ batch: ArraySlice<Int>, _ deltas: UnsafeMutableBufferPointer<Double>,
        part: Int, touched: UnsafeMutablePointer<Int32>
    ) -> Int {
        var touchedCount = 0
        for (i, e) in batch.enumerated() {
            let x = examples[e].features
            let delta = deltas[i]
            x.indices.withUnsafeBufferPointer { indices in
                x.values.withUnsafeBufferPointer { values in
                    for k in range(of: part, example: e) {
                        let record = records + Int(indices[k]) * Self.stride
                        if record[3] == 0 {
                            record[3] = 1
                            touched[touchedCount] = indices[k]
                            touchedCount += 1
                        }
                        record[1] += values[k] * delta
                    }
                }
            }
        }
        return touchedCount
    }

    /// The AdaGrad step for each touched feature, clearing its gradient and its mark; `OptimizerState.stepRows`.
    @inline(__always)
    private func stepAdaGrad(_ touched: UnsafeBufferPointer<Int32>, scale: Double, l2: Double, rate: Double) {
        let eps = OptimizerState.epsilon
        for j in touched {
            let record = records + Int(j) * Self.stride
            let gradient = record[1] * scale + l2 * record[0]
            record[1] = 0
            record[3] = 0
            record[2] += gradient * gradient
            record[0] -= rate * gradient / (record[2].squareRoot() + eps)
        }
    }

    /// The position of the first index ≥ `value` in sorted `indices`.
    private static func firstIndex(atLeast value: Int32, in indices: UnsafeBufferPointer<Int32>) -> Int {
        var low = 0, high = indices.count
        while low < high {
            let middle = (low + high) / 2
            if indices[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
