import Learning
import SpamStore
import TextFeatures

/// What `relabel` or `forget` did.
public struct CorrectionReport: Sendable, Equatable {
    public var changed = 0
    public var unchanged = 0
    public var modelID: Int64? = nil
    /// True when the model was refitted from the remaining examples (forget), false for an in-place update.
    public var refitted = false
    public var spamExamples = 0
    public var hamExamples = 0
}

extension Trainer {
    /// Moves stored examples to the other label and updates the current model incrementally in the same
    /// transaction, with the examples' stored token counts (no mail needed). A message the store does not hold is
    /// an error naming it, and then nothing changes.
    public func relabel(_ messages: [ResolvedMessage], asSpam isSpam: Bool) throws -> CorrectionReport {
        var report = CorrectionReport()
        try store.write {
            var deltas = DocumentCountDeltas()
            var learned: [(counts: [(Int32, Int)], isSpam: Bool, digest: String)] = []
            var seen = Set<String>()
            for message in messages where seen.insert(message.digest).inserted {
                guard let (change, example) = try store.setLabel(digest: message.digest, isSpam: isSpam, deltas: &deltas) else {
                    throw HamletError.unknownMessage(message.name, "not in the store (sha256:\(message.digest)); train it instead")
                }
                if change == .relabeled {
                    report.changed += 1
                    learned.append((example.counts, isSpam, message.digest))
                } else {
                    report.unchanged += 1
                }
            }
            try store.applyDocumentCounts(deltas)
            if let model = try store.currentModel(), !learned.isEmpty {
                let stored = ModelOptions(serialized: model.options, base: options)
                if stored.training.model == .logreg {
                    try correctLabels(learned, digests: seen, model: model, options: stored)
                } else {
                    // The exact label-change correction is for linear logistic models; networks learn the moved
                    // examples with their new labels, three times the usual incremental steps.
                    var steps = stored
                    steps.training.incrementalSteps *= 3
                    let ids = Set(learned.flatMap { $0.counts.map(\.0) }).sorted()
                    let signs = try store.tokenIDs(ids, where: { TokenKind.of($0) == .sign })
                    try learnIncrementally(learned.map { ($0.counts, $0.isSpam) }, signs: signs, modelID: model.id, options: steps)
                }
                report.modelID = model.id
            }
        }
        let counts = try store.read { try store.exampleCounts() }
        report.spamExamples = counts.spam
        report.hamExamples = counts.ham
        return report
    }

    /// Removes stored examples and their effect: the model is refitted from the examples that remain, as a new
    /// model version (incremental updates cannot be undone exactly). Unknown messages are an error naming them.
    public func forget(_ messages: [ResolvedMessage]) throws -> CorrectionReport {
        var report = CorrectionReport()
        try store.write {
            var deltas = DocumentCountDeltas()
            var seen = Set<String>()
            for message in messages where seen.insert(message.digest).inserted {
                guard try store.deleteExample(digest: message.digest, deltas: &deltas) != nil else {
                    throw HamletError.unknownMessage(message.name, "not in the store (sha256:\(message.digest))")
                }
                report.changed += 1
            }
            try store.applyDocumentCounts(deltas)
        }
        let counts = try store.read { try store.exampleCounts() }
        if counts.spam + counts.ham == 0 {
            try store.write { try store.deleteModels() }
        } else {
            // Refit with the current model's own options, so forgetting never changes the kind of model.
            var refit = self
            if let model = try store.read({ try store.currentModel() }) {
                refit.options = ModelOptions(serialized: model.options, base: options)
            }
            var training = TrainReport()
            try refit.fit(into: &training)
            report.modelID = training.modelID
            report.refitted = true
        }
        report.spamExamples = counts.spam
        report.hamExamples = counts.ham
        return report
    }
}

extension Trainer {
    /// Updates the current model in place for examples that moved to the other label (call inside `write`): the
    /// weights of their tokens and the bias are re-solved against the label change and a random sample of the
    /// other stored examples (see `LabelCorrection`). Reads only the moved examples, the sample and their weights.
    func correctLabels(_ moved: [(counts: [(Int32, Int)], isSpam: Bool, digest: String)], digests: Set<String>, model info: ModelInfo,
                       options: ModelOptions) throws
    {
        let settings = options.features
        let training = options.training
        let local = LocalTokenIndex(moved.map(\.counts))
        let changedIDs = local.storeIDs
        let counts = try store.exampleCounts()
        let storeSize = counts.spam + counts.ham
        let sampleSize = min(storeSize - moved.count, max(training.relabelSampleMinimum, training.relabelSamplePerMessage * moved.count))
        var seed: UInt64 = 0xcbf2_9ce4_8422_2325
        for digest in digests.sorted() { for byte in digest.utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01b3 } }
        let sample = sampleSize > 0 ? try store.sampleExamples(count: sampleSize, seed: seed, excluding: digests) : []
        // Weights of every token involved, read one by one (the cost follows the messages, not the store).
        var involved = Set(changedIDs)
        for example in sample { for (id, _) in example.counts { involved.insert(id) } }
        let stored = try store.weights(modelID: info.id, tokenIDs: involved.sorted())
        let signs = settings.normalization == .split ? try store.tokenIDs(involved.sorted(), where: { TokenKind.of($0) == .sign }) : []
        func localExample(_ counts: [(Int32, Int)], isSpam: Bool) -> LocalExample {
            let vector = settings.vector(counts: counts, isSign: signs.contains)
            var indices: [Int32] = [], values: [Double] = [], offset = 0.0
            for k in 0..<vector.indices.count {
                if let j = local[vector.indices[k]] {
                    indices.append(j)
                    values.append(vector.values[k])
                } else {
                    offset += (stored[vector.indices[k]]?.weight ?? 0) * vector.values[k]
                }
            }
            return LocalExample(indices: indices, values: values, offset: offset, isSpam: isSpam)
        }
        var weights = changedIDs.map { stored[$0]?.weight ?? 0 }
        var bias = info.bias
        let movedExamples = moved.map { localExample($0.counts, isSpam: $0.isSpam) }
        LabelCorrection.solve(moved: movedExamples, fittedLogits: try moved.map { try store.fitLogit(digest: $0.digest) },
                              sample: sample.map { localExample($0.counts, isSpam: $0.isSpam) },
                              sampleWeight: sample.isEmpty ? 0 : Double(storeSize - moved.count) / Double(sample.count),
                              storeSize: storeSize, weights: &weights, bias: &bias, l2: training.l2,
                              iterations: training.relabelIterations, rate: training.relabelRate, hamWeight: training.hamWeight)
        let changed = changedIDs.enumerated().map {
            (tokenID: $0.element, weight: weights[$0.offset], accumulator: stored[$0.element]?.accumulator ?? 0)
        }
        try store.updateModel(id: info.id, bias: bias, biasAccumulator: info.biasAccumulator,
                              exampleCount: info.exampleCount, changedWeights: changed)
        try store.setFitLogits(zip(moved, movedExamples).map { ($0.digest, $1.logit(weights, bias: bias)) })
    }
}
